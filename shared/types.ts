/** Branded domain types: an AccountId is not any string, an Amount is not any bigint. */
import { decodeAddress, encodeAddress } from '@polkadot/util-crypto';
import { ProtocolError } from './errors';

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
export const U32_MAX = 0xffff_ffff;
export const U64_MAX = (1n << 64n) - 1n;
export const U128_MAX = (1n << 128n) - 1n;

const HEX = /^0x[0-9a-f]*$/;

export function toHex(bytes: Uint8Array): string {
  let s = '0x';
  for (let i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
  return s;
}

export function fromHex(hex: string): Uint8Array {
  const h = hex.toLowerCase();
  if (!HEX.test(h) || h.length % 2 !== 0) throw new ProtocolError('OutOfRange', 'Expected 0x-prefixed hex.');
  const out = new Uint8Array((h.length - 2) / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 + i * 2, 4 + i * 2), 16);
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
