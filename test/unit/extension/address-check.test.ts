/** The popup's as-you-type address check agrees with @polkadot/util-crypto's decodeAddress on account addresses. */
import { cryptoWaitReady, decodeAddress, encodeAddress } from '@polkadot/util-crypto';
import fc from 'fast-check';
import { checkAddress, formatAddress } from '../../../extension/popup/address/ss58';

beforeAll(() => cryptoWaitReady());

const polkadotAccepts = (a: string): boolean => {
  try {
    return decodeAddress(a).length === 32;
  } catch {
    return false;
  }
};

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

test('every account address in any ss58 format is valid; a single changed character is refused as polkadot-js refuses it', () => {
  fc.assert(fc.property(
    fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.integer({ min: 0, max: 16383 }).filter((p) => p !== 46 && p !== 47),
    fc.nat(), fc.nat(),
    (key, prefix, at, by) => {
      const address = encodeAddress(key, prefix);
      expect(checkAddress(address)).toBe('valid');
      const i = at % address.length;
      const swapped = BASE58[(BASE58.indexOf(address[i]) + 1 + (by % (BASE58.length - 1))) % BASE58.length];
      const typo = address.slice(0, i) + swapped + address.slice(i + 1);
      expect(checkAddress(typo) === 'valid').toBe(polkadotAccepts(typo));
    },
  ), { numRuns: 300 });
});

test('typos are told apart from text that is no address', () => {
  const alice = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
  expect(checkAddress(`  ${alice} `)).toBe('valid');
  expect(checkAddress(`${alice.slice(0, -1)}Z`)).toBe('badChecksum');
  expect(checkAddress(alice.slice(0, -3))).toBe('notAnAddress');
  expect(checkAddress('recipient')).toBe('notAnAddress'); // 'l' is not base58
  expect(checkAddress('0OIl')).toBe('notAnAddress');
  expect(checkAddress('')).toBe('empty');
  expect(checkAddress(`0x${'ab'.repeat(32)}`)).toBe('valid');
  expect(checkAddress(`0x${'ab'.repeat(31)}`)).toBe('notAnAddress');
});

test('an address shown in a network\'s format is what @polkadot/util-crypto encodes, for one- and two-byte prefixes', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.integer({ min: 0, max: 16383 }).filter((f) => f !== 46 && f !== 47), fc.integer({ min: 0, max: 16383 }).filter((f) => f !== 46 && f !== 47), (account, from, to) => {
    expect(formatAddress(encodeAddress(account, from), to)).toBe(encodeAddress(account, to));
  }), { numRuns: 300 });
  expect(formatAddress('not an address', 0)).toBe('not an address');
});
