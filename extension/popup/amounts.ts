/**
 * Checks a form makes as people type: a typed amount above what the account holds. The background
 * checks again before signing, with the real fee (shared/client/funds.ts); this only warns early.
 */
import { tryParseUnits } from '../../shared/units';

/** True when `typed` parses and is more than `available` (both in the asset's units). */
export function exceedsBalance(typed: string, decimals: number, available: string | undefined): boolean {
  if (available === undefined) return false;
  const value = tryParseUnits(typed, decimals);
  return value !== null && value > BigInt(available);
}

export const OVER_BALANCE = 'This is more than the account holds, so it would fail. Enter a smaller amount.';
