import { useEffect, useState } from 'preact/hooks';
import { AUTO_LOCK_CHOICES, type AutoLockMinutes } from '../../messages/constants';
import type { Settings } from '../../messages/types';
import { Button, ErrorNote, Field, Form, Notice } from '../components/Form';
import { Screen } from '../components/Screen';
import { useAction, useLoad } from '../hooks';
import { sendMessage } from '../messaging';
import { useNetwork } from '../network';
import { go } from '../router';

export function SettingsScreen() {
  const network = useNetwork();
  const loaded = useLoad(() => sendMessage('pri(settings.get)', null), [network?.genesisHash]);
  const [form, setForm] = useState<Settings | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => setForm(loaded.value), [loaded.value]);
  const save = useAction(async () => {
    if (!form) return;
    setForm(await sendMessage('pri(settings.save)', form));
    setSaved(true);
  });
  const edit = (patch: Partial<Settings>) => {
    setSaved(false);
    setForm(form && { ...form, ...patch });
  };
  return (
    <Screen name="settings" title="Settings" back={['home']}>
      <ErrorNote error={loaded.error} />
      <section class="section">
        <h2>Network</h2>
        <div class="row small">
          <span data-testid="settings-network">{network ? `${network.name} (${network.tokenSymbol})` : 'Not connected yet'}</span>
          <Button kind="secondary" data-testid="go-networks-settings" onClick={() => go('networks')}>Networks…</Button>
        </div>
      </section>
      {form && (
        <Form onSubmit={() => void save.run()}>
          <Field label="Chain endpoint" testid="chain-endpoint" value={form.chainEndpoint} onInput={(chainEndpoint) => edit({ chainEndpoint })}
            hint="WebSocket address of the node, ws:// or wss://." />
          <Field label="Worker endpoint" testid="worker-endpoint" value={form.workerEndpoint} onInput={(workerEndpoint) => edit({ workerEndpoint })}
            placeholder="Empty: the contract's workers on chain"
            hint="Leave empty to use every attested worker the chain names for the contract (another answers when one is down), or pin one worker, http:// or https://." />
          <Field label="Contract id" testid="contract-id" value={Number.isNaN(form.contractId) ? "" : String(form.contractId)} onInput={(v) => edit({ contractId: Number(v.trim()) })}
            hint="The confidential asset contract on this chain. Endpoints and contract are kept per network." />
          <Field label="Relayer endpoint" testid="relay-endpoint" value={form.relayEndpoint ?? ''} onInput={(v) => edit({ relayEndpoint: v })}
            hint="Secret operations go through this command relayer, paid in secret PHA, so the account needs no public balance and never appears on chain. Leave it empty to send them from the account directly." />
          <label class="field">
            <span>Lock automatically after</span>
            <select data-testid="auto-lock" value={form.autoLockMinutes} onChange={(e) => edit({ autoLockMinutes: Number(e.currentTarget.value) as AutoLockMinutes })}>
              {AUTO_LOCK_CHOICES.map((m) => <option key={m} value={m}>{m === 0 ? 'Never' : `${m} minutes of inactivity`}</option>)}
            </select>
          </label>
          <ErrorNote error={save.error} />
          {saved && <Notice tone="ok" testid="settings-saved">Settings saved.</Notice>}
          <Button type="submit" data-testid="settings-save" busy={save.busy}>Save settings</Button>
        </Form>
      )}
      <section class="section">
        <h2>Accounts</h2>
        <div class="row small">
          <Button kind="secondary" data-testid="go-contacts" onClick={() => go('contacts')}>Address book</Button>
          <Button kind="secondary" data-testid="go-backup" onClick={() => go('backup')}>Back up all accounts…</Button>
        </div>
      </section>
    </Screen>
  );
}
