/** Decimal strings ⇄ integer base units, exactly (no floating point ever touches an amount). */
import { DarkWalletError } from './errors';
import { amount, type Amount } from './types';

export class AmountFormatError extends DarkWalletError {
  constructor(message: string) {
    super('BadAmount', message);
  }
}

export function parseUnits(text: string, decimals: number): Amount {
  const t = text.trim().replace(/_/g, '');
  const m = /^(\d+)(?:\.(\d*))?$/.exec(t);
  if (!m) throw new AmountFormatError('Enter an amount like 12 or 0.5.');
  const frac = m[2] ?? '';
  if (frac.length > decimals) throw new AmountFormatError(`This token has ${decimals} decimals; use fewer digits after the point.`);
  try {
    return amount(BigInt(m[1]) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, '0') || '0'));
  } catch {
    throw new AmountFormatError('That amount is too large.');
  }
}

export function formatUnits(value: bigint, decimals: number): string {
  const base = 10n ** BigInt(decimals);
  const whole = value / base;
  const frac = (value % base).toString().padStart(decimals, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : whole.toString();
}
