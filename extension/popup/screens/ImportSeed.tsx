/** Import from a recovery phrase or a secret URI (`//Alice` for development accounts). */
import { useEffect, useState } from 'preact/hooks';
import { KEYPAIR_KINDS, type KeypairKind, type WalletState } from '../../messages/types';
import { Button, ErrorNote, Field, Form } from '../components/Form';
import { Screen } from '../components/Screen';
import { useAction } from '../hooks';
import { sendMessage } from '../messaging';
import { go } from '../router';
import { PasswordFields, passwordProblem, type PasswordState } from './PasswordFields';

export function ImportSeed({ state }: { state: WalletState }) {
  const first = state.status === 'onboarding';
  const [suri, setSuri] = useState('');
  const [type, setType] = useState<KeypairKind>('sr25519');
  const [name, setName] = useState('');
  const [pw, setPw] = useState<PasswordState>({ password: '', repeat: '' });
  const [preview, setPreview] = useState<{ address: string | null; error: string | null }>({ address: null, error: null });

  useEffect(() => {
    if (!suri.trim()) return setPreview({ address: null, error: null });
    let live = true;
    const timer = setTimeout(() => {
      sendMessage('pri(accounts.validateUri)', { suri, type }).then(
        ({ address }) => live && setPreview({ address, error: null }),
        (e: Error) => live && setPreview({ address: null, error: e.message }),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [suri, type]);

  const submit = useAction(async () => {
    await sendMessage('pri(accounts.createFromUri)', { suri, type, name, password: pw.password });
    go('home');
  });
  return (
    <Screen name="import-seed" title="Import a recovery phrase" back={first ? [] : ['home']}>
      <Form onSubmit={() => void submit.run()}>
        <Field label="Recovery phrase or secret URI" testid="suri" value={suri} onInput={setSuri} multiline
          placeholder="twelve words … or //Alice for a development account" autoFocus />
        {preview.address && <p class="preview" data-testid="suri-address">Address: <code>{preview.address}</code></p>}
        <ErrorNote error={preview.error} />
        <label class="field">
          <span>Key type</span>
          <select data-testid="key-type" value={type} onChange={(e) => setType(e.currentTarget.value as KeypairKind)}>
            {KEYPAIR_KINDS.map((k) => <option key={k} value={k}>{k}{k === 'sr25519' ? ' (recommended)' : ''}</option>)}
          </select>
        </label>
        <Field label="Account name" testid="account-name-input" value={name} onInput={setName} />
        <PasswordFields first={first} value={pw} onChange={setPw} />
        <ErrorNote error={submit.error} />
        <Button type="submit" data-testid="import-submit" busy={submit.busy}
          disabled={!preview.address || !name.trim() || passwordProblem(first, pw) !== null}>Import account</Button>
      </Form>
    </Screen>
  );
}
