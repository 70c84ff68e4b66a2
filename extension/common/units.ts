/** Token amounts between decimal text people type and integer smallest units. No float ever touches them. */

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** "1.5" with 12 decimals → 1500000000000n; null when the text is not a plain non-negative number or has too many decimals. */
export function parseUnits(text: string, decimals: number): bigint | null {
  const m = DECIMAL.exec(text.trim());
  if (!m) return null;
  const [, whole, frac = ''] = m;
  if (frac.length > decimals) return null;
  return BigInt(whole) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, '0') || '0');
}

/** 1500000000000n with 12 decimals → "1.5"; at most `maxFraction` fraction digits, truncated (never rounded up). */
export function formatUnits(value: bigint | string, decimals: number, maxFraction = 4): string {
  const v = BigInt(value);
  const base = 10n ** BigInt(decimals);
  const whole = (v / base).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = (v % base).toString().padStart(decimals, '0').slice(0, maxFraction).replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : whole;
}
