/** `#/receive/<address>`: the account's address, as text and as a QR code, to be paid publicly or secretly. */
import { useState } from 'preact/hooks';
import type { WalletState } from '../../messages/types';
import { AccountLine } from '../components/Account';
import { Button, Notice } from '../components/Form';
import { Screen } from '../components/Screen';
import { useShownAddress } from '../network';
import { Qr } from './Qr';

export function Receive({ address, state }: { address: string; state: WalletState }) {
  const account = state.accounts.find((a) => a.address === address);
  const shown = useShownAddress(address); // what this network's wallets and explorers expect
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard?.writeText(shown);
    setCopied(true);
  };
  return (
    <Screen name="receive" title="Receive" back={['home']}>
      {account ? (
        <>
          <AccountLine account={account} />
          <div class="qr-frame"><Qr text={shown} testid="receive-qr" /></div>
          <p class="address-full center" data-testid="receive-address">{shown}</p>
          <Button kind="secondary" data-testid="receive-copy" onClick={() => void copy()}>{copied ? 'Copied' : 'Copy address'}</Button>
          <Notice>The same address receives public transfers (visible on the chain) and secret transfers (invisible: only this account can read them).</Notice>
        </>
      ) : <Notice tone="warn">This account is no longer in Dark Wallet. Go back to the account list.</Notice>}
    </Screen>
  );
}
