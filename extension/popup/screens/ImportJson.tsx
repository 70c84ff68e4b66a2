/** Restore from a polkadot-js / Dark Wallet JSON backup: the file's password opens it, the wallet password re-seals it. */
import { useState } from 'preact/hooks';
import type { WalletState } from '../../messages/types';
import { Button, ErrorNote, Field, Form } from '../components/Form';
import { Screen } from '../components/Screen';
import { useAction } from '../hooks';
import { sendMessage } from '../messaging';
import { go } from '../router';
import { PasswordFields, passwordProblem, type PasswordState } from './PasswordFields';

/** A JSON backup of one account is well under 2 KB; anything much larger is not one. */
const MAX_FILE_BYTES = 64 * 1024;

export function ImportJson({ state }: { state: WalletState }) {
  const first = state.status === 'onboarding';
  const [json, setJson] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const [jsonPassword, setJsonPassword] = useState('');
  const [name, setName] = useState('');
  const [pw, setPw] = useState<PasswordState>({ password: '', repeat: '' });

  const readFile = async (file: File | undefined) => {
    setFileError(null);
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) return setFileError('This file is too large to be an account backup. Choose the .json file you exported.');
    setJson(await file.text());
  };
  const submit = useAction(async () => {
    await sendMessage('pri(accounts.importJson)', { json, jsonPassword, name: name.trim() || undefined, password: pw.password });
    go('home');
  });
  return (
    <Screen name="import-json" title="Restore from JSON" back={first ? [] : ['home']}>
      <Form onSubmit={() => void submit.run()}>
        <label class="field">
          <span>Backup file</span>
          <input type="file" accept="application/json,.json" data-testid="json-file" onChange={(e) => void readFile(e.currentTarget.files?.[0])} />
        </label>
        <Field label="…or paste its contents" testid="json-text" value={json} onInput={setJson} multiline />
        <ErrorNote error={fileError} />
        <Field label="Password of the backup" type="password" testid="json-password" value={jsonPassword} onInput={setJsonPassword} />
        <Field label="Account name (optional)" testid="account-name-input" value={name} onInput={setName} hint="Leave empty to keep the name stored in the backup." />
        <PasswordFields first={first} value={pw} onChange={setPw} />
        <ErrorNote error={submit.error} />
        <Button type="submit" data-testid="import-json-submit" busy={submit.busy}
          disabled={!json.trim() || !jsonPassword || passwordProblem(first, pw) !== null}>Restore account</Button>
      </Form>
    </Screen>
  );
}
