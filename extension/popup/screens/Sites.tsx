/** Connected and blocked sites: change which accounts a site sees, disconnect it, or lift a block. */
import { useState } from 'preact/hooks';
import type { SiteView, WalletState } from '../../messages/types';
import { Button, ErrorNote, Notice } from '../components/Form';
import { Screen } from '../components/Screen';
import { useAction, useLoad } from '../hooks';
import { sendMessage } from '../messaging';
import { AccountPicker } from './AccountPicker';

export function Sites({ state }: { state: WalletState }) {
  const sites = useLoad(() => sendMessage('pri(sites.list)', null), [state.accounts.length]);
  return (
    <Screen name="sites" title="Connected sites" back={['home']}>
      {sites.error && <Notice tone="warn">{sites.error}</Notice>}
      {sites.value?.length === 0 && <p class="muted" data-testid="no-sites">No site has asked to connect yet.</p>}
      <ul class="sites">
        {sites.value?.map((s) => <Site key={s.origin} site={s} state={state} onChange={sites.reload} />)}
      </ul>
    </Screen>
  );
}

function Site({ site, state, onChange }: { site: SiteView; state: WalletState; onChange: () => void }) {
  const [editing, setEditing] = useState(false);
  const [chosen, setChosen] = useState(site.addresses);
  const save = useAction(async () => {
    await sendMessage('pri(sites.setAccounts)', { origin: site.origin, addresses: chosen });
    setEditing(false);
    onChange();
  });
  const remove = useAction(async () => {
    await sendMessage('pri(sites.remove)', { origin: site.origin });
    onChange();
  });
  const names = state.accounts.filter((a) => site.addresses.includes(a.address)).map((a) => a.name);
  return (
    <li class="card site" data-testid="site" data-origin={site.origin}>
      <div class="site-head">
        <strong>{site.origin}</strong>
        {site.blocked ? <span class="tag danger">blocked</span> : <span class="tag">{names.length ? names.join(', ') : 'no accounts'}</span>}
      </div>
      {editing && <AccountPicker accounts={state.accounts} chosen={chosen} onChange={setChosen} />}
      <ErrorNote error={save.error ?? remove.error} />
      <div class="row small">
        {site.blocked ? (
          <Button kind="secondary" data-testid="site-unblock" busy={remove.busy} onClick={() => void remove.run()}>Remove the block</Button>
        ) : editing ? (
          <>
            <Button kind="ghost" onClick={() => setEditing(false)}>Cancel</Button>
            <Button kind="secondary" data-testid="site-save" busy={save.busy} onClick={() => void save.run()}>Save accounts</Button>
          </>
        ) : (
          <>
            <Button kind="ghost" data-testid="site-edit" onClick={() => setEditing(true)}>Change accounts</Button>
            <Button kind="danger" data-testid="site-revoke" busy={remove.busy} onClick={() => void remove.run()}>Disconnect</Button>
          </>
        )}
      </div>
    </li>
  );
}
