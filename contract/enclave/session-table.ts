/**
 * Open query sessions: sessionId → (account, session key, expiry, last counter), bounded in size.
 *
 * A live session is never evicted to make room. Its key is fixed by the client's sessionPub and reply
 * nonces by the counter, so a forgotten session could be re-created by the host replaying the
 * recorded OpenSession envelope, then fed the recorded frames again: the enclave would seal fresh
 * answers under nonces it had already used (XChaCha20-Poly1305 nonce reuse leaks the XOR of answers).
 * When full, expired sessions are swept; if none expired, opening fails with TooManySessions.
 * Time is the caller's monotonic clock, so an expired (and swept) session can never come back.
 */
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

export const DEFAULT_MAX_SESSIONS = 100_000;

export class SessionTable {
  readonly #byId = new Map<string, Session>();
  /** Earliest expiry among stored sessions (a lower bound): a sweep before it cannot free anything. */
  #earliestExpiry = Infinity;

  constructor(private readonly capacity = DEFAULT_MAX_SESSIONS) {}

  get size(): number {
    return this.#byId.size;
  }

  get(sessionId: Uint8Array): Session | undefined {
    return this.#byId.get(toHex(sessionId));
  }

  delete(sessionId: Uint8Array): void {
    this.#byId.delete(toHex(sessionId));
  }

  /**
   * Stores a session whose opening signature was already verified. Re-opening the same sessionPub by the
   * same account keeps the key and counter (a retried OpenSession must not reset replay protection);
   * another account claiming it is refused.
   */
  open(sessionId: Uint8Array, account: AccountId, key: Uint8Array, salt: Uint8Array, expiresAt: number, now: number): OpenResult {
    const id = toHex(sessionId);
    const existing = this.#byId.get(id);
    if (existing !== undefined) {
      if (existing.account !== account) return { ok: false, code: 'NotAuthorized' };
      existing.expiresAt = Math.max(existing.expiresAt, expiresAt);
      return { ok: true, session: existing };
    }
    if (this.#byId.size >= this.capacity) this.#sweep(now);
    if (this.#byId.size >= this.capacity) return { ok: false, code: 'TooManySessions' };
    const session: Session = { account, key, salt, expiresAt, lastCounter: 0n };
    this.#byId.set(id, session);
    this.#earliestExpiry = Math.min(this.#earliestExpiry, expiresAt);
    return { ok: true, session };
  }

  #sweep(now: number): void {
    if (now < this.#earliestExpiry) return;
    let earliest = Infinity;
    for (const [id, s] of this.#byId) {
      if (s.expiresAt <= now) this.#byId.delete(id);
      else earliest = Math.min(earliest, s.expiresAt);
    }
    this.#earliestExpiry = earliest;
  }
}
