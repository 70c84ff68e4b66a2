import fc from 'fast-check';
import { formatUnits, parseUnits } from '../../../extension/common/units';

describe('token units', () => {
  test('parse decimal text into smallest units', () => {
    expect(parseUnits('1.5', 12)).toBe(1_500_000_000_000n);
    expect(parseUnits(' 42 ', 0)).toBe(42n);
    expect(parseUnits('0.000000000001', 12)).toBe(1n);
    for (const bad of ['', '-1', '1e3', '1.', '.5', '1,5', '0x10', '1.0000000000001']) expect(parseUnits(bad, 12)).toBeNull();
  });

  test('format truncates, never rounds up, and groups thousands', () => {
    expect(formatUnits(1_234_567_899_999_999n, 12)).toBe('1,234.5678');
    expect(formatUnits('1000000000000', 12)).toBe('1');
    expect(formatUnits(0n, 12)).toBe('0');
  });

  test('full-precision format parses back to the same value', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.integer({ min: 0, max: 30 }), (v, d) => {
      const text = formatUnits(v, d, d).replace(/,/g, '');
      return parseUnits(text, d) === v;
    }));
  });
});
