/** The account's secret history, newest first by time: operations under way on top, then the worker's record and this wallet's failures. */
import { useState } from 'preact/hooks';
import { isUnderWay, operationActivity, orderActivity } from '../../messages/activity';
import type { SecretActivityView, SecretOperationView, WalletState } from '../../messages/types';
import { AccountLine } from '../components/Account';
import { Notice } from '../components/Form';
import { Screen } from '../components/Screen';
import { useLoad } from '../hooks';
import { sendMessage } from '../messaging';
import { activityParty, activityTitle, amountText, statusText } from './format';
import { BalanceCharts } from './BalanceChart';
import { HistoryFilters } from './HistoryFilters';
import { filterActivity, NO_FILTER, type HistoryFilter } from './history-filter';
import { RetryFollow } from './Progress';
import { operationsKey, useEvery, useOperations } from './hooks';

export function History({ address, state }: { address: string; state: WalletState }) {
  const account = state.accounts.find((a) => a.address === address);
  const ops = useOperations();
  const history = useLoad(() => sendMessage('pri(dark.history)', { address }), [address, operationsKey(ops, address)]);
  useEvery(10_000, history.reload);
  const balances = useLoad(() => sendMessage('pri(dark.balances)', { address }), [address, operationsKey(ops, address)]);
  const [filter, setFilter] = useState<HistoryFilter>(NO_FILTER);
  const items = merge(history.value ?? [], (ops ?? []).filter((o) => o.address === address), state);
  const shown = filterActivity(items, filter);
  return (
    <Screen name="secret-history" title="Secret history" back={['home']}>
      {account && <AccountLine account={account} />}
      <p class="muted small">Only this account can read its secret history: the wallet asks the confidential worker with a signed, encrypted query.</p>
      {history.error && <Notice tone="warn" testid="history-error">{history.error}</Notice>}
      {history.value && items.length === 0 && <p class="muted" data-testid="history-empty">No secret activity yet.</p>}
      {history.value && balances.value && <BalanceCharts history={history.value} balances={balances.value} asset={filter.asset} />}
      {items.length > 0 && <HistoryFilters all={items} shown={shown} filter={filter} onChange={setFilter} fileName={`secret-history-${address}.csv`} />}
      {items.length > 0 && shown.length === 0 && <p class="muted small" data-testid="history-none-match">Nothing matches these filters.</p>}
      {!history.value && !history.error && <p class="muted small" data-testid="history-loading">Asking the confidential worker…</p>}
      <ul class="activity" data-testid="history">
        {shown.map((a) => <Activity key={a.id} a={a} />)}
      </ul>
    </Screen>
  );
}

/**
 * The worker's history (as last loaded) with this account's operations as they are now: an operation
 * under way shows at once, even while (or when) the worker cannot be asked.
 */
function merge(listed: SecretActivityView[], ops: SecretOperationView[], state: WalletState): SecretActivityView[] {
  const names = new Map(state.accounts.map((a) => [a.address, a.name]));
  const byId = new Map(ops.map((o) => [o.id, o]));
  const ids = new Set(listed.map((a) => a.id));
  const refs = new Set(listed.flatMap((a) => (a.ref ? [a.ref] : [])));
  const fresh = ops.filter((o) => isUnderWay(o) && !ids.has(o.id) && !(o.ref && refs.has(o.ref))).reverse();
  return orderActivity([
    ...fresh.map((o) => operationActivity(o, names)),
    ...listed.map((a) => {
      const o = byId.get(a.id);
      return o ? operationActivity(o, names) : a;
    }),
  ]);
}

function Activity({ a }: { a: SecretActivityView }) {
  const party = activityParty(a);
  // A failed operation moved nothing: no sign, and not the green of money received.
  const sign = a.status === 'failed' ? '' : a.direction === 'In' ? '+' : a.direction === 'Out' ? '−' : '';
  return (
    <li class={`card activity-item ${a.status}`} data-testid="activity" data-kind={a.kind} data-direction={a.direction} data-status={a.status}>
      <div class="activity-head">
        <strong data-testid="activity-title">{activityTitle(a)}</strong>
        <span class="activity-amount" data-testid="activity-amount">{sign}{amountText(a.amount, a.decimals, a.symbol)}</span>
      </div>
      {party && <span class="muted small" data-testid="activity-party">{party}</span>}
      <span class={`small status ${a.status}`} data-testid="activity-status">{statusText(a.status, a.block, a.reason)}</span>
      {/* Only this wallet's own operations are ever unconfirmed, so `id` is the operation's. */}
      {a.status === 'unconfirmed' && <RetryFollow id={a.id} />}
      {a.origin && <span class="muted small">Requested by {a.origin}</span>}
    </li>
  );
}
