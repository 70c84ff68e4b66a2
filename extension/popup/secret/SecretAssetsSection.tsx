/**
 * Placeholder for the secret side of the wallet (balances per asset, convert to secret / public,
 * secret transfer, issue token, history). It renders the section frame only — no made-up data — and
 * is where the secret-asset screens plug in.
 */
import type { AccountView } from '../../shared-messages/types';

export function SecretAssetsSection(_props: { accounts: AccountView[] }) {
  return (
    <section class="section secret" data-testid="secret-assets">
      <header>
        <h2>Secret assets</h2>
        <span class="tag">invisible on the chain</span>
      </header>
      <p class="muted">Secret assets will appear here.</p>
    </section>
  );
}
