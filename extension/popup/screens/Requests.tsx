import type { WalletState } from '../../messages/types';
import { Screen } from '../components/Screen';
import { go } from '../router';
import { KIND_LABEL } from './approvals/kinds';

export function Requests({ state }: { state: WalletState }) {
  return (
    <Screen name="requests" title="Waiting requests" back={['home']}>
      {state.requests.length === 0 && <p class="muted">Nothing is waiting for your answer.</p>}
      <ul class="requests">
        {state.requests.map((r) => (
          <li key={r.id}>
            <button class="card request" data-testid="request" onClick={() => go(r.kind, r.id)}>
              <strong>{KIND_LABEL[r.kind]}</strong>
              <span class="muted">{r.origin}</span>
            </button>
          </li>
        ))}
      </ul>
    </Screen>
  );
}
