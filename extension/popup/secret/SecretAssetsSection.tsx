/**
 * The secret side of the wallet on the home screen ("invisible on the chain"): the chosen account's
 * secret balance of every asset, the worker's trust status, and the five functions of the dark wallet.
 */
import { useState } from 'preact/hooks';
import { displayUnits } from '../../../shared/units';
import type { AccountView } from '../../messages/types';
import { Button, Notice } from '../components/Form';
import { useLoad } from '../hooks';
import { sendMessage } from '../messaging';
import { go } from '../router';
import { operationsKey, useEvery, useHideZero, useOperations, useSecretAccount } from './hooks';
import { visibleAssets } from './asset-list';
import { ContractKeyWarning } from './ContractKeyWarning';
import { WorkerStatus } from './WorkerStatus';

export function SecretAssetsSection({ accounts }: { accounts: AccountView[] }) {
  const [address, setAddress] = useSecretAccount(accounts);
  const [hideZero, setHideZero] = useHideZero();
  const ops = useOperations();
  // Pushed operations also announce a contract-pin block (the background emits the same change), so
  // the warning appears at once rather than at the next tick.
  const status = useLoad(() => sendMessage('pri(dark.status)', null), [ops]);
  const changed = operationsKey(ops, address);
  const balances = useLoad(() => (address ? sendMessage('pri(dark.balances)', { address }) : Promise.resolve([])), [address, changed]);
  useEvery(15_000, () => {
    status.reload();
    balances.reload();
  });
  const underWay = (ops ?? []).filter((o) => o.address === address && (o.status === 'pending' || o.status === 'included')).length;
  const [query, setQuery] = useState('');
  const shown = visibleAssets(balances.value ?? [], { hideZero, query });
  const usable = status.value?.state === 'verified';
  const pin = status.value?.pin ?? null;

  return (
    <section class="section secret" data-testid="secret-assets">
      <header>
        <h2>Secret assets</h2>
        <span class="tag">invisible on the chain</span>
      </header>
      {pin ? <ContractKeyWarning pin={pin} onAccepted={() => status.reload()} /> : <WorkerStatus status={status.value} error={status.error} />}
      {address && !pin && (
        <>
          <label class="field">
            <span>Account</span>
            <select data-testid="secret-account" value={address} onChange={(e) => setAddress(e.currentTarget.value)}>
              {accounts.map((a) => <option key={a.address} value={a.address}>{a.name} — {a.address.slice(0, 6)}…{a.address.slice(-6)}</option>)}
            </select>
          </label>
          {balances.error && usable && <Notice tone="warn" testid="secret-balances-error">{balances.error}</Notice>}
          {balances.value && (
            <>
              <div class="asset-tools">
                <input type="search" class="asset-search" data-testid="asset-search" placeholder="Search assets" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
                <label class="check small">
                  <input type="checkbox" data-testid="hide-zero" checked={hideZero} onChange={(e) => setHideZero(e.currentTarget.checked)} />
                  Hide zero balances
                </label>
              </div>
              <ul class="assets" data-testid="secret-balances">
                {shown.map((b) => (
                  <li key={b.id}>
                    <button type="button" class="asset" data-testid="secret-balance" data-asset={b.id} data-symbol={b.symbol} onClick={() => go('secret', 'asset', address, String(b.id))}>
                      <span class="asset-symbol">{b.symbol}</span>
                      <span class="asset-name muted">{b.name}{b.id !== 0 && <> · #{b.id}</>}</span>
                      <strong class="asset-amount" data-testid="secret-amount" title={`${b.amount} smallest units`}>{displayUnits(b.amount, b.decimals)}</strong>
                    </button>
                  </li>
                ))}
              </ul>
              {shown.length === 0 && <p class="muted small" data-testid="assets-none">No asset matches.</p>}
            </>
          )}
          <div class="row small">
            <Button kind="secondary" data-testid="go-to-secret" disabled={!usable} onClick={() => go('secret', 'to-secret', address)}>Convert to secret</Button>
            <Button kind="secondary" data-testid="go-to-public" disabled={!usable} onClick={() => go('secret', 'to-public', address)}>Convert to public</Button>
          </div>
          <div class="row small">
            <Button kind="secondary" data-testid="go-secret-transfer" disabled={!usable} onClick={() => go('secret', 'transfer', address)}>Secret transfer</Button>
            <Button kind="secondary" data-testid="go-issue" disabled={!usable} onClick={() => go('secret', 'issue', address)}>Issue token</Button>
            <Button kind="secondary" data-testid="go-permits" disabled={!usable} onClick={() => go('secret', 'permits', address)}>View permits</Button>
          </div>
          <button class="banner subtle" data-testid="go-secret-history" onClick={() => go('secret', 'history', address)}>
            History{underWay > 0 ? ` · ${underWay === 1 ? '1 operation' : `${underWay} operations`} under way` : ''} ›
          </button>
        </>
      )}
    </section>
  );
}
