import type { SignPayloadView } from '../../../messages/types';
import { AccountLine } from '../../components/Account';
import { Screen } from '../../components/Screen';
import { sendMessage } from '../../messaging';
import { Decision, Requester, type ApprovalProps } from './Approval';

export function SignPayload({ view }: ApprovalProps<SignPayloadView>) {
  return (
    <Screen name="sign-payload" title="Sign a transaction">
      <Requester view={view} />
      <AccountLine account={{ address: view.address, name: view.accountName }} />
      <div class="payload">
        <strong data-testid="call-name">{view.call.section}.{view.call.method}</strong>
        <dl class="facts" data-testid="call-args">
          {view.call.args.map((a) => (
            <>
              <dt>{a.name}</dt><dd data-testid={`arg-${a.name}`}>{a.value.includes('\n') ? <pre>{a.value}</pre> : a.value}</dd>
            </>
          ))}
        </dl>
      </div>
      <dl class="facts">
        <dt>Chain</dt><dd data-testid="chain-name">{view.chain}</dd>
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
