/**
 * The transaction pool: validated transactions waiting for the next block, in arrival order. It
 * remembers each sender's next nonce so a wallet can queue several transactions before a block.
 */
import type { AccountId } from '../../../shared/types';
import type { CheckedTx } from '../runtime/extrinsic';

export class TxPool {
  #queue: CheckedTx[] = [];
  readonly #hashes = new Set<string>();
  readonly #next = new Map<AccountId, number>();

  get size(): number {
    return this.#queue.length;
  }

  has(hash: string): boolean {
    return this.#hashes.has(hash);
  }

  /**
   * The nonce a sender's next transaction must carry, given the state's nonce and what is queued
   * (a sender's queued nonces are contiguous from the state's, so any lower one is taken).
   */
  nextNonce(who: AccountId, stateNonce: number): number {
    return Math.max(stateNonce, this.#next.get(who) ?? 0);
  }

  add(tx: CheckedTx): void {
    this.#queue.push(tx);
    this.#hashes.add(tx.hash);
    if (tx.signer !== null) this.#next.set(tx.signer, tx.nonce + 1);
  }

  /** Everything queued, for the next block; the pool starts empty again. */
  drain(): CheckedTx[] {
    const all = this.#queue;
    this.#queue = [];
    this.#hashes.clear();
    this.#next.clear();
    return all;
  }
}
