/**
 * Secret operations this wallet sent, in `storage.session`: memory-only, closed to content scripts,
 * gone when the browser closes. They hold what the user already saw (asset, amount, recipient) and how
 * to follow the operation (block, payload hash) — never a key, a password or a session secret. A
 * stopped service worker picks them up again and follows them to the worker's verdict.
 */
import type { SecretOperationView } from '../../messages/types';
import type { ReplyTarget } from '../ports';
import { Store, type StorageArea } from '../storage/store';

export interface StoredOperation extends SecretOperationView {
  /** Pages still waiting for the answer (answered with the ledger's verdict, then cleared). */
  targets: ReplyTarget[];
  /** Position of the extrinsic in its block (with `block`, what `waitFor` needs). */
  extrinsicIndex: number | null;
  /** When it reached applied / failed. */
  finishedAt: number | null;
}

/** Finished operations are kept a day (the history shows them from the worker anyway), at most this many. */
const KEEP_FINISHED_MS = 24 * 60 * 60_000;
const MAX_OPERATIONS = 200;

export const operationView = ({ targets: _t, extrinsicIndex: _i, finishedAt: _f, ...view }: StoredOperation): SecretOperationView => view;

/** Every write tells `changed` (the `secret` topic), so subscribers see each status as it happens. */
export class OperationStore {
  readonly #store: Store<StoredOperation[]>;
  readonly #now: () => number;
  readonly #changed: () => void;

  constructor(session: StorageArea, now: () => number, changed: () => void) {
    // Written only by this class; anything else under the key is dropped.
    this.#store = new Store(session, 'secretOperations', (raw) => (Array.isArray(raw) ? (raw as StoredOperation[]) : []));
    this.#now = now;
    this.#changed = changed;
  }

  list(): Promise<StoredOperation[]> {
    return this.#store.get();
  }

  async add(op: StoredOperation): Promise<void> {
    const now = this.#now();
    await this.#store.update((all) => {
      const kept = all.filter((o) => o.finishedAt === null || now - o.finishedAt < KEEP_FINISHED_MS);
      return [...kept, op].slice(-MAX_OPERATIONS);
    });
    this.#changed();
  }

  /** Applies `patch` to one operation; resolves to the updated operation (undefined when gone). */
  async update(id: string, patch: (op: StoredOperation) => Partial<StoredOperation>): Promise<StoredOperation | undefined> {
    let updated: StoredOperation | undefined;
    await this.#store.update((all) => all.map((o) => {
      if (o.id !== id) return o;
      updated = { ...o, ...patch(o) };
      if ((updated.status === 'applied' || updated.status === 'failed') && updated.finishedAt === null) updated.finishedAt = this.#now();
      return updated;
    }));
    if (updated) this.#changed();
    return updated;
  }
}
