/**
 * The secret history's order: newest first by time. An operation that failed before reaching a block
 * (the chain refused it) sits where the chain was when it was started — not pinned above newer ones —
 * and one still under way is on top.
 */
import { operationActivity, orderActivity } from '../../../extension/messages/activity';
import type { SecretActivityView, SecretOperationView } from '../../../extension/messages/types';

const op = (id: string, patch: Partial<SecretOperationView>): SecretOperationView => ({
  id, address: 'a', op: 'convertToSecret', status: 'applied', createdAt: 0, origin: null, asset: 0, symbol: 'PHA', decimals: 12, amount: '1',
  to: null, name: null, block: null, blockHash: null, txHash: null, ref: null, reason: null, atBlock: null, ...patch,
});
const entry = (id: string, block: number): SecretActivityView => ({
  ...operationActivity(op(id, { block, status: 'applied' }), new Map()),
});

test('a locally failed operation sits at its time among the ledger entries, under way ones on top', () => {
  const failedEarly = operationActivity(op('failed-at-12', { status: 'failed', atBlock: 12, reason: 'The chain refused it.' }), new Map());
  const pending = operationActivity(op('pending', { status: 'pending', atBlock: 30 }), new Map());
  const included = operationActivity(op('included', { status: 'included', block: 31 }), new Map());
  const ordered = orderActivity([failedEarly, pending, entry('e20', 20), entry('e10', 10), entry('e25', 25)]);
  expect(ordered.map((a) => a.id)).toEqual(['pending', 'e25', 'e20', 'failed-at-12', 'e10']);
  expect(orderActivity([entry('e5', 5), included]).map((a) => a.id)).toEqual(['included', 'e5']);
});

test('entries of one block keep their order; a failure whose time is unknown stays on top', () => {
  const unknownTime = operationActivity(op('failed-unknown', { status: 'failed', atBlock: null }), new Map());
  const ordered = orderActivity([entry('b7-first', 7), entry('b7-second', 7), unknownTime]);
  expect(ordered.map((a) => a.id)).toEqual(['failed-unknown', 'b7-first', 'b7-second']);
});
