import type { MetadataView } from '../../../messages/types';
import { Screen } from '../../components/Screen';
import { sendMessage } from '../../messaging';
import { Decision, Requester, type ApprovalProps } from './Approval';

export function MetadataApproval({ view }: ApprovalProps<MetadataView>) {
  return (
    <Screen name="metadata" title="Update chain metadata">
      <Requester view={view} />
      <p>This lets Dark Wallet decode transactions of this chain before you sign them.</p>
      <dl class="facts">
        <dt>Chain</dt><dd data-testid="metadata-chain">{view.chain}</dd>
        <dt>Genesis</dt><dd><code>{view.genesisHash.slice(0, 18)}…</code></dd>
        <dt>Runtime</dt><dd>{view.knownSpecVersion === null ? `spec version ${view.specVersion} (new)` : `spec version ${view.knownSpecVersion} → ${view.specVersion}`}</dd>
        <dt>Token</dt><dd>{view.tokenSymbol}, {view.tokenDecimals} decimals</dd>
        <dt>Address format</dt><dd>{view.ss58Format}</dd>
      </dl>
      <Decision id={view.id} approveLabel="Update" onApprove={() => sendMessage('pri(requests.approve)', { id: view.id })} />
    </Screen>
  );
}
