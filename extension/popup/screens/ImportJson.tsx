/**
 * Restore from a polkadot-js / Dark Wallet JSON backup — one account, or every account of an "all
 * accounts" batch: the file's password opens it, the wallet password re-seals it.
 */
import { useState } from 'preact/hooks';
import type { BatchImportResult, WalletState } from '../../messages/types';
import { backupFileKind, MAX_BACKUP_FILE_BYTES } from '../backup/file';
import { Button, ErrorNote, Field, Form, Notice } from '../components/Form';
import { Screen } from '../components/Screen';
import { useAction } from '../hooks';
import { sendMessage } from '../messaging';
import { go } from '../router';
import { PasswordFields, passwordProblem, type PasswordState } from './PasswordFields';

export function ImportJson({ state }: { state: WalletState }) {
  const first = state.status === 'onboarding';
  const [json, setJson] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const [jsonPassword, setJsonPassword] = useState('');
  const [accountsPassword, setAccountsPassword] = useState('');
  const [name, setName] = useState('');
  const [pw, setPw] = useState<PasswordState>({ password: '', repeat: '' });
  const [restored, setRestored] = useState<BatchImportResult | null>(null);
  const file = backupFileKind(json);

  const readFile = async (chosen: File | undefined) => {
    setFileError(null);
    if (!chosen) return;
    if (chosen.size > MAX_BACKUP_FILE_BYTES) return setFileError('This file is too large to be an account backup. Choose the .json file you exported.');
    setJson(await chosen.text());
  };
  const submit = useAction(async () => {
    if (file.kind === 'batch') {
      setRestored(await sendMessage('pri(accounts.importBatch)', { json, jsonPassword, accountsPassword: accountsPassword || undefined, password: pw.password }));
      return;
    }
    await sendMessage('pri(accounts.importJson)', { json, jsonPassword, name: name.trim() || undefined, password: pw.password });
    go('home');
  });
  if (restored) return <Restored result={restored} />;
  return (
    <Screen name="import-json" title="Restore from JSON" back={first ? [] : ['home']}>
      <Form onSubmit={() => void submit.run()}>
        <label class="field">
          <span>Backup file</span>
          <input type="file" accept="application/json,.json" data-testid="json-file" onChange={(e) => void readFile(e.currentTarget.files?.[0])} />
        </label>
        <Field label="…or paste its contents" testid="json-text" value={json} onInput={setJson} multiline />
        <ErrorNote error={fileError} />
        {file.kind === 'batch' && (
          <Notice testid="batch-summary">A backup of {file.names.length === 1 ? '1 account' : `${file.names.length} accounts`}: {file.names.join(', ')}. All of them are restored, or none.</Notice>
        )}
        <Field label="Password of the backup" type="password" testid="json-password" value={jsonPassword} onInput={setJsonPassword} />
        {file.kind === 'batch' ? (
          <Field label="Password of the accounts (optional)" type="password" testid="accounts-password" value={accountsPassword} onInput={setAccountsPassword}
            hint="Only when the accounts inside were sealed with another password than the file (polkadot-js keeps one per account)." />
        ) : (
          <Field label="Account name (optional)" testid="account-name-input" value={name} onInput={setName} hint="Leave empty to keep the name stored in the backup." />
        )}
        <PasswordFields first={first} value={pw} onChange={setPw} />
        <ErrorNote error={submit.error} />
        <Button type="submit" data-testid="import-json-submit" busy={submit.busy}
          disabled={!json.trim() || !jsonPassword || passwordProblem(first, pw) !== null}>{file.kind === 'batch' ? 'Restore all accounts' : 'Restore account'}</Button>
      </Form>
    </Screen>
  );
}

function Restored({ result }: { result: BatchImportResult }) {
  const { imported, alreadyThere, withoutKey } = result;
  return (
    <Screen name="import-json-done" title="Restored">
      <Notice tone="ok" testid="batch-restored">
        {imported.length === 1 ? '1 account restored' : `${imported.length} accounts restored`}{imported.length ? `: ${imported.map((a) => a.name).join(', ')}` : ''}.
      </Notice>
      {alreadyThere > 0 && <Notice testid="batch-already-there">{alreadyThere === 1 ? '1 account was' : `${alreadyThere} accounts were`} already in Dark Wallet and stayed as they were.</Notice>}
      {withoutKey > 0 && <Notice testid="batch-without-key">{withoutKey === 1 ? '1 watch-only or hardware account was' : `${withoutKey} watch-only or hardware accounts were`} left out: the file holds no key for them.</Notice>}
      <Button data-testid="batch-done" onClick={() => go('home')}>Done</Button>
    </Screen>
  );
}
