/**
 * Whose turn it is to pay a cadence batch of receipts (DESIGN.md §11). Every worker of a contract
 * derives the same receipts; the worker whose index in `ContractWorkers` equals `seq mod n` (for a
 * batch: its first seq) submits at once, the next one in index order after one delay, the one after
 * that after two, and so on — each only if the batch is still unpaid then (the relayer asks the chain
 * first). So one extrinsic pays a batch in the usual case, and any worker pays it when the others
 * are down. Should two submit anyway, the chain refuses the second at validation
 * (`ReceiptAlreadyUsed`): it never reaches a block and nobody pays a fee.
 *
 * The order is only a courtesy among honest hosts: it decides nothing the chain believes.
 */
import type { ApiPromise } from '@polkadot/api';
import type {} from '../../shared/protocol/phala-augment';
import { toHex } from '../../shared/types';

/** Default pause between one worker's turn and the next (the worker's `--receipt-turn-delay`). */
export const RECEIPT_TURN_DELAY_MS = 6000;

/** How long worker `index` of `workerCount` waits before paying the batch starting at `firstSeq`. Pure. */
export function turnDelay(firstSeq: bigint, index: number, workerCount: number, delayMs: number): number {
  if (index < 0 || workerCount < 2) return 0;
  const first = Number(firstSeq % BigInt(workerCount));
  return ((index - first + workerCount) % workerCount) * delayMs;
}

/** This worker's place among its contract's workers, as the chain lists them (refreshed per block). */
export class ReceiptTurn {
  #index = -1;
  #count = 0;

  constructor(
    private readonly api: ApiPromise,
    private readonly contractId: number,
    private readonly identityPub: Uint8Array,
    private readonly delayMs: number = RECEIPT_TURN_DELAY_MS,
  ) {}

  /**
   * Reads the contract's worker list, keeping only workers whose measurement is still allowed: the
   * chain refuses the others' receipts, so after an upgrade a removed worker holds no turn that the
   * rest would wait out. A failed read keeps the last list.
   */
  async refresh(): Promise<void> {
    try {
      const pallet = this.api.query.phalaModule;
      const listed = await pallet.contractWorkers(this.contractId);
      const allowed = await Promise.all(listed.map(async (w) => {
        const info = await pallet.workers(w.toHex());
        return info.isSome && (await pallet.allowedMeasurements(info.unwrap().measurement.toHex())).isTrue;
      }));
      const workers: string[] = listed.filter((_, i) => allowed[i]).map((w) => w.toHex());
      this.#index = workers.indexOf(toHex(this.identityPub));
      this.#count = workers.length;
    } catch {
      // The chain is away: the follower notices and retries; the last list still orders turns.
    }
  }

  delayFor(firstSeq: bigint): number {
    return turnDelay(firstSeq, this.#index, this.#count, this.delayMs);
  }
}
