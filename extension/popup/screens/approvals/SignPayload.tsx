import type { MetadataHashView, SignPayloadView } from '../../../messages/types';
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
        <dt>Metadata hash</dt><dd data-testid="metadata-hash"><MetadataHash plan={view.metadataHash} /></dd>
      </dl>
      {view.refusal && <Notice tone="warn" testid="sign-payload-refusal">{view.refusal} Reject it, or add funds first.</Notice>}
      <Decision id={view.id} approveLabel="Sign" canApprove={!view.refusal} onApprove={() => sendMessage('pri(requests.approve)', { id: view.id })} />
    </Screen>
  );
}

/** RFC-78: whether the signature commits to the chain's metadata, i.e. to the decoding shown above. */
function MetadataHash({ plan }: { plan: MetadataHashView }) {
  if (plan.mode === 0) return <>not checked (mode 0): {plan.reason}</>;
  return (
    <>
      checked (mode 1) <code data-testid="metadata-hash-value">{plan.hash}</code>
      {plan.byWallet && <span class="muted small"> — added by Dark Wallet; the site submits the transaction signed here</span>}
    </>
  );
}
