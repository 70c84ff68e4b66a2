/** Words for secret operations and history entries. */
import { displayUnits } from '../../../shared/units';
import type { SecretActivityView, SecretOp, SecretOperationStatus } from '../../messages/types';
import { shortAddress } from '../components/Account';

export const OP_TITLE: Record<SecretOp, string> = {
  convertToSecret: 'Convert to secret',
  convertToPublic: 'Convert to public',
  transfer: 'Secret transfer',
  issue: 'Issue a secret token',
};

export function amountText(amount: string, decimals: number, symbol: string): string {
  return `${displayUnits(amount, decimals)} ${symbol}`;
}

export function who(address: string | null, name: string | null): string {
  if (!address) return '';
  return name ? `${name} (${shortAddress(address)})` : shortAddress(address);
}

export function activityTitle(a: SecretActivityView): string {
  switch (a.kind) {
    case 'Deposit':
      return 'Converted to secret';
    case 'Withdraw':
      return 'Converted to public';
    case 'Transfer':
      return a.direction === 'In' ? 'Received' : 'Sent';
    case 'Issue':
      return a.status === 'applied' && a.asset !== null ? `Issued ${a.symbol} (asset #${a.asset})` : `Issue ${a.symbol}`;
    case 'Mint':
      return 'Minted';
    case 'Burn':
      return 'Burned';
    case 'Invalid':
      return 'Unreadable operation';
    case 'RevokePermit':
      return 'Revoked a view permit';
    case 'RelayFee':
      return a.direction === 'In' ? 'Relay fee earned' : 'Relay fee';
  }
}

export function activityParty(a: SecretActivityView): string | null {
  if (!a.counterparty) return null;
  const party = who(a.counterparty, a.counterpartyName);
  if (a.kind === 'Transfer') return a.direction === 'In' ? `from ${party}` : `to ${party}`;
  if (a.kind === 'Withdraw') return `to ${party}`;
  return party;
}

export function statusText(status: SecretOperationStatus, block: number | null, reason: string | null): string {
  switch (status) {
    case 'pending':
      return 'Pending: sending to the chain…';
    case 'included':
      return `Included in block #${block ?? '?'}: waiting for the confidential contract…`;
    case 'unconfirmed':
      return `Included in block #${block ?? '?'}, but Dark Wallet could not learn whether the confidential contract applied it: ${reason ?? 'the worker did not answer.'}`;
    case 'applied':
      return block === null ? 'Applied' : `Applied in block #${block}`;
    case 'failed':
      return `Failed: ${reason ?? 'the operation did not go through.'}`;
  }
}
