/**
 * Chain state with history, held the way Substrate commits to it: a base-16 Patricia-Merkle trie
 * (state version 1) whose root is the header's `stateRoot`. The trie is persistent — each block's
 * version shares every untouched node with its parent's — so the state at every block the node holds
 * stays readable (`state_getStorage(key, at)`, `state_getKeysPaged`) and provable
 * (`state_getReadProof`), and committing a block costs O(changed keys · depth), not a rebuild.
 */
import { Trie } from '../../../shared/trie';
import { STATE_VERSION } from '../config';
import { nodeHash } from './hash';

export type Changes = Map<string, Uint8Array | null>;

export interface StorageReader {
  get(key: string): Uint8Array | null;
}

export class VersionedState implements StorageReader {
  /** The head's values by key: block execution reads these far more often than anything else. */
  readonly #latest = new Map<string, Uint8Array>();
  /** One trie per committed block, by block number. */
  readonly #tries: Trie[] = [];

  get(key: string): Uint8Array | null {
    return this.#latest.get(key) ?? null;
  }

  /** The value as of the end of block `block`. */
  getAt(key: string, block: number): Uint8Array | null {
    return this.#trieAt(block).get(key);
  }

  /** The state trie the next block would have with `changes` on top of the head; nothing is committed. */
  next(changes: Changes): Trie {
    return (this.#tries.at(-1) ?? Trie.empty(STATE_VERSION, nodeHash)).with(changes);
  }

  /** Records block `block` (blocks commit in increasing order from 0): its changes and the trie `next` made of them. */
  commit(block: number, changes: Changes, trie: Trie): void {
    if (block !== this.#tries.length) throw new Error(`Block #${block} committed out of order.`);
    for (const [key, value] of changes) {
      if (value === null) this.#latest.delete(key);
      else this.#latest.set(key, value);
    }
    this.#tries.push(trie);
  }

  /** The state root at the end of block `block`. */
  stateRoot(block: number): Uint8Array {
    return this.#trieAt(block).rootHash();
  }

  /** The trie nodes proving `keys` (their values or absence) at the end of block `block`. */
  readProof(keys: readonly string[], block: number): Uint8Array[] {
    return this.#trieAt(block).readProof(keys);
  }

  /** Keys with `prefix` that exist at `block`, sorted, strictly after `startKey`, at most `count`. */
  keysPaged(prefix: string, count: number, startKey: string | null, block: number): string[] {
    return this.#trieAt(block).keys(prefix, count, startKey);
  }

  #trieAt(block: number): Trie {
    const trie = this.#tries[block];
    if (!trie) throw new RangeError(`No state for block #${block}.`);
    return trie;
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
