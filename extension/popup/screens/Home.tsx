/** Accounts with their public balances, waiting requests, and the secret-assets section. */
import { displayUnits } from '../../../shared/units';
import type { AccountView, BalancesView, WalletState } from '../../messages/types';
import { AccountLine } from '../components/Account';
import { Button, Notice } from '../components/Form';
import { LockIcon, SettingsIcon, SitesIcon } from '../components/Icons';
import { Screen } from '../components/Screen';
import { useLoad } from '../hooks';
import { sendMessage } from '../messaging';
import { go } from '../router';
import { SecretAssetsSection } from '../secret/SecretAssetsSection';

function Balance({ account, balances }: { account: AccountView; balances: BalancesView | null }) {
  const b = balances?.balances[account.address];
  if (!balances || !b) return <span class="balance muted" data-testid="balance">—</span>;
  return (
    <span class="balance" data-testid="balance" title="Free balance">
      {displayUnits(b.free, balances.token.decimals)} <small>{balances.token.symbol}</small>
    </span>
  );
}

export function Home({ state }: { state: WalletState }) {
  const addresses = state.accounts.map((a) => a.address).join();
  const balances = useLoad(() => sendMessage('pri(chain.balances)', null), [addresses]);
  const waiting = state.requests.length;
  return (
    <Screen name="home" actions={<>
      <button class="chip network" title="Networks" data-testid="go-networks" onClick={() => go('networks')}>{state.network?.name ?? 'No network'}</button>
      <button class="icon" title="Connected sites" aria-label="Connected sites" data-testid="go-sites" onClick={() => go('sites')}><SitesIcon /></button>
      <button class="icon" title="Settings" aria-label="Settings" data-testid="go-settings" onClick={() => go('settings')}><SettingsIcon /></button>
      <button class="icon" title="Lock" aria-label="Lock" data-testid="lock" onClick={() => void sendMessage('pri(wallet.lock)', null)}><LockIcon /></button>
    </>}>
      {waiting > 0 && (
        <button class="banner" data-testid="requests-banner" onClick={() => go('requests')}>
          {waiting === 1 ? '1 request is waiting for your answer' : `${waiting} requests are waiting for your answer`} ›
        </button>
      )}
      <section class="section">
        <header>
          <h2>Accounts</h2>
          <span class="tag">visible on the chain</span>
        </header>
        {balances.error && <Notice tone="warn" testid="balance-error">{balances.error}</Notice>}
        <ul class="accounts" data-testid="accounts">
          {state.accounts.map((a) => (
            <li key={a.address} class="card" data-testid="account">
              <AccountLine account={a}>
                <Balance account={a} balances={balances.value} />
              </AccountLine>
              <div class="row small">
                <Button kind="ghost" data-testid="account-send" onClick={() => go('send', a.address)}>Send</Button>
                <Button kind="ghost" data-testid="account-receive" onClick={() => go('receive', a.address)}>Receive</Button>
                <Button kind="ghost" data-testid="account-details" onClick={() => go('account', a.address)}>Details</Button>
              </div>
            </li>
          ))}
        </ul>
        <div class="row small">
          <Button kind="secondary" data-testid="go-create" onClick={() => go('create')}>Create</Button>
          <Button kind="secondary" data-testid="go-import-seed" onClick={() => go('import-seed')}>Import phrase</Button>
          <Button kind="secondary" data-testid="go-import-json" onClick={() => go('import-json')}>Restore JSON</Button>
        </div>
      </section>
      <SecretAssetsSection accounts={state.accounts} />
    </Screen>
  );
}
