/** Checkboxes to choose which accounts a site may see (connection approval and site editing). */
import type { AccountView } from '../../messages/types';
import { AccountLine } from '../components/Account';

export function AccountPicker({ accounts, chosen, onChange }: { accounts: AccountView[]; chosen: string[]; onChange: (chosen: string[]) => void }) {
  const toggle = (address: string, on: boolean) => onChange(on ? [...chosen, address] : chosen.filter((a) => a !== address));
  return (
    <ul class="picker" data-testid="account-picker">
      {accounts.map((a) => (
        <li key={a.address}>
          <label class="check card">
            <input type="checkbox" data-testid={`pick-${a.address}`} checked={chosen.includes(a.address)} onChange={(e) => toggle(a.address, e.currentTarget.checked)} />
            <AccountLine account={a} />
          </label>
        </li>
      ))}
    </ul>
  );
}
