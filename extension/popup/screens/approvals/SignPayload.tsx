import type { SignPayloadView } from '../../../messages/types';
import { AccountLine } from '../../components/Account';
import { Notice } from '../../components/Form';
import { Screen } from '../../components/Screen';
import { sendMessage } from '../../messaging';
import { Decision, Requester, type ApprovalProps } from './Approval';

export function SignPayload({ view }: ApprovalProps<SignPayloadView>) {
  return (
    <Screen name="sign-payload" title="Sign a transaction">
      <Requester view={view} />
      <AccountLine account={{ address: view.address, name: view.accountName }} />
      {view.call ? (
        <div class="payload">
          <strong data-testid="call-name">{view.call.section}.{view.call.method}</strong>
          <pre data-testid="call-args">{view.call.args}</pre>
        </div>
      ) : (
        <>
          <Notice tone="warn" testid="call-unknown">Dark Wallet cannot decode this transaction: it does not know this chain's metadata. Sign it only if you trust this site.</Notice>
          <pre class="payload" data-testid="call-hex">{view.callHex}</pre>
        </>
      )}
      <dl class="facts">
        <dt>Chain</dt><dd>{view.chain ?? 'unknown chain'}</dd>
        <dt>Genesis</dt><dd><code>{view.genesisHash.slice(0, 18)}…</code></dd>
        <dt>Nonce</dt><dd data-testid="nonce">{view.nonce}</dd>
        <dt>Tip</dt><dd>{view.tip}</dd>
        <dt>Lifetime</dt><dd>{view.lifetime}</dd>
        <dt>Runtime</dt><dd>spec version {view.specVersion}</dd>
      </dl>
      <Decision id={view.id} approveLabel="Sign" onApprove={() => sendMessage('pri(requests.approve)', { id: view.id })} />
    </Screen>
  );
}
