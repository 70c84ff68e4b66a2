/** What clients show of a contract's checkpoints (shared/client/checkpoint-status.ts), from what the chain holds. */
import { checkpointStatusOf } from '../../../shared/client/checkpoint-status';

test('no checkpoint yet, agreement with the number of workers, and an alarm that outlasts later agreement', () => {
  expect(checkpointStatusOf(null, null, [])).toEqual({ state: 'none' });
  expect(checkpointStatusOf(30, null, ['h|r', 'h|r'])).toEqual({ state: 'agree', block: 30, workers: 2 });
  expect(checkpointStatusOf(40, 30, ['h|r', 'h|r'])).toEqual({ state: 'mismatch', block: 30 });
  expect(checkpointStatusOf(40, null, ['h|r', 'h|x'])).toEqual({ state: 'mismatch', block: 40 });
});
