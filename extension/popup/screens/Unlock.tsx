import { useState } from 'preact/hooks';
import { Button, ErrorNote, Field, Form, Notice } from '../components/Form';
import { Logo, Screen } from '../components/Screen';
import { useAction } from '../hooks';
import { sendMessage } from '../messaging';

/** `waiting`: the popup was opened for a request; it shows after unlocking. */
export function Unlock({ waiting }: { waiting: boolean }) {
  const [password, setPassword] = useState('');
  const unlock = useAction(async () => {
    try {
      await sendMessage('pri(wallet.unlock)', { password });
    } finally {
      setPassword('');
    }
  });
  return (
    <Screen name="unlock">
      <div class="hero">
        <Logo />
        <h2>Welcome back</h2>
        <p class="muted">Enter your password to unlock Dark Wallet.</p>
      </div>
      {waiting && <Notice testid="unlock-waiting">A site is waiting for your answer. Unlock to review its request.</Notice>}
      <Form onSubmit={() => void unlock.run()}>
        <Field label="Password" type="password" testid="unlock-password" value={password} onInput={setPassword} autoFocus />
        <ErrorNote error={unlock.error} />
        <Button type="submit" data-testid="unlock-submit" busy={unlock.busy} disabled={!password}>Unlock</Button>
      </Form>
    </Screen>
  );
}
