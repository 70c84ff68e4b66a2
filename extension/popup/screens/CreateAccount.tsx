/**
 * Create: show a fresh recovery phrase once, have the user type back three of its words, then name
 * the account and set (or confirm) the wallet password.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { WalletState } from '../../messages/types';
import { Button, ErrorNote, Field, Form, Notice } from '../components/Form';
import { Screen } from '../components/Screen';
import { useAction } from '../hooks';
import { sendMessage } from '../messaging';
import { go } from '../router';
import { PasswordFields, passwordProblem, type PasswordState } from './PasswordFields';

const CONFIRM_WORDS = 3;

/** Three distinct word positions, chosen with the browser's CSPRNG. */
function pickPositions(count: number): number[] {
  const picked = new Set<number>();
  const rnd = new Uint32Array(1);
  while (picked.size < CONFIRM_WORDS) {
    crypto.getRandomValues(rnd);
    picked.add(rnd[0] % count);
  }
  return [...picked].sort((a, b) => a - b);
}

export function CreateAccount({ state }: { state: WalletState }) {
  const first = state.status === 'onboarding';
  const back = first ? [] : ['home'];
  const [mnemonic, setMnemonic] = useState<string | null>(null);
  const [step, setStep] = useState<'phrase' | 'confirm' | 'details'>('phrase');
  const [saved, setSaved] = useState(false);
  const load = useAction(async () => setMnemonic((await sendMessage('pri(mnemonic.generate)', null)).mnemonic));
  useEffect(() => void load.run(), []);
  const words = useMemo(() => mnemonic?.split(' ') ?? [], [mnemonic]);

  if (step === 'phrase') {
    return (
      <Screen name="create-phrase" title="Your recovery phrase" back={back}>
        <Notice tone="warn">Write these 12 words down, in order, and keep them offline. Anyone with them controls the account; without them a lost password cannot be recovered.</Notice>
        <ErrorNote error={load.error} />
        <ol class="mnemonic" data-testid="mnemonic">
          {words.map((w, i) => <li key={i} data-testid={`word-${i + 1}`}><span>{i + 1}</span>{w}</li>)}
        </ol>
        <label class="check">
          <input type="checkbox" data-testid="saved-phrase" checked={saved} onChange={(e) => setSaved(e.currentTarget.checked)} />
          I have written the phrase down.
        </label>
        <Button data-testid="phrase-next" disabled={!saved || !mnemonic} onClick={() => setStep('confirm')}>Continue</Button>
      </Screen>
    );
  }
  if (step === 'confirm') return <ConfirmWords words={words} onBack={() => setStep('phrase')} onDone={() => setStep('details')} />;
  return <Details first={first} suri={mnemonic ?? ''} />;
}

function ConfirmWords({ words, onBack, onDone }: { words: string[]; onBack: () => void; onDone: () => void }) {
  const positions = useMemo(() => pickPositions(words.length), [words]);
  const [typed, setTyped] = useState<string[]>(positions.map(() => ''));
  const [error, setError] = useState<string | null>(null);
  const check = () => {
    const ok = positions.every((p, i) => typed[i].trim().toLowerCase() === words[p]);
    if (ok) onDone();
    else setError('These words do not match your recovery phrase. Check what you wrote down and try again.');
  };
  return (
    <Screen name="create-confirm" title="Confirm the phrase">
      <Form onSubmit={check}>
        <p class="muted">Type the words at these positions of your recovery phrase.</p>
        {positions.map((p, i) => (
          <Field key={p} label={`Word #${p + 1}`} testid={`confirm-word-${i}`} value={typed[i]} autoFocus={i === 0}
            onInput={(v) => setTyped(typed.map((t, j) => (j === i ? v : t)))} />
        ))}
        <ErrorNote error={error} />
        <div class="row">
          <Button kind="secondary" onClick={onBack}>Show the phrase again</Button>
          <Button type="submit" data-testid="confirm-next" disabled={typed.some((t) => !t.trim())}>Continue</Button>
        </div>
      </Form>
    </Screen>
  );
}

function Details({ first, suri }: { first: boolean; suri: string }) {
  const [name, setName] = useState('');
  const [pw, setPw] = useState<PasswordState>({ password: '', repeat: '' });
  const problem = passwordProblem(first, pw);
  const create = useAction(async () => {
    await sendMessage('pri(accounts.createFromUri)', { suri, type: 'sr25519', name, password: pw.password });
    go('home');
  });
  return (
    <Screen name="create-details" title="Name your account">
      <Form onSubmit={() => void create.run()}>
        <Field label="Account name" testid="account-name-input" value={name} onInput={setName} placeholder="e.g. Savings" autoFocus />
        <PasswordFields first={first} value={pw} onChange={setPw} />
        <ErrorNote error={create.error} />
        <Button type="submit" data-testid="create-submit" busy={create.busy} disabled={!name.trim() || problem !== null}>Create account</Button>
      </Form>
    </Screen>
  );
}
