/**
 * Submits `transferToChain` for every withdraw receipt the enclave releases, retrying until the
 * chain has it — and never twice: before each attempt it asks the chain whether that `seq` is
 * already paid (the pallet refuses a reused seq anyway). The receipt names its contract, and the
 * pallet pays it from that contract's custody only.
 *
 * Every worker of the contract relays the same receipts; each batch is first tried in this worker's
 * turn (receipt-turn.ts), and skipped when the chain already shows it paid.
 *
 * The enclave releases receipts in batches, at cadence boundaries, and every receipt due goes in one
 * `transferToChainBatch` extrinsic (up to MAX_RECEIPT_BATCH each): one extrinsic, so the batch is
 * paid in one block by construction, not by the luck of timing. It is unsigned: receipts
 * authenticate themselves (the worker's signature), so no account of ours is linked to payouts.
 * The batch is all or nothing, so when the chain refuses it (one receipt's custody short, the
 * worker's measurement removed), the relayer tries each receipt alone with `transferToChain`: the
 * payable ones are paid, and each refused one backs off on its own (receipt-backoff.ts), never holding
 * up the others. Logs and the operator status name receipts by seq and reason only — never an amount
 * or a destination.
 */
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type {} from '../../shared/protocol/phala-augment';
import { MAX_RECEIPT_BATCH } from '../../shared/constants';
import { ClientError } from '../../shared/client/errors';
import { submitAndWatch } from '../../shared/client/submit';
import type { SignedReceipt } from '../enclave';
import { classifyRefusal, DEFAULT_BACKOFF, ReceiptBackoff, type BackoffPolicy, type StuckReceipt, type UnpaidFailure } from './receipt-backoff';

const asCall = (r: SignedReceipt['receipt']) => ({ contractId: r.contractId, seq: r.seq, dest: r.dest, amount: r.amount });

export interface RelayerOptions {
  backoff?: BackoffPolicy;
  /**
   * How long to wait before the first try of a batch starting at `firstSeq`: this worker's turn among
   * the contract's workers (receipt-turn.ts). Absent: at once.
   */
  turnDelay?: (firstSeq: bigint) => number;
  /** Wall clock in ms; injectable so tests can drive the schedule. */
  now?: () => number;
}

/** What one attempt came to: paid (now or earlier, by anyone), or why not. */
type Attempt = { paid: true; byUs: boolean } | { paid: false; failure: UnpaidFailure };

export class Relayer {
  readonly #schedule: ReceiptBackoff<SignedReceipt>;
  readonly #now: () => number;
  readonly #turnDelay: (firstSeq: bigint) => number;
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
    this.#turnDelay = opts.turnDelay ?? (() => 0);
  }

  get pending(): number {
    return this.#schedule.size;
  }

  /** Receipts that failed at least once and are not paid yet, by seq with their last reason (for the operator status). */
  stuck(): StuckReceipt[] {
    return this.#schedule.stuck(this.#now());
  }

  /** A cadence batch (or the unpaid ones at start): first tried when this worker's turn for its first seq comes. */
  enqueue(receipts: readonly SignedReceipt[]): void {
    if (this.#stopped || receipts.length === 0) return;
    const firstSeq = receipts.reduce((min, r) => (r.receipt.seq < min ? r.receipt.seq : min), receipts[0].receipt.seq);
    const dueAt = this.#now() + this.#turnDelay(firstSeq);
    for (const r of receipts) this.#schedule.add(r.receipt.seq, r, dueAt);
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

  /** Leaves out what is already paid, then pays the rest in batch extrinsics. Attempts in `batch` order. */
  async #attemptBatch(batch: readonly SignedReceipt[]): Promise<Attempt[]> {
    const paid = await Promise.all(batch.map((r) => this.isPaid(r).catch(() => null)));
    const attempts: Attempt[] = paid.map((p) => (p === null ? { paid: false, failure: { reason: 'ChainUnavailable' } } : { paid: true, byUs: false }));
    const toPay = batch.flatMap((_, i) => (paid[i] === false ? [i] : []));
    for (let at = 0; at < toPay.length; at += MAX_RECEIPT_BATCH) {
      const chunk = toPay.slice(at, at + MAX_RECEIPT_BATCH);
      const results = await this.#payTogether(chunk.map((i) => batch[i]));
      chunk.forEach((i, k) => { attempts[i] = results[k]; });
    }
    return attempts;
  }

  /** One batch extrinsic; if the chain refuses it, each receipt alone, so each gets its own verdict. */
  async #payTogether(receipts: readonly SignedReceipt[]): Promise<Attempt[]> {
    const together = await this.#submit(this.api.tx.phalaModule.transferToChainBatch(receipts.map(({ receipt, signature }) => ({ receipt: asCall(receipt), signature }))));
    // Paid by us: all of them. A refusal names one receipt (even ReceiptAlreadyUsed), so it decides only a batch of one.
    const decided = receipts.length === 1 || (together.paid ? together.byUs : together.failure.reason === 'ChainUnavailable');
    if (decided) return receipts.map(() => together);
    return Promise.all(receipts.map(({ receipt, signature }) => this.#submit(this.api.tx.phalaModule.transferToChain(asCall(receipt), signature))));
  }

  async #submit(tx: SubmittableExtrinsic<'promise'>): Promise<Attempt> {
    try {
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
