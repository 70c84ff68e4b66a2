/** One account: rename, export its JSON backup, forget it. */
import { useState } from 'preact/hooks';
import type { WalletState } from '../../messages/types';
import { AccountLine } from '../components/Account';
import { Download } from '../components/Download';
import { Button, ErrorNote, Field, Form, Notice } from '../components/Form';
import { Screen } from '../components/Screen';
import { useAction } from '../hooks';
import { sendMessage } from '../messaging';
import { useShownAddress } from '../network';
import { go } from '../router';

export function AccountDetails({ address, state }: { address: string; state: WalletState }) {
  const account = state.accounts.find((a) => a.address === address);
  const shown = useShownAddress(address);
  if (!account) {
    return (
      <Screen name="account" title="Account" back={['home']}>
        <Notice tone="warn">This account is no longer in Dark Wallet. Go back to the account list.</Notice>
      </Screen>
    );
  }
  return (
    <Screen name="account" title={account.name} back={['home']}>
      <AccountLine account={account} />
      <p class="address-full" data-testid="full-address">{shown}</p>
      <Rename address={address} name={account.name} />
      <Export address={address} />
      <Forget address={address} />
    </Screen>
  );
}

function Rename({ address, name }: { address: string; name: string }) {
  const [value, setValue] = useState(name);
  const rename = useAction(() => sendMessage('pri(accounts.rename)', { address, name: value }));
  return (
    <section class="section">
      <Form onSubmit={() => void rename.run()}>
        <Field label="Name" testid="rename-input" value={value} onInput={setValue} />
        <ErrorNote error={rename.error} />
        <Button type="submit" kind="secondary" data-testid="rename-submit" busy={rename.busy} disabled={!value.trim() || value === name}>Rename</Button>
      </Form>
    </section>
  );
}

function Export({ address }: { address: string }) {
  const [password, setPassword] = useState('');
  const [json, setJson] = useState<string | null>(null);
  const exportJson = useAction(async () => {
    setJson((await sendMessage('pri(accounts.exportJson)', { address, password })).json);
    setPassword('');
  });
  return (
    <section class="section">
      <h2>Backup</h2>
      {json ? (
        <>
          <Notice>This file is encrypted with your wallet password. It imports into Dark Wallet and polkadot-js.</Notice>
          <textarea class="json" readOnly data-testid="export-json" value={json} rows={4} />
          <Download text={json} type="application/json" fileName={`${address}.json`} testid="export-download">Download the .json file</Download>
        </>
      ) : (
        <Form onSubmit={() => void exportJson.run()}>
          <Field label="Wallet password" type="password" testid="export-password" value={password} onInput={setPassword} />
          <ErrorNote error={exportJson.error} />
          <Button type="submit" kind="secondary" data-testid="export-submit" busy={exportJson.busy} disabled={!password}>Export JSON backup</Button>
        </Form>
      )}
    </section>
  );
}

function Forget({ address }: { address: string }) {
  const [confirming, setConfirming] = useState(false);
  const forget = useAction(async () => {
    await sendMessage('pri(accounts.forget)', { address });
    go('home');
  });
  return (
    <section class="section">
      <h2>Forget</h2>
      {confirming ? (
        <>
          <Notice tone="warn">Dark Wallet will delete this account and remove it from every connected site. You can only get it back with its recovery phrase or a JSON backup.</Notice>
          <ErrorNote error={forget.error} />
          <div class="row">
            <Button kind="secondary" onClick={() => setConfirming(false)}>Keep it</Button>
            <Button kind="danger" data-testid="forget-confirm" busy={forget.busy} onClick={() => void forget.run()}>Forget the account</Button>
          </div>
        </>
      ) : (
        <Button kind="danger" data-testid="forget" onClick={() => setConfirming(true)}>Forget this account…</Button>
      )}
    </section>
  );
}
