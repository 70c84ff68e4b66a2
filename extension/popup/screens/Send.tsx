/** Public transfer (`balances.transferKeepAlive`), built and signed in the background. */
import { useState } from 'preact/hooks';
import { displayUnits } from '../../../shared/units';
import type { TransferResult, WalletState } from '../../messages/types';
import { useAddressBook } from '../address/book';
import { RecipientField } from '../address/RecipientField';
import { AccountLine } from '../components/Account';
import { Button, ErrorNote, Field, Form, Notice } from '../components/Form';
import { Screen } from '../components/Screen';
import { useAction, useLoad } from '../hooks';
import { sendMessage } from '../messaging';

export function Send({ from, state }: { from: string; state: WalletState }) {
  const account = state.accounts.find((a) => a.address === from);
  const balances = useLoad(() => sendMessage('pri(chain.balances)', null), [from]);
  const book = useAddressBook();
  const [to, setTo] = useState('');
  const [amount, setAmount] = useState('');
  const [result, setResult] = useState<TransferResult | null>(null);
  const send = useAction(async () => setResult(await sendMessage('pri(chain.transfer)', { from, to: to.trim(), amount: amount.trim() })));
  const token = balances.value?.token;
  const free = balances.value?.balances[from]?.free;
  return (
    <Screen name="send" title="Send" back={['home']}>
      {account && <AccountLine account={account} />}
      {token && free !== undefined && <p class="muted" data-testid="send-available">Available: {displayUnits(free, token.decimals)} {token.symbol}</p>}
      {balances.error && <Notice tone="warn">{balances.error}</Notice>}
      {result ? (
        <Notice tone="ok" testid="send-done">
          Sent. Included in block <code>{result.blockHash.slice(0, 12)}…</code> (transaction <code>{result.txHash.slice(0, 12)}…</code>).
        </Notice>
      ) : (
        <Form onSubmit={() => void send.run()}>
          <RecipientField label="Recipient address" testid="send-to" value={to} onInput={setTo} placeholder="5…" sender={from}
            accounts={state.accounts} book={book.value} onBookChanged={book.reload} recent={book.value?.recent ?? []} />
          <Field label={`Amount${token ? ` (${token.symbol})` : ''}`} testid="send-amount" value={amount} onInput={setAmount} placeholder="0.0"
            hint="The account keeps at least the existential deposit, so it is never reaped." />
          <ErrorNote error={send.error} />
          <Button type="submit" data-testid="send-submit" busy={send.busy} disabled={!to.trim() || !amount.trim()}>Send</Button>
        </Form>
      )}
    </Screen>
  );
}
