import type { ComponentChildren } from 'preact';
import type { AccountView } from '../../messages/types';
import { useShownAddress } from '../network';

import { shortAddress } from './short-address';

export { shortAddress };

/** A deterministic two-colour disc from the address: enough to tell accounts apart at a glance. */
export function Identicon({ address, size = 36 }: { address: string; size?: number }) {
  let h = 0;
  for (let i = 0; i < address.length; i++) h = (h * 31 + address.charCodeAt(i)) >>> 0;
  const a = h % 360;
  const b = (a + 90 + ((h >>> 9) % 120)) % 360;
  return (
    <span
      class="identicon"
      aria-hidden="true"
      style={{ width: `${size}px`, height: `${size}px`, background: `conic-gradient(from ${h % 360}deg, hsl(${a} 70% 60%), hsl(${b} 70% 45%), hsl(${a} 70% 60%))` }}
    />
  );
}

/** The account's name and address, the address in the active network's format. */
export function AccountLine({ account, children }: { account: Pick<AccountView, 'address' | 'name'>; children?: ComponentChildren }) {
  const shown = useShownAddress(account.address);
  return (
    <div class="account-line">
      <Identicon address={account.address} />
      <div class="account-text">
        <strong data-testid="account-name">{account.name}</strong>
        <code title={shown} data-testid="account-address">{shortAddress(shown)}</code>
      </div>
      {children}
    </div>
  );
}
