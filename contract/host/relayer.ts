/**
 * Submits `transferToChain` for every withdraw receipt the enclave releases, retrying until the
 * chain has it — and never twice: before each attempt it asks the chain whether that `seq` is
 * already paid (the pallet refuses a reused seq anyway). The receipt names its contract, and the
 * pallet pays it from that contract's custody only.
 *
 * The enclave releases receipts in batches, at cadence boundaries. Every receipt due is submitted in
 * one burst (the paid checks first, then all submissions in the same tick), so a batch lands in one
 * block: one unsigned `transferToChain` per receipt, consecutive. Unsigned because a receipt
 * authenticates itself (the worker's signature), so no account of ours is linked to payouts, and no
 * nonces order the burst. One extrinsic per receipt, not a batch call: the pool validates each on its
 * own, so a receipt the chain refuses (custody short, worker not accepted) never holds up the others
 * in its batch, and it backs off alone (receipt-backoff.ts). Logs and the operator status name
 * receipts by seq and reason only — never an amount or a destination.
 */
import type { ApiPromise } from '@polkadot/api';
import type {} from '../../shared/protocol/phala-augment';
import { ClientError } from '../../shared/client/errors';
import { submitAndWatch } from '../../shared/client/submit';
import type { SignedReceipt } from '../enclave';
import { classifyRefusal, DEFAULT_BACKOFF, ReceiptBackoff, type BackoffPolicy, type StuckReceipt, type UnpaidFailure } from './receipt-backoff';

export interface RelayerOptions {
  backoff?: BackoffPolicy;
  /** Wall clock in ms; injectable so tests can drive the schedule. */
  now?: () => number;
}

/** What one attempt came to: paid (now or earlier, by anyone), or why not. */
type Attempt = { paid: true; byUs: boolean } | { paid: false; failure: UnpaidFailure };

export class Relayer {
  readonly #schedule: ReceiptBackoff<SignedReceipt>;
  readonly #now: () => number;
  #running: Promise<void> | null = null;
  #stopped = false;
  /** Ends the current wait early: a new receipt arrived, or the relayer stops. */
  #wake: (() => void) | null = null;

  constructor(
    private readonly api: ApiPromise,
    private readonly log: (line: string) => void,
    opts: RelayerOptions = {},
  ) {
    this.#schedule = new ReceiptBackoff(opts.backoff ?? DEFAULT_BACKOFF);
    this.#now = opts.now ?? Date.now;
  }

  get pending(): number {
    return this.#schedule.size;
  }

  /** Receipts that failed at least once and are not paid yet, by seq with their last reason (for the operator status). */
  stuck(): StuckReceipt[] {
    return this.#schedule.stuck(this.#now());
  }

  enqueue(receipts: readonly SignedReceipt[]): void {
    if (this.#stopped) return;
    for (const r of receipts) this.#schedule.add(r.receipt.seq, r, this.#now());
    this.#wake?.();
    this.#running ??= this.#drain().finally(() => { this.#running = null; });
  }

  async isPaid(r: SignedReceipt): Promise<boolean> {
    return (await this.api.query.phalaModule.usedReceipts(r.receipt.contractId, r.receipt.seq)).isTrue;
  }

  async #drain(): Promise<void> {
    while (this.#schedule.size && !this.#stopped) {
      const due = this.#schedule.due(this.#now());
      if (!due.length) {
        await this.#sleep(Math.max(0, (this.#schedule.nextTryAt() ?? this.#now()) - this.#now()));
        continue;
      }
      const attempts = await this.#attemptBatch(due.map((d) => d.item));
      if (this.#stopped) return;
      due.forEach(({ seq }, i) => {
        const attempt = attempts[i];
        if (attempt.paid) this.#settle(seq, attempt.byUs);
        else this.#failed(seq, attempt.failure);
      });
    }
  }

  /** The paid checks all first, then every submission in one tick: the batch reaches the pool together. */
  async #attemptBatch(batch: readonly SignedReceipt[]): Promise<Attempt[]> {
    const paid = await Promise.all(batch.map((r) => this.isPaid(r).catch(() => null)));
    return Promise.all(batch.map((r, i): Attempt | Promise<Attempt> => {
      if (paid[i] === null) return { paid: false, failure: { reason: 'ChainUnavailable' } };
      return paid[i] ? { paid: true, byUs: false } : this.#submit(r);
    }));
  }

  async #submit({ receipt, signature }: SignedReceipt): Promise<Attempt> {
    try {
      const tx = this.api.tx.phalaModule.transferToChain(
        { contractId: receipt.contractId, seq: receipt.seq, dest: receipt.dest, amount: receipt.amount }, signature,
      );
      await submitAndWatch(this.api, tx, null);
      return { paid: true, byUs: true };
    } catch (e) {
      if (!(e instanceof ClientError) || e.code === 'Timeout') return { paid: false, failure: { reason: 'ChainUnavailable' } };
      const verdict = classifyRefusal(e.reason ?? e.message);
      return verdict === 'AlreadyPaid' ? { paid: true, byUs: false } : { paid: false, failure: verdict };
    }
  }

  #settle(seq: bigint, byUs: boolean): void {
    const attempts = this.#schedule.paid(seq);
    if (byUs) this.log(`withdraw receipt #${seq} paid${attempts ? ` after ${attempts} failed attempt(s)` : ''}`);
  }

  #failed(seq: bigint, failure: UnpaidFailure): void {
    const before = this.#schedule.lastFailure(seq);
    const delay = this.#schedule.failed(seq, failure, this.#now());
    // One line when a receipt gets stuck or its reason changes, not one per retry; the operator status has the rest.
    if (before?.reason !== failure.reason || before.chainError !== failure.chainError) {
      const detail = failure.chainError ? ` (${failure.chainError})` : '';
      this.log(`withdraw receipt #${seq} not paid: ${failure.reason}${detail}; retrying with backoff (next in ${delay} ms)`);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#wake = null;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#wake = wake;
    });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#running?.catch(() => {});
  }
}
