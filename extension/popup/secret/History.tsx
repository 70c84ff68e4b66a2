/** The account's secret history, newest first: operations under way on top, then the worker's record. */
import type { SecretActivityView, WalletState } from '../../shared-messages/types';
import { AccountLine } from '../components/Account';
import { Notice } from '../components/Form';
import { Screen } from '../components/Screen';
import { useLoad } from '../hooks';
import { sendMessage } from '../messaging';
import { activityParty, activityTitle, amountText, statusText } from './format';
import { operationsKey, useEvery, useOperations } from './hooks';

export function History({ address, state }: { address: string; state: WalletState }) {
  const account = state.accounts.find((a) => a.address === address);
  const ops = useOperations();
  const history = useLoad(() => sendMessage('pri(dark.history)', { address }), [address, operationsKey(ops, address)]);
  useEvery(10_000, history.reload);
  return (
    <Screen name="secret-history" title="Secret history" back={['home']}>
      {account && <AccountLine account={account} />}
      <p class="muted small">Only this account can read its secret history: the wallet asks the confidential worker with a signed, encrypted query.</p>
      {history.error && <Notice tone="warn" testid="history-error">{history.error}</Notice>}
      {history.value?.length === 0 && <p class="muted" data-testid="history-empty">No secret activity yet.</p>}
      <ul class="activity" data-testid="history">
        {history.value?.map((a) => <Activity key={a.id} a={a} />)}
      </ul>
    </Screen>
  );
}

function Activity({ a }: { a: SecretActivityView }) {
  const party = activityParty(a);
  const sign = a.direction === 'In' ? '+' : a.direction === 'Out' ? '−' : '';
  return (
    <li class={`card activity-item ${a.status}`} data-testid="activity" data-kind={a.kind} data-direction={a.direction} data-status={a.status}>
      <div class="activity-head">
        <strong data-testid="activity-title">{activityTitle(a)}</strong>
        <span class="activity-amount" data-testid="activity-amount">{sign}{amountText(a.amount, a.decimals, a.symbol)}</span>
      </div>
      {party && <span class="muted small" data-testid="activity-party">{party}</span>}
      <span class={`small status ${a.status}`} data-testid="activity-status">{statusText(a.status, a.block, a.reason)}</span>
      {a.origin && <span class="muted small">Requested by {a.origin}</span>}
    </li>
  );
}
