/**
 * The view permits this wallet issued, in `storage.local` (`viewPermits`): each as its signed permit
 * file — no secret: only the auditor it names can read with it — with the owner's revocation state.
 */
import { permitFromFile, type PermitFile } from '../../../shared/protocol/permit-file';
import type { PermitStatus } from '../../messages/types';
import { Store, isRecord, type StorageArea } from '../storage/store';

export const MAX_PERMITS = 200;

export interface StoredPermit {
  file: PermitFile;
  /** `expired` is never stored: it is the worker's block passing `expiresAtBlock`. */
  status: Exclude<PermitStatus, 'expired'>;
  revokedAtBlock: number | null;
  reason: string | null;
}

const STATUSES: readonly string[] = ['active', 'revoking', 'revoked'];

/** Keeps the entries whose permit still parses (the layout a future version reads may differ). */
function parse(raw: unknown): StoredPermit[] {
  return (Array.isArray(raw) ? raw : []).flatMap((p): StoredPermit[] => {
    if (!isRecord(p) || typeof p.status !== 'string' || !STATUSES.includes(p.status)) return [];
    try {
      permitFromFile(p.file);
    } catch {
      return [];
    }
    return [{
      file: p.file as PermitFile, status: p.status as StoredPermit['status'],
      revokedAtBlock: typeof p.revokedAtBlock === 'number' ? p.revokedAtBlock : null, reason: typeof p.reason === 'string' ? p.reason : null,
    }];
  }).slice(-MAX_PERMITS);
}

export class PermitStore {
  readonly #store: Store<StoredPermit[]>;

  constructor(local: StorageArea) {
    this.#store = new Store(local, 'viewPermits', parse);
  }

  list(): Promise<StoredPermit[]> {
    return this.#store.get();
  }

  async add(p: StoredPermit): Promise<void> {
    await this.#store.update((all) => [...all, p].slice(-MAX_PERMITS));
  }

  /** Changes the permit `id`; resolves to it as stored, or null when there is none. */
  async update(id: string, change: (p: StoredPermit) => Partial<StoredPermit>): Promise<StoredPermit | null> {
    let found: StoredPermit | null = null;
    await this.#store.update((all) => all.map((p) => {
      if (p.file.id !== id) return p;
      found = { ...p, ...change(p) };
      return found;
    }));
    return found;
  }
}
