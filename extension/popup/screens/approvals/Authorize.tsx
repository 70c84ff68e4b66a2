import { useState } from 'preact/hooks';
import type { AuthorizeView } from '../../../messages/types';
import { Button, Notice } from '../../components/Form';
import { Screen } from '../../components/Screen';
import { useAction } from '../../hooks';
import { sendMessage } from '../../messaging';
import { go } from '../../router';
import { AccountPicker } from '../AccountPicker';
import { Decision, Requester, type ApprovalProps } from './Approval';

export function Authorize({ view, state }: ApprovalProps<AuthorizeView>) {
  const [chosen, setChosen] = useState<string[]>([]);
  const cancel = useAction(async () => {
    await sendMessage('pri(requests.cancel)', { id: view.id });
    go('home');
  });
  return (
    <Screen name="authorize" title="Connect to a site">
      <Requester view={view} />
      <p>Choose the accounts this site may see. It can ask you to sign only with these.</p>
      <AccountPicker accounts={state.accounts} chosen={chosen} onChange={setChosen} />
      {chosen.length === 0 && <Notice>Choose at least one account to connect, or reject to block this site.</Notice>}
      <Decision id={view.id} approveLabel="Connect" canApprove={chosen.length > 0}
        onApprove={() => sendMessage('pri(requests.approveAuthorize)', { id: view.id, addresses: chosen })} />
      <Button kind="ghost" data-testid="cancel" busy={cancel.busy} onClick={() => void cancel.run()}>Not now (ask again next time)</Button>
    </Screen>
  );
}
