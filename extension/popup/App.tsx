/** Chooses the screen: onboarding and unlock gate everything else; then the hash route decides. */
import type { WalletState } from '../messages/types';
import { useWalletState } from './hooks';
import { useRoute, type Route } from './router';
import { AddressBookScreen } from './address/AddressBookScreen';
import { Receive } from './address/Receive';
import { BackupAll } from './backup/BackupAll';
import { AccountDetails } from './screens/AccountDetails';
import { CreateAccount } from './screens/CreateAccount';
import { Home } from './screens/Home';
import { ImportJson } from './screens/ImportJson';
import { ImportSeed } from './screens/ImportSeed';
import { Requests } from './screens/Requests';
import { Send } from './screens/Send';
import { SettingsScreen } from './screens/Settings';
import { Sites } from './screens/Sites';
import { Unlock } from './screens/Unlock';
import { Welcome } from './screens/Welcome';
import { Approval } from './screens/approvals/Approval';
import { REQUEST_KINDS } from './screens/approvals/kinds';
import { SecretRoute } from './secret/routes';
import { NetworkContext } from './network';
import { NetworksScreen } from './networks/Networks';

function onboarding([page]: Route, state: WalletState) {
  if (page === 'create') return <CreateAccount state={state} />;
  if (page === 'import-seed') return <ImportSeed state={state} />;
  if (page === 'import-json') return <ImportJson state={state} />;
  return <Welcome />;
}

function unlocked(route: Route, state: WalletState) {
  const [page, arg] = route;
  if (page && REQUEST_KINDS.includes(page) && arg) return <Approval key={arg} id={arg} state={state} />;
  switch (page) {
    case 'create':
    case 'import-seed':
    case 'import-json':
      return onboarding(route, state);
    case 'account':
      return <AccountDetails key={arg} address={arg} state={state} />;
    case 'send':
      return <Send key={arg} from={arg} state={state} />;
    case 'sites':
      return <Sites state={state} />;
    case 'settings':
      return <SettingsScreen />;
    case 'networks':
      return <NetworksScreen />;
    case 'backup':
      return <BackupAll state={state} />;
    case 'contacts':
      return <AddressBookScreen />;
    case 'receive':
      return <Receive key={arg} address={arg} state={state} />;
    case 'requests':
      return <Requests state={state} />;
    case 'secret':
      return <SecretRoute screen={arg} address={route[2]} item={route[3]} state={state} />;
    default:
      // Keyed by network: switching reloads every balance and status for the new one.
      return <Home key={state.network?.genesisHash ?? ''} state={state} />;
  }
}

export function App() {
  const state = useWalletState();
  const route = useRoute();
  if (!state) return <div class="loading" data-testid="loading" />;
  if (state.status === 'onboarding') return onboarding(route, state);
  if (state.status === 'locked') return <Unlock waiting={REQUEST_KINDS.includes(route[0] ?? '')} />;
  return <NetworkContext.Provider value={state.network}>{unlocked(route, state)}</NetworkContext.Provider>;
}
