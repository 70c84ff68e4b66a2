/**
 * The symbol rule of Issue (isIssuableSymbol) and the ledger error codes as wire tags. The rule is
 * validation, not wire format: commands carrying any symbol still encode and decode unchanged.
 */
import fc from 'fast-check';
import { decodeCommand, encodeCommand, type SecretCommand } from '../../../shared/protocol/command';
import { ISSUABLE_SYMBOL, MAX_SYMBOL_BYTES, isIssuableSymbol } from '../../../shared/protocol/rules';
import { LedgerErrorCodes } from '../../../shared/protocol/ledger';
import type { Amount } from '../../../shared/types';
import { byteLength, symbolArb } from './arbitraries';

const issue = (symbol: string): SecretCommand => ({ kind: 'Issue', symbol, name: 'Name', decimals: 2, supply: 1n as Amount });

/** Look-alikes of "PHA" and "GOLD" that a reader could take for them, and other refused forms. */
const REFUSED: [string, string][] = [
  ['\u0420\u041d\u0410', 'Cyrillic Р Н А'],
  ['P\u0397A', 'a Greek capital Eta'],
  ['\uff30HA', 'a fullwidth P'],
  ['G\u041eLD', 'a Cyrillic capital O'],
  ['PHA\u200b', 'a zero-width space'],
  ['PHA\u0301', 'a combining accent'],
  ['PH\u00c5', 'a precomposed accented letter'],
  ['PHA.', 'punctuation'],
  ['PHA_', 'an underscore'],
  ['GO LD', 'a space'],
  ['GOLD\n', 'a trailing newline'],
  [' GOLD', 'a leading space'],
  ['1INCH', 'a leading digit'],
  ['000', 'digits only, which would read as part of an amount'],
  ['', 'nothing'],
  ['ABCDEFGHIJKLM', 'thirteen letters'],
];

describe('the symbol rule of Issue', () => {
  test.each(['A', 'z', 'PHA', 'GOLD', 'vDOT', 'USDt', 'Q1', 'ABCDEFGHIJKL', 'A00000000000'])('accepts %s', (symbol) => {
    expect(isIssuableSymbol(symbol)).toBe(true);
  });

  test.each(REFUSED)('refuses %j (%s)', (symbol) => {
    expect(isIssuableSymbol(symbol)).toBe(false);
  });

  test('refuses anything that is not a string', () => {
    for (const v of [undefined, null, 7, ['PHA'], { toString: () => 'PHA' }]) expect(isIssuableSymbol(v)).toBe(false);
  });

  test('the arbitrary of Issue commands generates only issuable symbols, within the wire limit', () => {
    fc.assert(fc.property(symbolArb(), (s) => {
      expect(isIssuableSymbol(s)).toBe(true);
      expect(byteLength(s)).toBeLessThanOrEqual(MAX_SYMBOL_BYTES);
    }), { numRuns: 500 });
  });

  test('any character outside ASCII letters and digits makes a symbol refused', () => {
    const other = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((ch) => !/^[A-Za-z0-9]$/.test(ch));
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'ABCxyz019'), maxLength: 5 }), other, fc.nat(5), (s, ch, at) => {
      const i = Math.min(at, s.length);
      expect(isIssuableSymbol(`${s.slice(0, i)}${ch}${s.slice(i)}`)).toBe(false);
    }), { numRuns: 1000 });
  });

  test('a refused symbol still crosses the wire unchanged: the rule is the ledger\'s, not the codec\'s', () => {
    for (const [symbol] of REFUSED) {
      if (symbol === '' || byteLength(symbol) > MAX_SYMBOL_BYTES) continue;
      expect(decodeCommand(encodeCommand(issue(symbol)))).toStrictEqual(issue(symbol));
    }
  });

  test('has no global or sticky flag, so checking one symbol never changes the answer for the next', () => {
    expect(ISSUABLE_SYMBOL.flags).toBe('');
    expect([isIssuableSymbol('GOLD'), isIssuableSymbol('GOLD')]).toEqual([true, true]);
  });
});

test('ledger error codes keep their wire tags: new codes are appended, never inserted', () => {
  expect(LedgerErrorCodes.names).toEqual([
    'InsufficientBalance', 'UnknownAsset', 'Overflow', 'NotIssuer', 'InvalidCommand', 'NotNativeAsset', 'ZeroAmount',
    'SymbolTaken', 'BelowMinimum', 'InvalidSymbol', 'BadNonce', 'FeeUnpaid',
  ]);
});
