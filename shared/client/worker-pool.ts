/**
 * Which worker answers next, and the next one when it does not: pure selection and failover over
 * any members (real transports, or fakes in tests). Queries are spread round-robin over the members
 * that have not failed lately; a member whose transport fails (down, timed out, refusing service) is
 * set aside for `retryAfterMs` and the same call goes on to the next, so one user action succeeds
 * while any member answers. Members that failed lately are still tried, oldest failure first, before
 * the call gives up with a typed error. A typed answer (a refusal, a ledger error) is an answer: it
 * is returned from the member that gave it, never retried elsewhere.
 */
import { ClientError } from './errors';

export interface PoolOptions {
  /** A member failed this recently (ms) is asked only when the others failed too (default 30 s). */
  retryAfterMs?: number;
  now?: () => number;
}

/** Did the member fail to serve (so another may), rather than answer? */
export const isTransportFailure = (e: unknown): boolean => e instanceof ClientError && e.code === 'WorkerUnavailable';

export class WorkerPool<M extends { readonly key: string }> {
  #members: readonly M[];
  readonly #failedAt = new Map<string, number>();
  readonly #retryAfterMs: number;
  readonly #now: () => number;
  #turn = 0;

  constructor(members: readonly M[], opts: PoolOptions = {}) {
    this.#members = members;
    this.#retryAfterMs = opts.retryAfterMs ?? 30_000;
    this.#now = opts.now ?? Date.now;
  }

  get members(): readonly M[] {
    return this.#members;
  }

  /** A new member list (the chain named other workers); what is known of members that stay is kept. */
  replace(members: readonly M[]): void {
    const keys = new Set(members.map((m) => m.key));
    for (const key of this.#failedAt.keys()) if (!keys.has(key)) this.#failedAt.delete(key);
    this.#members = members;
  }

  /**
   * The order the next call asks in: the healthy members from the next turn of the rotation, then
   * those that failed lately, oldest failure first.
   */
  order(): M[] {
    const now = this.#now();
    const failed = (m: M) => {
      const at = this.#failedAt.get(m.key);
      return at !== undefined && now - at < this.#retryAfterMs;
    };
    const healthy = this.#members.filter((m) => !failed(m));
    const start = healthy.length ? this.#turn++ % healthy.length : 0;
    const rotated = [...healthy.slice(start), ...healthy.slice(0, start)];
    const sick = this.#members.filter(failed).sort((a, b) => this.#failedAt.get(a.key)! - this.#failedAt.get(b.key)!);
    return [...rotated, ...sick];
  }

  /** Runs `task` on members in `order()` until one answers; throws `WorkerUnavailable` when none does. */
  async run<T>(task: (member: M) => Promise<T>): Promise<T> {
    const order = this.order();
    if (order.length === 0) throw new ClientError('WorkerUnavailable', 'No attested worker of this contract has published an endpoint on this chain.');
    for (const member of order) {
      try {
        const result = await task(member);
        this.#failedAt.delete(member.key);
        return result;
      } catch (e) {
        if (!isTransportFailure(e)) throw e;
        this.#failedAt.set(member.key, this.#now());
      }
    }
    const n = order.length;
    throw new ClientError('WorkerUnavailable', n === 1
      ? `The worker at ${urlOf(order[0])} is not reachable. Check that it is running and that this is its address.`
      : `None of the ${n} workers of this contract answered. Check your connection, or try again shortly.`);
  }
}

const urlOf = (m: { key: string }): string => m.key;
