/** The relayer's per-receipt schedule (pure, injected time): an unpayable receipt backs off alone. */
import { backoffDelay, classifyRefusal, ReceiptBackoff } from '../../../contract/host/receipt-backoff';

const T0 = 1_000_000;
const policy = { firstDelayMs: 500, maxDelayMs: 4_000 };
const short = { reason: 'CustodyShort', chainError: 'PhalaModule.CustodyInsufficient' } as const;

test('the wait doubles per failure and stops at the cap', () => {
  expect([1, 2, 3, 4, 5, 6, 60, 5000].map((n) => backoffDelay(policy, n))).toEqual([500, 1000, 2000, 4000, 4000, 4000, 4000, 4000]);
});

test('a failing receipt backs off while the ones behind it stay due', () => {
  const s = new ReceiptBackoff<string>(policy);
  s.add(1n, 'one', T0);
  s.add(2n, 'two', T0);
  expect(s.due(T0).map((d) => d.seq)).toEqual([1n, 2n]);
  expect(s.failed(1n, short, T0)).toBe(500);
  expect(s.due(T0).map((d) => d.item)).toEqual(['two']);
  s.add(3n, 'three', T0 + 10);
  expect(s.due(T0 + 10).map((d) => d.seq)).toEqual([2n, 3n]);
  expect(s.paid(2n)).toBe(0);
  expect(s.paid(3n)).toBe(0);
  expect(s.due(T0 + 499)).toEqual([]);
  expect(s.nextTryAt()).toBe(T0 + 500);
  expect(s.due(T0 + 500).map((d) => d.seq)).toEqual([1n]);
});

test('stuck receipts are listed by seq with reason and attempts, never amount or destination', () => {
  const s = new ReceiptBackoff<{ amount: bigint; dest: string }>(policy);
  s.add(7n, { amount: 123_456_789n, dest: '5Grw' }, T0);
  s.add(8n, { amount: 1n, dest: '5Fhe' }, T0);
  s.failed(7n, short, T0);
  s.failed(7n, short, T0 + 500);
  expect(s.stuck(T0 + 600)).toEqual([{ seq: '7', reason: 'CustodyShort', chainError: 'PhalaModule.CustodyInsufficient', attempts: 2, retryInMs: 900 }]);
  expect(JSON.stringify(s.stuck(T0 + 600))).not.toMatch(/123456789|5Grw/);
  expect(s.paid(7n)).toBe(2);
  expect(s.stuck(T0 + 600)).toEqual([]);
  expect(s.size).toBe(1);
});

test('adding a receipt again keeps its schedule (the worker re-enqueues after a restart)', () => {
  const s = new ReceiptBackoff<string>(policy);
  s.add(1n, 'one', T0);
  s.failed(1n, short, T0);
  s.add(1n, 'one', T0 + 1);
  expect(s.due(T0 + 1)).toEqual([]);
  expect(s.stuck(T0 + 1)[0].attempts).toBe(1);
});

test('chain refusals are sorted into typed reasons', () => {
  expect(classifyRefusal('The chain refused the transaction (1010: Invalid Transaction: PhalaModule.CustodyInsufficient: The custody account cannot cover this receipt.).'))
    .toEqual(short);
  expect(classifyRefusal('1010: Invalid Transaction: PhalaModule.BadReceiptSignature: x')).toEqual({ reason: 'WorkerNotAccepted', chainError: 'PhalaModule.BadReceiptSignature' });
  expect(classifyRefusal('PhalaModule.UnknownWorker')).toEqual({ reason: 'WorkerNotAccepted', chainError: 'PhalaModule.UnknownWorker' });
  expect(classifyRefusal('1010: Invalid Transaction: PhalaModule.ReceiptAlreadyUsed: x')).toBe('AlreadyPaid');
  expect(classifyRefusal('PhalaModule.BelowExistentialDeposit')).toEqual({ reason: 'Rejected', chainError: 'PhalaModule.BelowExistentialDeposit' });
  expect(classifyRefusal('The chain dropped the transaction.')).toEqual({ reason: 'Rejected' });
});
