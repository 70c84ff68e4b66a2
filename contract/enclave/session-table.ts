/**
 * Open query sessions: sessionId → (account, session key, expiry, last counter), bounded in size so
 * that no client — however many throw-away accounts it signs with — can keep another from opening one.
 *
 * - At most `perAccount` sessions per account; a new one replaces that account's least recently used.
 * - When the table is full, expired sessions are swept, then the least recently used session goes.
 *   Every session opened or queried moves to the fresh end, so a flood of new sessions must open
 *   `capacity` of them to push out a session its owner keeps using, and the owner just re-opens.
 * - Each account with sessions in the table has an opening budget (a token bucket kept with its
 *   sessions, so its memory is bounded by the table), checked before the signature and charged only
 *   after it verified, so nobody without the account's key can spend it. An account forgotten with its
 *   last session starts full again: resetting one's own budget that way takes pushing all one's
 *   sessions out, `capacity` opens. The host adds a per-address budget on query envelopes
 *   (contract/host/query-server.ts).
 *
 * Evicting a live session is safe: its key mixes in a salt the enclave drew when it opened it, so a
 * host replaying the recorded OpenSession re-creates the session under a new key; the recorded frames
 * do not authenticate under it, and no reply nonce is ever used twice under one key.
 * Time is the caller's monotonic clock, so an expired (and swept) session can never come back.
 */
import { fullBucket, takeToken, tokensAt, type Bucket, type BucketRate } from '../../shared/token-buckets';
import { toHex, type AccountId } from '../../shared/types';

export interface Session {
  readonly account: AccountId;
  readonly key: Uint8Array;
  /** The enclave's salt in the key; returned again when the same account re-opens the session. */
  readonly salt: Uint8Array;
  /** ms since the epoch; may grow when the same account re-opens the same session. */
  expiresAt: number;
  /** Highest request counter answered; the next must be larger. */
  lastCounter: bigint;
}

export type OpenResult = { ok: true; session: Session } | { ok: false; code: 'NotAuthorized' | 'TooManySessions' };

export interface SessionLimits {
  /** Most sessions kept at once. */
  capacity: number;
  /** Most sessions one account keeps at once. */
  perAccount: number;
  /** New sessions an account may open per minute, after a burst of `openBurst`. */
  opensPerMinute: number;
  openBurst: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { capacity: 100_000, perAccount: 8, opensPerMinute: 30, openBurst: 30 };

export class SessionTable {
  /** In least-recently-used order: the first entry is the next to go. */
  readonly #byId = new Map<string, Session>();
  /** Each account's session ids (least recently opened first) and its opening budget. */
  readonly #byAccount = new Map<AccountId, { ids: Set<string>; opens: Bucket }>();
  readonly #limits: SessionLimits;
  readonly #openRate: BucketRate;
  /** Earliest expiry among stored sessions (a lower bound): a sweep before it cannot free anything. */
  #earliestExpiry = Infinity;

  constructor(limits: Partial<SessionLimits> = {}) {
    this.#limits = { ...DEFAULT_SESSION_LIMITS, ...limits };
    this.#openRate = { ratePerSecond: this.#limits.opensPerMinute / 60, burst: this.#limits.openBurst };
  }

  get size(): number {
    return this.#byId.size;
  }

  /** Looks a session up and marks it used. */
  get(sessionId: Uint8Array): Session | undefined {
    const id = toHex(sessionId);
    const s = this.#byId.get(id);
    if (s !== undefined) {
      this.#byId.delete(id);
      this.#byId.set(id, s);
    }
    return s;
  }

  delete(sessionId: Uint8Array): void {
    this.#remove(toHex(sessionId));
  }

  /** Whether `account` may open a new session now (checked before its signature is verified). */
  mayOpen(account: AccountId, now: number): boolean {
    const mine = this.#byAccount.get(account);
    return mine === undefined || tokensAt(mine.opens, this.#openRate, now) >= 1;
  }

  /**
   * Stores a session whose opening signature was already verified. Re-opening the same sessionPub by the
   * same account keeps the key and counter (a retried OpenSession must not reset replay protection) and
   * costs no budget; another account claiming it is refused.
   */
  open(sessionId: Uint8Array, account: AccountId, key: Uint8Array, salt: Uint8Array, expiresAt: number, now: number): OpenResult {
    const id = toHex(sessionId);
    const existing = this.get(sessionId);
    if (existing !== undefined) {
      if (existing.account !== account) return { ok: false, code: 'NotAuthorized' };
      existing.expiresAt = Math.max(existing.expiresAt, expiresAt);
      return { ok: true, session: existing };
    }
    const mine = this.#byAccount.get(account) ?? { ids: new Set<string>(), opens: fullBucket(this.#openRate, now) };
    if (!takeToken(mine.opens, this.#openRate, now)) return { ok: false, code: 'TooManySessions' };
    if (mine.ids.size >= this.#limits.perAccount) this.#remove(mine.ids.values().next().value as string);
    if (this.#byId.size >= this.#limits.capacity) this.#sweep(now);
    if (this.#byId.size >= this.#limits.capacity) this.#remove(this.#byId.keys().next().value as string);
    const session: Session = { account, key, salt, expiresAt, lastCounter: 0n };
    this.#byId.set(id, session);
    mine.ids.add(id);
    this.#byAccount.set(account, mine);
    this.#earliestExpiry = Math.min(this.#earliestExpiry, expiresAt);
    return { ok: true, session };
  }

  #remove(id: string): void {
    const s = this.#byId.get(id);
    if (s === undefined) return;
    this.#byId.delete(id);
    const mine = this.#byAccount.get(s.account);
    mine?.ids.delete(id);
    if (mine?.ids.size === 0) this.#byAccount.delete(s.account);
  }

  #sweep(now: number): void {
    if (now < this.#earliestExpiry) return;
    let earliest = Infinity;
    for (const [id, s] of this.#byId) {
      if (s.expiresAt <= now) this.#remove(id);
      else earliest = Math.min(earliest, s.expiresAt);
    }
    this.#earliestExpiry = earliest;
  }
}
