/** Where the recipient suggestions come from: the address book, and the account's own secret history. */
import type { SecretActivityView } from '../../messages/types';
import { useLoad } from '../hooks';
import { sendMessage } from '../messaging';
import { recentCounterparties } from './suggestions';

export function useAddressBook() {
  return useLoad(() => sendMessage('pri(addressBook.get)', null), []);
}

/**
 * The last recipients of this account's outgoing secret operations of `kind`, newest first, read from
 * its secret history (through its query session): nothing about them is stored by the wallet.
 */
export function useSecretRecipients(address: string, kind: SecretActivityView['kind']): string[] {
  const history = useLoad(() => sendMessage('pri(dark.history)', { address }), [address]);
  return recentCounterparties(history.value ?? [], kind);
}
