/**
 * Waits for a condition, not for time: polls `probe` until it returns something truthy and resolves
 * with that value, or rejects after `timeoutMs` with an error naming `what` (and the last probe error,
 * when the probe threw). Tests assert on what `until` returns, so nothing is checked before it holds.
 */
export async function until<T>(
  probe: () => T | Promise<T>,
  opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<NonNullable<T>> {
  const { timeoutMs = 5_000, intervalMs = 5, what = 'the condition' } = opts;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
      lastError = null;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last attempt: ${lastError.message})` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
