/** Branded domain types: an AccountId is not any string, an Amount is not any bigint. */
import { decodeAddress, encodeAddress } from '@polkadot/util-crypto';
import { ProtocolError } from './errors';
import { U128_MAX, U32_MAX } from './protocol/rules';

declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** AccountId32 as lowercase 0x-hex (66 chars): cheap to compare and to key maps with. */
export type AccountId = Brand<string, 'AccountId'>;
/** u32 asset id; 0 is the chain's native token ("secret PHA"). */
export type AssetId = Brand<number, 'AssetId'>;
/** u128 token amount in the asset's smallest unit. */
export type Amount = Brand<bigint, 'Amount'>;
export type ContractId = Brand<number, 'ContractId'>;
/** 32-byte hash as lowercase 0x-hex. */
export type Hash = Brand<string, 'Hash'>;

export const NATIVE_ASSET = 0 as AssetId;
// The integer widths are protocol rules (shared/protocol/rules.ts); re-exported beside the branded
// constructors that enforce them.
export { U128_MAX, U32_MAX, U64_MAX } from './protocol/rules';

const HEX_DIGITS = '0123456789abcdef';
const BYTE_HEX = Array.from({ length: 256 }, (_, i) => HEX_DIGITS[i >> 4] + HEX_DIGITS[i & 15]);
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  NIBBLE[HEX_DIGITS.charCodeAt(i)] = i;
  NIBBLE[HEX_DIGITS.toUpperCase().charCodeAt(i)] = i;
}

/** Lowercase 0x-hex. Built with one join: `+=` leaves V8 rope strings ~10× their size in long-lived maps. */
export function toHex(bytes: Uint8Array): string {
  const parts = new Array<string>(bytes.length + 1);
  parts[0] = '0x';
  for (let i = 0; i < bytes.length; i++) parts[i + 1] = BYTE_HEX[bytes[i]];
  return parts.join('');
}

export function fromHex(hex: string): Uint8Array {
  if (typeof hex !== 'string' || !hex.startsWith('0x') || hex.length % 2 !== 0) {
    throw new ProtocolError('OutOfRange', 'Expected 0x-prefixed hex.');
  }
  const out = new Uint8Array((hex.length - 2) / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = NIBBLE[hex.charCodeAt(2 + 2 * i)] ?? -1;
    const lo = NIBBLE[hex.charCodeAt(3 + 2 * i)] ?? -1;
    if (hi < 0 || lo < 0) throw new ProtocolError('OutOfRange', 'Expected 0x-prefixed hex.');
    out[i] = (hi << 4) | lo;
  }
  return out;
}

export function accountIdFromBytes(bytes: Uint8Array): AccountId {
  if (bytes.length !== 32) throw new ProtocolError('BadLength', 'An account id is 32 bytes.');
  return toHex(bytes) as AccountId;
}

/** Accepts an SS58 address (any network prefix), 0x-hex or raw bytes. */
export function accountId(input: string | Uint8Array): AccountId {
  if (input instanceof Uint8Array) return accountIdFromBytes(input);
  if (input.startsWith('0x')) return accountIdFromBytes(fromHex(input));
  try {
    return accountIdFromBytes(decodeAddress(input));
  } catch {
    throw new ProtocolError('OutOfRange', 'Not a valid account address.');
  }
}

export const accountIdToBytes = (id: AccountId): Uint8Array => fromHex(id);
export const accountIdToAddress = (id: AccountId, ss58Format = 42): string => encodeAddress(fromHex(id), ss58Format);

export function assetId(n: number): AssetId {
  if (!Number.isInteger(n) || n < 0 || n > U32_MAX) throw new ProtocolError('OutOfRange', 'An asset id is a u32.');
  return n as AssetId;
}

export function amount(n: bigint | number | string): Amount {
  const v = BigInt(n);
  if (v < 0n || v > U128_MAX) throw new ProtocolError('OutOfRange', 'An amount is a u128.');
  return v as Amount;
}

export function contractId(n: number): ContractId {
  if (!Number.isInteger(n) || n < 0 || n > U32_MAX) throw new ProtocolError('OutOfRange', 'A contract id is a u32.');
  return n as ContractId;
}

export function hash32(bytes: Uint8Array): Hash {
  if (bytes.length !== 32) throw new ProtocolError('BadLength', 'A hash is 32 bytes.');
  return toHex(bytes) as Hash;
}
