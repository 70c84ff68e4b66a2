import { Logo, Screen } from '../components/Screen';
import { Button } from '../components/Form';
import { go } from '../router';

export function Welcome() {
  return (
    <Screen name="welcome">
      <div class="hero">
        <Logo />
        <h2>Welcome to Dark Wallet</h2>
        <p class="muted">A Polkadot wallet with a public side everyone can see and a secret side only you can see.</p>
      </div>
      <div class="stack">
        <Button data-testid="go-create" onClick={() => go('create')}>Create a new account</Button>
        <Button kind="secondary" data-testid="go-import-seed" onClick={() => go('import-seed')}>Import a recovery phrase</Button>
        <Button kind="secondary" data-testid="go-import-json" onClick={() => go('import-json')}>Restore from a JSON backup</Button>
      </div>
    </Screen>
  );
}
