/**
 * Whether this worker's ledger still matches the contract's (DESIGN.md §11), decided inside the
 * enclave from verified chain data only: the worker's own checkpoints (block hash and state root it
 * computed) against the reference ledger a verified `CheckpointMismatch` event names. The host cannot
 * forge that event (the light client proves it), nor hide it without stopping the enclave altogether.
 *
 * Minority rule: the pallet names the ledger most of the block's checkpoints hold, a tie going to the
 * side of the worker registered earliest. A worker whose own checkpoint of that block differs is in
 * the minority: it signs no receipt from then on (neither for the relayer nor for a Receipt query)
 * and its host stops relaying commands. The verdict is sticky and sealed: a ledger that once
 * diverged is not trusted again — the operator replays it from the chain (a fresh data directory).
 * For two workers this stops the later-registered one of a split, so exactly one keeps paying.
 *
 * Pure: no crypto, no I/O.
 */
import { sameLedger } from '../../shared/protocol/checkpoint';
import type { Hash } from '../../shared/types';
import type { CheckpointVerdict } from './light-client';

/** Own checkpoints kept for verdicts that come late (other workers lag): this many checkpoint intervals. */
const KEEP_OWN = 64;

export type CheckpointStatus =
  | { state: 'agreeing' }
  /** The reference ledger of `block` (the first such verdict) is not this worker's: it relays nothing (reason for /health). */
  | { state: 'diverged'; reason: 'CheckpointMismatch'; block: number };

interface Own {
  blockHash: Hash;
  stateRoot: Hash;
}

export class CheckpointWatch {
  readonly #own = new Map<number, Own>();
  #divergedAt: number | null;

  /** `divergedAt`: the sealed verdict (null: never diverged). */
  constructor(divergedAt: number | null) {
    this.#divergedAt = divergedAt;
  }

  /** This worker's checkpoint of `block`, as it signed it. */
  recordOwn(block: number, own: Own): void {
    this.#own.set(block, own);
    if (this.#own.size > KEEP_OWN) this.#own.delete(this.#own.keys().next().value!);
  }

  /** Verified verdicts of this contract's checkpoints. */
  observe(verdicts: readonly CheckpointVerdict[]): void {
    for (const v of verdicts) {
      const own = this.#own.get(v.blockNumber);
      // The first verdict lost is where the ledger went wrong as far as anyone can tell; later ones add nothing.
      if (own && !sameLedger(own, v)) this.#divergedAt ??= v.blockNumber;
    }
  }

  get divergedAt(): number | null {
    return this.#divergedAt;
  }

  get status(): CheckpointStatus {
    return this.#divergedAt === null ? { state: 'agreeing' } : { state: 'diverged', reason: 'CheckpointMismatch', block: this.#divergedAt };
  }
}
