import fc from 'fast-check';
import { AmountFormatError, displayUnits, formatUnits, parseUnits, tryParseUnits } from '../../../shared/units';

/** One units module serves the CLI/SDK (shared/units.ts) and the extension (popup and background). */
describe('token units', () => {
  test('parse decimal text into smallest units', () => {
    expect(tryParseUnits('1.5', 12)).toBe(1_500_000_000_000n);
    expect(tryParseUnits(' 42 ', 0)).toBe(42n);
    expect(tryParseUnits('0.000000000001', 12)).toBe(1n);
    expect(tryParseUnits('1_000', 0)).toBe(1000n);
    for (const bad of ['', '-1', '1e3', '1.', '.5', '1,5', '0x10', '1.0000000000001', ' ', 'NaN']) expect(tryParseUnits(bad, 12)).toBeNull();
  });

  test('parseUnits throws a sentence; amounts stay within u128', () => {
    expect(() => parseUnits('abc', 12)).toThrow(AmountFormatError);
    expect(() => parseUnits('1.5', 0)).toThrow(/0 decimals/);
    expect(() => parseUnits((1n << 128n).toString(), 0)).toThrow(/too large/);
    expect(parseUnits(((1n << 128n) - 1n).toString(), 0)).toBe((1n << 128n) - 1n);
  });

  test('display truncates, never rounds up, and groups thousands', () => {
    expect(displayUnits(1_234_567_899_999_999n, 12)).toBe('1,234.5678');
    expect(displayUnits('1000000000000', 12)).toBe('1');
    expect(displayUnits(0n, 12)).toBe('0');
    expect(displayUnits(1_000_000n, 0)).toBe('1,000,000');
  });

  test('formatUnits keeps full precision by default (the CLI prints exact amounts)', () => {
    expect(formatUnits(1_234_567_899_999_999n, 12)).toBe('1234.567899999999');
    expect(formatUnits(10n, 0)).toBe('10');
  });

  test('full-precision format parses back to the same value', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.integer({ min: 0, max: 30 }), (v, d) => {
      return tryParseUnits(formatUnits(v, d), d) === v && tryParseUnits(displayUnits(v, d, d).replace(/,/g, ''), d) === v;
    }));
  });
});
