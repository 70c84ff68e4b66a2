/** Per-key budgets in bounded memory: churning keys never resets a bucket (pure, injected time). */
import { TokenBuckets } from '../../../shared/token-buckets';

const T0 = 1_000_000;

test('a bucket gives its burst, then refills at its rate', () => {
  const b = new TokenBuckets({ ratePerSecond: 2, burst: 4, maxKeys: 10 });
  expect(Array.from({ length: 5 }, () => b.take('a', T0))).toEqual([true, true, true, true, false]);
  expect(b.take('a', T0 + 499)).toBe(false);
  expect(b.take('a', T0 + 500)).toBe(true);
  expect(b.take('b', T0)).toBe(true); // keys are independent
});

test('rotating 20,000 keys past the bound does not reset a drained bucket', () => {
  const c = new TokenBuckets({ ratePerSecond: 0.001, burst: 1, maxKeys: 10_000 });
  expect(c.take('client', T0)).toBe(true);
  expect(c.take('client', T0)).toBe(false);
  for (let i = 0; i < 20_000; i++) c.take(`rotating-${i}`, T0 + i);
  expect(c.size).toBeLessThanOrEqual(10_000);
  expect(c.take('client', T0 + 20_000)).toBe(false); // still limited: 1 token per 1,000 s, 20 s passed
  expect(c.take('client', T0 + 1_000_000)).toBe(true); // and it refills as it should
});

test('keys beyond the bound share one overflow bucket until some bucket is full again, then get their own', () => {
  const b = new TokenBuckets({ ratePerSecond: 1, burst: 2, maxKeys: 3 });
  for (const k of ['a', 'b', 'c']) b.take(k, T0);
  expect([b.take('x', T0), b.take('y', T0), b.take('z', T0)]).toEqual([true, true, false]); // one shared bucket of 2
  expect(b.size).toBe(3);
  // a's bucket is full again 1 s later: forgetting it loses nothing, so a new key takes its place
  expect(b.take('w', T0 + 1000)).toBe(true);
  expect(b.take('w', T0 + 1000)).toBe(true);
  expect(b.take('w', T0 + 1000)).toBe(false);
});

test('bad settings are refused', () => {
  expect(() => new TokenBuckets({ ratePerSecond: 0, burst: 1, maxKeys: 1 })).toThrow(RangeError);
  expect(() => new TokenBuckets({ ratePerSecond: 1, burst: 0.5, maxKeys: 1 })).toThrow(RangeError);
  expect(() => new TokenBuckets({ ratePerSecond: 1, burst: 1, maxKeys: 0 })).toThrow(RangeError);
});
