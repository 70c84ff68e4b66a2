/**
 * The order in which a contract's workers pay a receipt batch (contract/host/receipt-turn.ts): the
 * worker at index `firstSeq mod n` at once, then the others in index order, one delay apart.
 */
import { turnDelay } from '../../../contract/host/receipt-turn';

test('each batch has exactly one first payer, and every worker a distinct turn', () => {
  for (const n of [2, 3, 5]) {
    for (const seq of [0n, 1n, 7n, 2n ** 64n - 1n]) {
      const delays = Array.from({ length: n }, (_, i) => turnDelay(seq, i, n, 100));
      expect(delays[Number(seq % BigInt(n))]).toBe(0);
      expect([...delays].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, k) => k * 100));
    }
  }
});

test('the next worker in index order follows the first: seq 4 of 3 workers is index 1, then 2, then 0', () => {
  expect([0, 1, 2].map((i) => turnDelay(4n, i, 3, 1000))).toEqual([2000, 0, 1000]);
});

test('alone, or not (yet) in the chain\'s worker list: no wait', () => {
  expect(turnDelay(5n, 0, 1, 1000)).toBe(0);
  expect(turnDelay(5n, -1, 3, 1000)).toBe(0);
});
