/**
 * Decimal strings ⇄ integer base units, exactly (no floating point ever touches an amount). One module
 * for every side: the CLI and SDK (`parseUnits` throws a sentence), the extension's popup and
 * background (`tryParseUnits` returns null, `displayUnits` groups and shortens for people).
 *
 * Deliberately free of runtime imports beyond the error class and the protocol's limits, so the popup bundle can use it without
 * pulling in any crypto library.
 */
import { DarkWalletError } from './errors';
import { U128_MAX } from './protocol/rules';
import type { Amount } from './types';

export class AmountFormatError extends DarkWalletError {
  constructor(message: string) {
    super('BadAmount', message);
  }
}

/** Digits, optionally a point and at least one more digit; `_` may group digits ("1_000"). */
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** "1.5" with 12 decimals → 1500000000000n. Throws an `AmountFormatError` sentence otherwise. */
export function parseUnits(text: string, decimals: number): Amount {
  const m = DECIMAL.exec(text.trim().replace(/_/g, ''));
  if (!m) throw new AmountFormatError('Enter an amount like 12 or 0.5.');
  const [, whole, frac = ''] = m;
  if (frac.length > decimals) throw new AmountFormatError(`This token has ${decimals} decimals; use fewer digits after the point.`);
  const value = BigInt(whole) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, '0') || '0');
  if (value > U128_MAX) throw new AmountFormatError('That amount is too large.');
  return value as Amount;
}

/** Like `parseUnits`, but null instead of an error (for forms that check as people type). */
export function tryParseUnits(text: string, decimals: number): Amount | null {
  try {
    return parseUnits(text, decimals);
  } catch {
    return null;
  }
}

export interface FormatOptions {
  /** Fraction digits kept, truncated (never rounded up). Default: all of them. */
  maxFraction?: number;
  /** Thousands separators in the whole part ("1,234.5"). Default false. */
  group?: boolean;
}

/** 1500000000000n with 12 decimals → "1.5". Full precision unless `maxFraction` says otherwise. */
export function formatUnits(value: bigint | string, decimals: number, opts: FormatOptions = {}): string {
  const v = BigInt(value);
  const base = 10n ** BigInt(decimals);
  const wholeDigits = (v / base).toString();
  const whole = opts.group ? wholeDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : wholeDigits;
  const frac = (v % base).toString().padStart(decimals, '0').slice(0, opts.maxFraction ?? decimals).replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : whole;
}

/** What people read in the wallet: grouped, at most 4 fraction digits (truncated). */
export function displayUnits(value: bigint | string, decimals: number, maxFraction = 4): string {
  return formatUnits(value, decimals, { maxFraction, group: true });
}
