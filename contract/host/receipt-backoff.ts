/**
 * The relayer's per-receipt schedule (pure: it takes `now`, does no I/O). Every unpaid receipt keeps
 * its own attempt count, next try and last reason, so one the chain cannot pay yet (its contract's
 * custody short, its worker's measurement removed) backs off alone while the receipts behind it are
 * tried as soon as they arrive.
 */

/** Why the chain did not pay a receipt on its last attempt. */
export type UnpaidReason =
  /** `PhalaModule.CustodyInsufficient`: the contract's custody cannot cover it (it pays once refilled). */
  | 'CustodyShort'
  /** `PhalaModule.UnknownWorker` / `BadReceiptSignature`: the chain no longer accepts this worker's signature (measurement removed, worker not registered). */
  | 'WorkerNotAccepted'
  /** Any other refusal by the chain (its error name is kept in `chainError`). */
  | 'Rejected'
  /** The chain did not answer (connection lost, timeout). */
  | 'ChainUnavailable';

export interface UnpaidFailure {
  reason: UnpaidReason;
  /** The chain's own error name, e.g. `PhalaModule.CustodyInsufficient`: names only, never values. */
  chainError?: string;
}

/** What `/health` shows of a receipt that is not paid yet: its id and why — never its amount or destination. */
export interface StuckReceipt extends UnpaidFailure {
  seq: string;
  attempts: number;
  retryInMs: number;
}

export interface BackoffPolicy {
  /** Wait after the first failure; each further failure doubles it. */
  firstDelayMs: number;
  /** The wait never grows beyond this, so a receipt made payable again is paid within it. */
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { firstDelayMs: 500, maxDelayMs: 15_000 };

interface Entry<T> {
  item: T;
  attempts: number;
  nextTryAt: number;
  last: UnpaidFailure | null;
}

export function backoffDelay(policy: BackoffPolicy, attempts: number): number {
  // 2 ** 30 already exceeds any sensible cap; clamping the exponent keeps the number finite.
  return Math.min(policy.firstDelayMs * 2 ** Math.min(attempts - 1, 30), policy.maxDelayMs);
}

export class ReceiptBackoff<T> {
  readonly #entries = new Map<bigint, Entry<T>>();

  constructor(private readonly policy: BackoffPolicy = DEFAULT_BACKOFF) {}

  get size(): number {
    return this.#entries.size;
  }

  /** A receipt not seen before is due at `dueAt` (now, or when its worker's turn comes); one already scheduled keeps its schedule. */
  add(seq: bigint, item: T, dueAt: number): void {
    if (!this.#entries.has(seq)) this.#entries.set(seq, { item, attempts: 0, nextTryAt: dueAt, last: null });
  }

  /** The receipts whose next try has come, lowest seq first. */
  due(now: number): { seq: bigint; item: T }[] {
    return [...this.#entries]
      .filter(([, e]) => e.nextTryAt <= now)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([seq, e]) => ({ seq, item: e.item }));
  }

  /** When the earliest scheduled try comes, or null when nothing waits. */
  nextTryAt(): number | null {
    let next: number | null = null;
    for (const e of this.#entries.values()) if (next === null || e.nextTryAt < next) next = e.nextTryAt;
    return next;
  }

  /** Records a failed attempt; returns the wait before this receipt is tried again. */
  failed(seq: bigint, failure: UnpaidFailure, now: number): number {
    const e = this.#entries.get(seq);
    if (!e) return 0;
    e.attempts += 1;
    e.last = failure;
    const delay = backoffDelay(this.policy, e.attempts);
    e.nextTryAt = now + delay;
    return delay;
  }

  lastFailure(seq: bigint): UnpaidFailure | null {
    return this.#entries.get(seq)?.last ?? null;
  }

  /** The receipt is paid (by us or found paid on chain): it leaves the schedule. Returns its failed attempts. */
  paid(seq: bigint): number {
    const attempts = this.#entries.get(seq)?.attempts ?? 0;
    this.#entries.delete(seq);
    return attempts;
  }

  /** Every receipt that has failed at least once, lowest seq first. */
  stuck(now: number): StuckReceipt[] {
    return [...this.#entries]
      .filter(([, e]) => e.last !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([seq, e]) => ({ seq: seq.toString(), ...e.last!, attempts: e.attempts, retryInMs: Math.max(0, e.nextTryAt - now) }));
  }
}

const WORKER_NOT_ACCEPTED = new Set(['PhalaModule.UnknownWorker', 'PhalaModule.BadReceiptSignature']);

/**
 * Sorts a chain refusal into a reason. `text` is the refusal's error name or message as the chain
 * worded it (`1010: Invalid Transaction: PhalaModule.CustodyInsufficient: …`, or a dispatch error's
 * `PhalaModule.CustodyInsufficient`). Returns `'AlreadyPaid'` for a receipt someone already relayed.
 */
export function classifyRefusal(text: string): UnpaidFailure | 'AlreadyPaid' {
  const chainError = /\b([A-Z][A-Za-z]+\.[A-Z][A-Za-z]+)\b/.exec(text)?.[1];
  if (chainError === 'PhalaModule.ReceiptAlreadyUsed') return 'AlreadyPaid';
  if (chainError === 'PhalaModule.CustodyInsufficient') return { reason: 'CustodyShort', chainError };
  if (chainError && WORKER_NOT_ACCEPTED.has(chainError)) return { reason: 'WorkerNotAccepted', chainError };
  return chainError ? { reason: 'Rejected', chainError } : { reason: 'Rejected' };
}
