/**
 * A followed secret operation as a history line. Pure, shared by the background (which merges it with
 * the worker's history) and the popup (which shows operations under way even before, or without, the
 * worker's answer).
 */
import { SECRET_OPERATIONS } from '../../shared/protocol/operations';
import type { SecretActivityView, SecretOperationView } from './types';

/** Not (known to be) in the worker's history: being sent, waiting for the worker, or refused before the chain took it. */
export const isUnderWay = (o: SecretOperationView): boolean =>
  o.status === 'pending' || o.status === 'included' || o.status === 'unconfirmed' || (o.status === 'failed' && o.block === null);

export function operationActivity(o: SecretOperationView, names: ReadonlyMap<string, string>): SecretActivityView {
  return {
    id: o.id,
    kind: SECRET_OPERATIONS[o.op].history,
    direction: o.op === 'transfer' || o.op === 'convertToPublic' ? 'Out' : o.op === 'issue' ? 'Self' : 'In',
    status: o.status, block: o.block, asset: o.asset, symbol: o.symbol, decimals: o.decimals, amount: o.amount,
    counterparty: o.to, counterpartyName: o.to === null ? null : names.get(o.to) ?? null, reason: o.reason, ref: o.ref, origin: o.origin,
    at: o.block ?? (o.status === 'failed' ? o.atBlock : null),
  };
}

/**
 * Newest first, by time: what is still under way on top, then everything by block — an operation that
 * failed before reaching a block sits where the chain was when it was started, not pinned above newer ones.
 * Stable, so entries of one block keep their order.
 */
export function orderActivity(items: readonly SecretActivityView[]): SecretActivityView[] {
  const key = (a: SecretActivityView) => a.at ?? Number.MAX_SAFE_INTEGER;
  return items.map((a, i) => ({ a, i })).sort((x, y) => key(y.a) - key(x.a) || x.i - y.i).map(({ a }) => a);
}
