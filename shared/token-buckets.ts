/**
 * Token buckets per key (client address, account) in bounded memory, for budgets an attacker cannot
 * reset by churning keys. Pure: time is the caller's milliseconds.
 *
 * Memory is bounded by forgetting only buckets that are full again — forgetting a full bucket loses
 * nothing, since a new key starts full. Entries sit in last-touched order, so the least recently
 * touched is the first to have refilled; when it has not, no bucket is dropped and keys seen beyond
 * the bound share one overflow bucket until some refill. Rotating any number of keys therefore never
 * resets an existing bucket (the old limiter cleared every bucket after 10,000 addresses).
 */
export interface TokenBucketOptions extends BucketRate {
  /** Most keys remembered at once. */
  maxKeys: number;
}

export interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date (caller's ms). */
  at: number;
}

export interface BucketRate {
  ratePerSecond: number;
  burst: number;
}

export const fullBucket = (rate: BucketRate, now: number): Bucket => ({ tokens: rate.burst, at: now });

/** Tokens `b` holds at `now`. */
export const tokensAt = (b: Bucket, rate: BucketRate, now: number): number =>
  Math.min(rate.burst, b.tokens + (Math.max(0, now - b.at) / 1000) * rate.ratePerSecond);

/** Takes one token from `b`; false (and nothing taken) when it is empty. */
export function takeToken(b: Bucket, rate: BucketRate, now: number): boolean {
  b.tokens = tokensAt(b, rate, now);
  b.at = now;
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
}

export class TokenBuckets {
  readonly #buckets = new Map<string, Bucket>();
  readonly #overflow: Bucket;

  constructor(private readonly opts: TokenBucketOptions) {
    if (!(opts.ratePerSecond > 0 && opts.burst >= 1 && Number.isInteger(opts.maxKeys) && opts.maxKeys > 0)) {
      throw new RangeError('A token bucket needs a positive rate, a burst of at least 1 and a positive key bound.');
    }
    this.#overflow = fullBucket(opts, -Infinity);
  }

  get size(): number {
    return this.#buckets.size;
  }

  /** Takes one token from `key`'s bucket; false (and nothing taken) when it is empty. */
  take(key: string, now: number): boolean {
    return takeToken(this.#bucketFor(key, now), this.opts, now);
  }

  #bucketFor(key: string, now: number): Bucket {
    const known = this.#buckets.get(key);
    if (known !== undefined) {
      this.#buckets.delete(key); // re-insert: the map stays in last-touched order
      this.#buckets.set(key, known);
      return known;
    }
    if (!this.#room(now)) return this.#overflow;
    const fresh = fullBucket(this.opts, now);
    this.#buckets.set(key, fresh);
    return fresh;
  }

  /** Room for one more key, after dropping the oldest buckets that are full again. */
  #room(now: number): boolean {
    for (const [key, b] of this.#buckets) {
      if (this.#buckets.size < this.opts.maxKeys) break;
      if (tokensAt(b, this.opts, now) < this.opts.burst) break;
      this.#buckets.delete(key);
    }
    return this.#buckets.size < this.opts.maxKeys;
  }
}
