/** The named choices a send form offers for its recipient (pure: the component only draws them). */
import type { AccountView, Contact, SecretActivityView } from '../../messages/types';
import { shortAddress } from '../components/short-address';

export const MAX_SUGGESTED = 5;

export interface Suggestion {
  address: string;
  label: string;
  source: 'contact' | 'recent' | 'account';
}

/**
 * Recent recipients first (named when they are a contact or one of ours), then contacts, then our
 * other accounts; each address once, never the sending account.
 */
export function suggestions(recent: string[], contacts: Contact[], accounts: AccountView[], sender: string): Suggestion[] {
  const names = new Map<string, string>([...accounts.map((a) => [a.address, a.name] as const), ...contacts.map((c) => [c.address, c.name] as const)]);
  const seen = new Set([sender]);
  const out: Suggestion[] = [];
  const add = (address: string, source: Suggestion['source']) => {
    if (seen.has(address)) return;
    seen.add(address);
    out.push({ address, source, label: names.get(address) ?? shortAddress(address) });
  };
  for (const a of recent.slice(0, MAX_SUGGESTED)) add(a, 'recent');
  for (const c of contacts) add(c.address, 'contact');
  for (const a of accounts) add(a.address, 'account');
  return out;
}

/** The name an address goes by in this wallet, if any. */
export function knownName(address: string, contacts: Contact[], accounts: AccountView[]): string | null {
  return accounts.find((a) => a.address === address)?.name ?? contacts.find((c) => c.address === address)?.name ?? null;
}

/** The last distinct counterparties of outgoing entries of `kind`, newest first (the history is newest first). */
export function recentCounterparties(history: SecretActivityView[], kind: SecretActivityView['kind']): string[] {
  const out: string[] = [];
  for (const a of history) {
    if (a.kind !== kind || a.direction !== 'Out' || !a.counterparty || out.includes(a.counterparty)) continue;
    out.push(a.counterparty);
    if (out.length === MAX_SUGGESTED) break;
  }
  return out;
}
