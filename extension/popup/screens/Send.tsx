/** Public transfer (`balances.transferKeepAlive`), built, checked against the balance and fee, and signed in the background. */
import { useState } from 'preact/hooks';
import { displayUnits } from '../../../shared/units';
import type { WalletState } from '../../messages/types';
import { useAddressBook } from '../address/book';
import { RecipientField } from '../address/RecipientField';
import { exceedsBalance, OVER_BALANCE } from '../amounts';
import { AccountLine, shortAddress } from '../components/Account';
import { Button, ErrorNote, Field, Form, Notice } from '../components/Form';
import { Screen } from '../components/Screen';
import { useAction, useLoad } from '../hooks';
import { sendMessage } from '../messaging';
import { go } from '../router';

export function Send({ from, state }: { from: string; state: WalletState }) {
  const account = state.accounts.find((a) => a.address === from);
  const balances = useLoad(() => sendMessage('pri(chain.balances)', null), [from]);
  const book = useAddressBook();
  const [to, setTo] = useState('');
  const [amount, setAmount] = useState('');
  const [sent, setSent] = useState<{ amount: string; to: string } | null>(null);
  const send = useAction(async () => {
    await sendMessage('pri(chain.transfer)', { from, to: to.trim(), amount: amount.trim() });
    setSent({ amount: amount.trim(), to: to.trim() });
    balances.reload(); // the balance after the transfer and its fee, not the one before
  });
  const token = balances.value?.token;
  const free = balances.value?.balances[from]?.free;
  const over = token !== undefined && exceedsBalance(amount, token.decimals, free);
  const available = token && free !== undefined ? `${displayUnits(free, token.decimals)} ${token.symbol}` : null;
  return (
    <Screen name="send" title="Send" back={['home']}>
      {account && <AccountLine account={account} />}
      {balances.error && <Notice tone="warn">{balances.error}</Notice>}
      {sent ? (
        <>
          <Notice tone="ok" testid="send-done">Sent {sent.amount} {token?.symbol ?? ''} to {shortAddress(sent.to)}.</Notice>
          {available && <p class="muted" data-testid="send-available">Available now: {available}</p>}
          <Button data-testid="send-finished" onClick={() => go('home')}>Done</Button>
        </>
      ) : (
        <>
          {available && <p class="muted" data-testid="send-available">Available: {available}</p>}
          <Form onSubmit={() => void send.run()}>
            <RecipientField label="Recipient address" testid="send-to" value={to} onInput={setTo} placeholder="5…" sender={from}
              accounts={state.accounts} book={book.value} onBookChanged={book.reload} recent={book.value?.recent ?? []} />
            <Field label={`Amount${token ? ` (${token.symbol})` : ''}`} testid="send-amount" value={amount} onInput={setAmount} placeholder="0.0"
              hint="The network fee comes on top, and the account keeps at least the existential deposit, so it is never reaped." />
            {over && <Notice tone="warn" testid="send-over-balance">{OVER_BALANCE}</Notice>}
            <ErrorNote error={send.error} />
            <Button type="submit" data-testid="send-submit" busy={send.busy} disabled={!to.trim() || !amount.trim() || over}>Send</Button>
          </Form>
        </>
      )}
    </Screen>
  );
}
