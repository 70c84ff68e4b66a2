/** The history as CSV (RFC 4180) for a spreadsheet: exact amounts, one line per entry, newest first. */
import { formatUnits } from '../../../shared/units';
import type { SecretActivityView } from '../../messages/types';
import { balanceDelta } from './balance-chart';

const HEADER = ['block', 'status', 'kind', 'direction', 'asset', 'symbol', 'amount', 'change', 'counterparty', 'counterparty_name', 'reason', 'ref'];

/**
 * Quoted when needed; text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR
 * first) gets a leading apostrophe — token names and reasons come from other people.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function historyCsv(items: SecretActivityView[]): string {
  const rows = items.map((a) => {
    const delta = balanceDelta(a);
    return [
      a.block === null ? '' : String(a.block), a.status, a.kind, a.direction, a.asset === null ? '' : String(a.asset), csvCell(a.symbol),
      formatUnits(a.amount, a.decimals),
      // The signed change to the balance, written by us (never a formula): only applied entries change it.
      delta < 0n ? `-${formatUnits(-delta, a.decimals)}` : formatUnits(delta, a.decimals),
      csvCell(a.counterparty ?? ''), csvCell(a.counterpartyName ?? ''), csvCell(a.reason ?? ''), a.ref ?? '',
    ].join(',');
  });
  return [HEADER.join(','), ...rows].join('\r\n') + '\r\n';
}
