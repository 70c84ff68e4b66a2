import type { SignRawView } from '../../../messages/types';
import { AccountLine } from '../../components/Account';
import { Screen } from '../../components/Screen';
import { sendMessage } from '../../messaging';
import { Decision, Requester, type ApprovalProps } from './Approval';

export function SignRaw({ view }: ApprovalProps<SignRawView>) {
  return (
    <Screen name="sign-raw" title="Sign a message">
      <Requester view={view} />
      <AccountLine account={{ address: view.address, name: view.accountName }} />
      <div class="payload">
        <span class="muted">{view.text === null ? 'Bytes (hex)' : 'Message'}</span>
        <pre data-testid="sign-data">{view.text ?? view.data}</pre>
      </div>
      <p class="muted small">Signing a message does not send a transaction or move funds.</p>
      <Decision id={view.id} approveLabel="Sign" onApprove={() => sendMessage('pri(requests.approve)', { id: view.id })} />
    </Screen>
  );
}
