/**
 * The one way every suite waits: for a condition, never for a length of time. `probe` is called
 * until it returns a truthy value, which `until` resolves with; a probe that throws counts as "not
 * yet" (a server still starting refuses connections), and its last error is named on timeout.
 */
export interface UntilOptions {
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
  /** Pause between probes (default 10 ms). */
  intervalMs?: number;
  /** What is awaited, for the timeout message. */
  what?: string;
}

/** What a truthy probe result can be: `cond && value` probes resolve with the value. */
export type Truthy<T> = Exclude<NonNullable<T>, false | 0 | 0n | ''>;

export async function until<T>(probe: () => T | Promise<T>, opts: UntilOptions = {}): Promise<Truthy<T>> {
  const { timeoutMs = 30_000, intervalMs = 10, what = 'a condition' } = opts;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as Truthy<T>;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      const why = lastError === undefined ? '' : ` (last error: ${lastError instanceof Error ? lastError.message : String(lastError)})`;
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
