/** `#/backup`: every account in one file — the polkadot-js "export all accounts" batch JSON. */
import { useState } from 'preact/hooks';
import type { WalletState } from '../../messages/types';
import { Download } from '../components/Download';
import { Button, ErrorNote, Field, Form, Notice } from '../components/Form';
import { Screen } from '../components/Screen';
import { useAction } from '../hooks';
import { sendMessage } from '../messaging';

export function BackupAll({ state }: { state: WalletState }) {
  const [password, setPassword] = useState('');
  const [json, setJson] = useState<string | null>(null);
  const exportAll = useAction(async () => {
    setJson((await sendMessage('pri(accounts.exportAll)', { password })).json);
    setPassword('');
  });
  const count = state.accounts.length;
  return (
    <Screen name="backup" title="Back up all accounts" back={['settings']}>
      <Notice>One file with {count === 1 ? 'your account' : `all ${count} accounts`}, encrypted with your wallet password. It restores into Dark Wallet ("Restore JSON") and into polkadot-js ("Restore all accounts").</Notice>
      {json ? (
        <>
          <Notice tone="ok" testid="backup-ready">The backup is ready. Keep the file and your password apart: either alone opens nothing.</Notice>
          <Download text={json} type="application/json" fileName={`dark-wallet-${count}-accounts.json`} testid="backup-download">Download the .json file</Download>
        </>
      ) : (
        <Form onSubmit={() => void exportAll.run()}>
          <Field label="Wallet password" type="password" testid="backup-password" value={password} onInput={setPassword} />
          <ErrorNote error={exportAll.error} />
          <Button type="submit" data-testid="backup-submit" busy={exportAll.busy} disabled={!password || count === 0}>Export all accounts</Button>
        </Form>
      )}
    </Screen>
  );
}
