/**
 * The transaction pool: transactions waiting for the next block, in arrival order. A transaction
 * holds its place (and its nonce) from the moment its other checks pass, while its signature is
 * verified; only verified ones go into blocks. Remembering each sender's next nonce lets a wallet
 * queue several transactions before a block.
 */
import type { AccountId } from '../../../shared/types';
import type { CheckedTx } from '../runtime/extrinsic';

export class TxPool {
  /** Arrival order (Map iteration order) → whether the signature is verified yet. */
  readonly #entries = new Map<CheckedTx, boolean>();
  readonly #hashes = new Set<string>();
  readonly #next = new Map<AccountId, number>();
  #ready = 0;

  /** Verified transactions ready for a block. */
  get ready(): number {
    return this.#ready;
  }

  /** Every queued transaction's bytes, in arrival order (`author_pendingExtrinsics`). */
  pending(): Uint8Array[] {
    return [...this.#entries.keys()].map((tx) => tx.bytes);
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

  add(tx: CheckedTx, verified: boolean): void {
    this.#entries.set(tx, verified);
    this.#hashes.add(tx.hash);
    if (verified) this.#ready++;
    if (tx.signer !== null) this.#next.set(tx.signer, tx.nonce + 1);
  }

  verified(tx: CheckedTx): void {
    if (this.#entries.get(tx) !== false) return;
    this.#entries.set(tx, true);
    this.#ready++;
  }

  remove(tx: CheckedTx): void {
    if (this.#entries.get(tx)) this.#ready--;
    this.#forget(tx);
    this.#recountNonces();
  }

  /**
   * The verified transactions, for the next block; those still being verified stay, and so do the
   * later ones of the same sender: their nonces follow the unverified one, so a block taking them now
   * would refuse them (signatures are verified in parallel and can finish out of order).
   */
  drain(): CheckedTx[] {
    const ready: CheckedTx[] = [];
    const waiting = new Set<AccountId>();
    for (const [tx, verified] of this.#entries) {
      const blocked = tx.signer !== null && waiting.has(tx.signer);
      if (verified && !blocked) ready.push(tx);
      else if (tx.signer !== null) waiting.add(tx.signer);
    }
    for (const tx of ready) this.#forget(tx);
    this.#ready -= ready.length;
    this.#recountNonces();
    return ready;
  }

  #forget(tx: CheckedTx): void {
    this.#entries.delete(tx);
    this.#hashes.delete(tx.hash);
  }

  #recountNonces(): void {
    this.#next.clear();
    for (const tx of this.#entries.keys()) if (tx.signer !== null) this.#next.set(tx.signer, tx.nonce + 1);
  }
}
