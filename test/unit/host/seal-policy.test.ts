/** How often the worker seals: sealing's share of the worker's time, caught up and catching up. */
import { nextSealAfterMs } from '../../../contract/host/seal-policy';

/** The share of time spent sealing when each seal of `sealMs` is followed by `nextSealAfterMs` of ingesting. */
const sealingShare = (sealMs: number, catchingUp: boolean) => sealMs / (sealMs + nextSealAfterMs(1000, sealMs, catchingUp));

test('a caught-up worker seals under ~10% of its time, a catching-up one under ~3.5%; small ledgers wait the minimum interval', () => {
  for (const sealMs of [200, 1000, 5000]) {
    expect(sealingShare(sealMs, false)).toBeLessThanOrEqual(0.1);
    expect(sealingShare(sealMs, true)).toBeLessThanOrEqual(0.035);
  }
  expect(sealingShare(1000, false)).toBeCloseTo(0.1);
  expect(nextSealAfterMs(1000, 10, false)).toBe(1000);
  expect(nextSealAfterMs(1000, 10, true)).toBe(1000);
  expect(nextSealAfterMs(1000, 1000, true)).toBeGreaterThan(nextSealAfterMs(1000, 1000, false));
});
