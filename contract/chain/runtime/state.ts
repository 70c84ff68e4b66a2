/**
 * Key-value state with history. Clients read state at any past block (`state_getStorage(key, at)`:
 * the worker host reads each finalized block's events after the fact), so every committed change is
 * kept as (block number, value) per key instead of snapshotting whole states.
 */

export type Changes = Map<string, Uint8Array | null>;

export interface StorageReader {
  get(key: string): Uint8Array | null;
}

export class VersionedState implements StorageReader {
  readonly #latest = new Map<string, Uint8Array>();
  readonly #history = new Map<string, Array<{ block: number; value: Uint8Array | null }>>();
  #sortedKeys: string[] | null = null;

  get(key: string): Uint8Array | null {
    return this.#latest.get(key) ?? null;
  }

  /** The value as of the end of block `block`. */
  getAt(key: string, block: number): Uint8Array | null {
    const h = this.#history.get(key);
    if (!h) return null;
    let lo = 0;
    let hi = h.length - 1;
    let found: Uint8Array | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (h[mid].block <= block) {
        found = h[mid].value;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** Records the changes made by block `block` (blocks commit in increasing order). */
  commit(block: number, changes: Changes): void {
    for (const [key, value] of changes) {
      if (value === null) this.#latest.delete(key);
      else this.#latest.set(key, value);
      let h = this.#history.get(key);
      if (!h) {
        this.#history.set(key, (h = []));
        this.#sortedKeys = null;
      }
      h.push({ block, value });
    }
  }

  /** Keys with `prefix` that exist at `block`, sorted, strictly after `startKey`, at most `count`. */
  keysPaged(prefix: string, count: number, startKey: string | null, block: number): string[] {
    if (!this.#sortedKeys) this.#sortedKeys = [...this.#history.keys()].sort();
    const out: string[] = [];
    for (const key of this.#sortedKeys) {
      if (out.length >= count) break;
      if (!key.startsWith(prefix) || (startKey !== null && key <= startKey)) continue;
      if (this.getAt(key, block) !== null) out.push(key);
    }
    return out;
  }
}

/** Uncommitted writes on top of a reader: one block (or one transaction) in progress. */
export class Overlay implements StorageReader {
  readonly #changes: Changes = new Map();
  constructor(private readonly base: StorageReader) {}

  get(key: string): Uint8Array | null {
    return this.#changes.has(key) ? this.#changes.get(key)! : this.base.get(key);
  }

  set(key: string, value: Uint8Array | null): void {
    this.#changes.set(key, value);
  }

  get changes(): Changes {
    return this.#changes;
  }

  /** Folds this overlay's writes into `target` (a transaction that succeeded). */
  mergeInto(target: Overlay): void {
    for (const [k, v] of this.#changes) target.set(k, v);
  }
}
