/**
 * The four secret operations from the popup. Each form sends what was typed to the background (which
 * validates it again, seals it and signs it there), then follows the operation it started.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { MAX_DECIMALS, MAX_NAME_BYTES, SYMBOL_RULE_TEXT } from '../../../shared/protocol/rules';
import { displayUnits } from '../../../shared/units';
import type { AccountView, SecretOperationView, WalletState } from '../../messages/types';
import { useAddressBook, useSecretRecipients } from '../address/book';
import { RecipientField } from '../address/RecipientField';
import { AccountLine, shortAddress } from '../components/Account';
import { Button, ErrorNote, Field, Form, Notice } from '../components/Form';
import { Screen } from '../components/Screen';
import { useAction, useLoad } from '../hooks';
import { sendMessage } from '../messaging';
import { Progress } from './Progress';
import { RelayNote } from './RelayNote';

interface Props {
  address: string;
  state: WalletState;
}

function Frame({ name, title, account, sent, children }: { name: string; title: string; account: AccountView | undefined; sent: SecretOperationView | null; children: ComponentChildren }) {
  return (
    <Screen name={name} title={title} back={['home']}>
      {account ? <AccountLine account={account} /> : <Notice tone="warn">This account is no longer in Dark Wallet. Go back to the account list.</Notice>}
      {sent ? <Progress first={sent} /> : account && children}
    </Screen>
  );
}

/** The recipient field of a secret form: suggestions from the address book and this account's own secret history. */
function SecretRecipient({ label, address, kind, state, value, onInput, placeholder }: {
  label: string; address: string; kind: 'Transfer' | 'Withdraw'; state: WalletState; value: string; onInput: (v: string) => void; placeholder: string;
}) {
  const book = useAddressBook();
  const recent = useSecretRecipients(address, kind);
  return <RecipientField label={label} testid="secret-to" value={value} onInput={onInput} placeholder={placeholder} sender={address}
    accounts={state.accounts} book={book.value} onBookChanged={book.reload} recent={recent} />;
}

function useSecretBalances(address: string) {
  return useLoad(() => sendMessage('pri(dark.balances)', { address }), [address]);
}

export function ConvertToSecret({ address, state }: Props) {
  const account = state.accounts.find((a) => a.address === address);
  const publicBalances = useLoad(() => sendMessage('pri(chain.balances)', null), [address]);
  const [amount, setAmount] = useState('');
  const [sent, setSent] = useState<SecretOperationView | null>(null);
  const submit = useAction(async () => setSent(await sendMessage('pri(dark.convertToSecret)', { address, amount: amount.trim() })));
  const token = publicBalances.value?.token;
  const free = publicBalances.value?.balances[address]?.free;
  return (
    <Frame name="secret-to-secret" title="Convert to secret" account={account} sent={sent}>
      {token && free !== undefined && <p class="muted" data-testid="public-available">Public balance: {displayUnits(free, token.decimals)} {token.symbol}</p>}
      {publicBalances.error && <Notice tone="warn">{publicBalances.error}</Notice>}
      <Notice>Public {token?.symbol ?? 'native token'} moves into the confidential contract and becomes secret {token?.symbol ?? 'native token'}. The chain sees this account and the amount — what you do with it afterwards stays invisible.</Notice>
      <Form onSubmit={() => void submit.run()}>
        <Field label={`Amount${token ? ` (${token.symbol})` : ''}`} testid="secret-amount-input" value={amount} onInput={setAmount} placeholder="0.0" />
        <ErrorNote error={submit.error} />
        <Button type="submit" data-testid="secret-submit" busy={submit.busy} disabled={!amount.trim()}>Convert to secret</Button>
      </Form>
    </Frame>
  );
}

export function ConvertToPublic({ address, state }: Props) {
  const account = state.accounts.find((a) => a.address === address);
  const balances = useSecretBalances(address);
  const [to, setTo] = useState('');
  const [amount, setAmount] = useState('');
  const [sent, setSent] = useState<SecretOperationView | null>(null);
  const submit = useAction(async () => setSent(await sendMessage('pri(dark.convertToPublic)', { address, to: to.trim(), amount: amount.trim() })));
  const native = balances.value?.find((b) => b.id === 0);
  return (
    <Frame name="secret-to-public" title="Convert to public" account={account} sent={sent}>
      {native && <p class="muted" data-testid="secret-available">Secret balance: {displayUnits(native.amount, native.decimals)} {native.symbol}</p>}
      {balances.error && <Notice tone="warn">{balances.error}</Notice>}
      <Notice>Secret {native?.symbol ?? 'native token'} leaves the confidential contract and is paid out publicly: the chain sees the recipient and the amount. The payment comes with the worker’s next batch of payouts (every few blocks), together with everyone else’s, so it does not point at this operation.</Notice>
      <RelayNote direct={null} />
      <Form onSubmit={() => void submit.run()}>
        <SecretRecipient label="Recipient (leave empty for this account)" address={address} kind="Withdraw" state={state} value={to} onInput={setTo} placeholder={shortAddress(address)} />
        <Field label={`Amount${native ? ` (${native.symbol})` : ''}`} testid="secret-amount-input" value={amount} onInput={setAmount} placeholder="0.0" />
        <ErrorNote error={submit.error} />
        <Button type="submit" data-testid="secret-submit" busy={submit.busy} disabled={!amount.trim()}>Convert to public</Button>
      </Form>
    </Frame>
  );
}

export function SecretTransfer({ address, state }: Props) {
  const account = state.accounts.find((a) => a.address === address);
  const balances = useSecretBalances(address);
  const [asset, setAsset] = useState('0');
  const [to, setTo] = useState('');
  const [amount, setAmount] = useState('');
  const [sent, setSent] = useState<SecretOperationView | null>(null);
  const submit = useAction(async () => setSent(await sendMessage('pri(dark.transfer)', { address, asset: Number(asset), to: to.trim(), amount: amount.trim() })));
  const chosen = balances.value?.find((b) => String(b.id) === asset);
  return (
    <Frame name="secret-transfer" title="Secret transfer" account={account} sent={sent}>
      {balances.error && <Notice tone="warn">{balances.error}</Notice>}
      <RelayNote direct={<Notice>The chain sees only an encrypted command from this account: not the asset, not the amount, not the recipient.</Notice>} />
      <Form onSubmit={() => void submit.run()}>
        <label class="field">
          <span>Asset</span>
          <select data-testid="secret-asset" value={asset} onChange={(e) => setAsset(e.currentTarget.value)}>
            {(balances.value ?? []).map((b) => (
              <option key={b.id} value={String(b.id)}>{b.symbol} — {b.name} ({displayUnits(b.amount, b.decimals)} available)</option>
            ))}
          </select>
        </label>
        {chosen && <p class="muted small" data-testid="secret-available">Available: {displayUnits(chosen.amount, chosen.decimals)} {chosen.symbol}</p>}
        <SecretRecipient label="Recipient address" address={address} kind="Transfer" state={state} value={to} onInput={setTo} placeholder="5…" />
        <Field label={`Amount${chosen ? ` (${chosen.symbol})` : ''}`} testid="secret-amount-input" value={amount} onInput={setAmount} placeholder="0.0" />
        <ErrorNote error={submit.error} />
        <Button type="submit" data-testid="secret-submit" busy={submit.busy} disabled={!to.trim() || !amount.trim() || !balances.value}>Send secretly</Button>
      </Form>
    </Frame>
  );
}

export function IssueToken({ address, state }: Props) {
  const account = state.accounts.find((a) => a.address === address);
  const [symbol, setSymbol] = useState('');
  const [name, setName] = useState('');
  const [decimals, setDecimals] = useState('12');
  const [supply, setSupply] = useState('');
  const [sent, setSent] = useState<SecretOperationView | null>(null);
  const submit = useAction(async () => {
    const d = Number(decimals.trim());
    setSent(await sendMessage('pri(dark.issue)', { address, symbol: symbol.trim(), name: name.trim(), decimals: Number.isInteger(d) ? d : -1, supply: supply.trim() }));
  });
  return (
    <Frame name="secret-issue" title="Issue a secret token" account={account} sent={sent}>
      <Notice>Its symbol, name and decimals are public. Its supply, balances and transfers are invisible on the chain; the whole supply starts in this account's secret balance.</Notice>
      <RelayNote direct={null} />
      <Form onSubmit={() => void submit.run()}>
        <Field label={`Symbol (${SYMBOL_RULE_TEXT})`} testid="issue-symbol" value={symbol} onInput={setSymbol} placeholder="GOLD" />
        <Field label={`Name (up to ${MAX_NAME_BYTES} bytes)`} testid="issue-name" value={name} onInput={setName} placeholder="Gold" />
        <Field label={`Decimals (0 to ${MAX_DECIMALS})`} testid="issue-decimals" value={decimals} onInput={setDecimals} />
        <Field label="Supply" testid="issue-supply" value={supply} onInput={setSupply} placeholder="1000" />
        <ErrorNote error={submit.error} />
        <Button type="submit" data-testid="secret-submit" busy={submit.busy} disabled={!symbol.trim() || !name.trim() || !supply.trim()}>Issue token</Button>
      </Form>
    </Frame>
  );
}
