/**
 * A site asks for a secret operation. Everything is shown in plaintext before anything is sealed:
 * the account, the asset, the amount with its decimals applied, the recipient; and what the chain
 * will (and will not) see.
 */
import { useState } from 'preact/hooks';
import type { SecretRequestView } from '../../../messages/types';
import { AccountLine } from '../../components/Account';
import { Notice } from '../../components/Form';
import { Screen } from '../../components/Screen';
import { sendMessage } from '../../messaging';
import { Decision, Requester, type ApprovalProps } from './Approval';
import { relayText } from '../../secret/RelayNote';
import { KIND_LABEL } from './kinds';

const CHAIN_SEES: Record<SecretRequestView['intent']['op'], string> = {
  transfer: 'The chain sees only an encrypted command from your account: not the asset, the amount or the recipient.',
  convertToSecret: 'Converting is public by nature: the chain sees your account and the amount. What you do with secret PHA afterwards is not.',
  convertToPublic: 'The chain sees the recipient and the amount when the confidential contract pays it out.',
  issue: 'The symbol, name and decimals become public. The supply, balances and transfers of the token stay invisible.',
};

export function SecretOperation({ view }: ApprovalProps<SecretRequestView>) {
  const [chosen, setChosen] = useState(view.address ?? view.accounts[0]?.address ?? '');
  const account = view.accounts.find((a) => a.address === chosen);
  const { intent } = view;
  return (
    <Screen name="secret-request" title={KIND_LABEL[view.kind]}>
      <Requester view={view} />
      {view.address === null ? (
        <label class="field">
          <span>Account (the site let you choose)</span>
          <select data-testid="secret-request-account" value={chosen} onChange={(e) => setChosen(e.currentTarget.value)}>
            {view.accounts.map((a) => <option key={a.address} value={a.address}>{a.name} — {a.address}</option>)}
          </select>
        </label>
      ) : (
        <AccountLine account={{ address: view.address, name: account?.name ?? 'Unknown account' }} />
      )}
      <dl class="facts" data-testid="secret-intent">
        <dt>Operation</dt><dd data-testid="intent-op">{KIND_LABEL[view.kind]}</dd>
        {intent.op === 'issue' ? (
          <>
            <dt>Symbol</dt><dd data-testid="intent-symbol">{intent.symbol}</dd>
            <dt>Name</dt><dd data-testid="intent-name">{intent.name}</dd>
            <dt>Decimals</dt><dd data-testid="intent-decimals">{intent.decimals}</dd>
            <dt>Supply</dt><dd data-testid="intent-amount">{view.amountText}</dd>
          </>
        ) : (
          <>
            <dt>Asset</dt>
            <dd data-testid="intent-asset">{view.asset ? `${view.asset.symbol} (secret asset #${view.asset.id})` : intent.op === 'transfer' ? `secret asset #${intent.asset}` : 'native token (secret asset #0)'}</dd>
            <dt>Amount</dt><dd data-testid="intent-amount">{view.amountText}</dd>
          </>
        )}
        {view.relay && (
          <>
            <dt>Relayer fee</dt><dd data-testid="intent-relay-fee">{view.relay.feeText} (secret)</dd>
          </>
        )}
        {view.to !== null && (
          <>
            <dt>Recipient</dt>
            <dd data-testid="intent-recipient">
              {view.toName && <strong data-testid="intent-recipient-name">{view.toName} </strong>}
              <code data-testid="intent-recipient-address">{view.to}</code>
            </dd>
          </>
        )}
      </dl>
      {view.relay
        ? <p class="muted small" data-testid="request-relay">{relayText(view.relay)}</p>
        : <p class="muted small">{CHAIN_SEES[intent.op]}</p>}
      {view.attestationLabel && <p class="muted small" data-testid="request-attestation">Confidential worker: {view.attestationLabel}.</p>}
      {view.warning && <Notice tone="warn" testid="secret-request-warning">{view.warning}</Notice>}
      {view.refusal && <Notice tone="warn" testid="secret-request-refusal">{view.refusal} Reject it, or add funds first.</Notice>}
      <Decision id={view.id} approveLabel="Approve and send" canApprove={!!chosen && !view.refusal}
        onApprove={() => sendMessage('pri(requests.approve)', { id: view.id, ...(view.address === null ? { address: chosen } : {}) })} />
    </Screen>
  );
}
