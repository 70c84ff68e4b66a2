/**
 * Secret operations as plain, validated intents. Pages are hostile: every field is checked for type,
 * length and range here, before the request is queued, so the approval view shows exactly what would
 * be sealed. Amounts are integers in the smallest unit, inside u128 and above zero.
 */
import { isIssuableSymbol, MAX_DECIMALS, MAX_NAME_BYTES, SYMBOL_RULE_TEXT, U128_MAX, U32_MAX } from '../../../shared/protocol/rules';
import { tryParseUnits } from '../../../shared/units';
import type { SecretIntent } from '../../messages/types';
import { normalizeAddress } from '../accounts/address';
import { decimal, integer, invalid, record, string } from '../validate';

const utf8 = new TextEncoder();

/** Control characters and lone surrogates (which have no UTF-8 form). */
const UNPRINTABLE = /[\p{Cc}\p{Cs}]/u;

/** A positive u128 in the smallest unit, from a decimal string (pages) — as a canonical decimal string. */
export function baseUnits(x: unknown, field: string): string {
  const v = BigInt(decimal(x, field));
  if (v === 0n) throw invalid(`Send "${field}" greater than zero.`);
  if (v > U128_MAX) throw invalid(`"${field}" is too large: secret amounts fit in 128 bits.`);
  return v.toString();
}

/** A page's recipient (`to`): the sentence tells the dApp developer what to send. */
export function recipient(x: unknown): string {
  const address = normalizeAddress(string(x, 'to', 128).trim());
  if (!address) throw invalid('The recipient ("to") is not a valid address: send an SS58 address or a 0x-prefixed 32-byte public key.');
  return address;
}

/** A recipient people typed in a form (secret or public): the sentence speaks to them. */
export function typedRecipient(text: string): string {
  const address = normalizeAddress(text.trim());
  if (!address) throw invalid('The recipient is not a valid address. Check it and try again.');
  return address;
}

/** Decimals people typed in the issue form (the form sends a number, NaN when it is not one). */
export function typedDecimals(x: unknown): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > MAX_DECIMALS) {
    throw invalid(`Decimals is a whole number from 0 to ${MAX_DECIMALS}, like 12.`);
  }
  return x;
}

export function tokenSymbol(x: unknown): string {
  const s = string(x, 'symbol', 64).trim();
  // The ledger's rule (ASCII letters and digits), so two tokens cannot look alike by script, punctuation or spaces.
  if (!isIssuableSymbol(s)) throw invalid(`Give the token a symbol of ${SYMBOL_RULE_TEXT}, like GOLD.`);
  return s;
}

export function tokenName(x: unknown): string {
  const s = string(x, 'name', 256).trim();
  if (!s || UNPRINTABLE.test(s) || utf8.encode(s).length > MAX_NAME_BYTES) {
    throw invalid(`Give the token a name of 1 to ${MAX_NAME_BYTES} bytes of printable text.`);
  }
  return s;
}

export function tokenDecimals(x: unknown): number {
  return integer(x, 'decimals', 0, MAX_DECIMALS);
}

/** The optional `address` of a page request: null lets the user choose in the approval window. */
export function optionalAddress(x: unknown): string | null {
  return x === undefined || x === null ? null : string(x, 'address', 128);
}

/** A page's secret-operation request, validated. */
export function pageIntent(op: SecretIntent['op'], input: unknown): { address: string | null; intent: SecretIntent } {
  const r = record(input, 'the request');
  const address = optionalAddress(r.address);
  switch (op) {
    case 'convertToSecret':
      return { address, intent: { op, amount: baseUnits(r.amount, 'amount') } };
    case 'convertToPublic':
      return { address, intent: { op, to: recipient(r.to), amount: baseUnits(r.amount, 'amount') } };
    case 'transfer':
      return { address, intent: { op, asset: integer(r.asset, 'asset', 0, U32_MAX), to: recipient(r.to), amount: baseUnits(r.amount, 'amount') } };
    case 'issue': {
      const decimals = tokenDecimals(r.decimals);
      return { address, intent: { op, symbol: tokenSymbol(r.symbol), name: tokenName(r.name), decimals, supply: baseUnits(r.supply, 'supply') } };
    }
  }
}

/** An amount people typed ("1.5") in units of an asset with `decimals`, as smallest units. */
export function typedAmount(text: string, decimals: number, symbol: string, what = 'an amount'): string {
  const v = tryParseUnits(text, decimals);
  if (v === null || v === 0n) {
    throw invalid(`Enter ${what} of ${symbol} greater than zero, with at most ${decimals} decimals.`);
  }
  return v.toString();
}
