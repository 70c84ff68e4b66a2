/**
 * "Still pending" without waiting for time: a test first passes a barrier that proves the code under
 * test has handled what could have settled the promise (a later message through the same path was
 * answered, the approval window rendered), then asks whether it settled. Nothing here waits.
 */
export interface Watched<T> {
  /** The same outcome as the watched promise (its rejection is handled, so an unread one is no error). */
  promise: Promise<T>;
  /** True once it resolved or rejected. */
  settled(): boolean;
}

export function watch<T>(p: Promise<T>): Watched<T> {
  let done = false;
  const promise = p.finally(() => {
    done = true;
  });
  promise.catch(() => undefined);
  return { promise, settled: () => done };
}

/**
 * `p`, or a clear failure after `ms` instead of jest's timeout: a ceiling for a promise that should
 * settle promptly (a page call with no extension behind it never settles). It never delays a result.
 */
export function within<T>(p: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
