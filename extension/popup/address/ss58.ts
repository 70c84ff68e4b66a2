/**
 * Checking a typed address as the user types, inside the popup: SS58 (base58 of prefix | 32-byte
 * account | 2-byte blake2b checksum) or a 0x account id; and showing an address in the active
 * network's format (`formatAddress`). @polkadot/util-crypto's `decodeAddress`
 * does the same but would pull its WebAssembly into the popup bundle; this stays a few hundred
 * bytes on @noble/@scure. The background still validates every recipient itself.
 */
import { blake2b } from '@noble/hashes/blake2.js';
import { base58 } from '@scure/base';

export type AddressCheck = 'empty' | 'valid' | 'notAnAddress' | 'badChecksum';

const SS58_PREFIX = new TextEncoder().encode('SS58PRE');
const ACCOUNT_BYTES = 32;
const CHECKSUM_BYTES = 2;
const HEX_ACCOUNT = /^0x[0-9a-fA-F]{64}$/;

export function checkAddress(input: string): AddressCheck {
  const text = input.trim();
  if (!text) return 'empty';
  if (HEX_ACCOUNT.test(text)) return 'valid';
  const decoded = decode(text);
  return typeof decoded === 'string' ? decoded : 'valid';
}

/** The 32-byte account of an SS58 address of any prefix, or why not. */
function decode(text: string): Uint8Array | 'notAnAddress' | 'badChecksum' {
  let bytes: Uint8Array;
  try {
    bytes = base58.decode(text);
  } catch {
    return 'notAnAddress';
  }
  // Prefixes 0–63 take one byte, 64–16383 two (the first with 0b01 in its top bits); the rest is invalid.
  const prefixBytes = bytes[0] < 64 ? 1 : bytes[0] < 128 ? 2 : 0;
  if (!prefixBytes || bytes.length !== prefixBytes + ACCOUNT_BYTES + CHECKSUM_BYTES) return 'notAnAddress';
  const body = bytes.subarray(0, bytes.length - CHECKSUM_BYTES);
  const sum = bytes.subarray(bytes.length - CHECKSUM_BYTES);
  const hash = checksum(body);
  return hash[0] === sum[0] && hash[1] === sum[1] ? body.subarray(prefixBytes) : 'badChecksum';
}

const checksum = (body: Uint8Array): Uint8Array => blake2b(concat(SS58_PREFIX, body), { dkLen: 64 }).subarray(0, CHECKSUM_BYTES);

/** The SS58 prefix bytes of `format` (0–16383), as Substrate's `ss58_address_format` encodes them. */
function prefixOf(format: number): Uint8Array {
  if (format < 64) return Uint8Array.of(format);
  return Uint8Array.of(((format & 0b1111_1100) >> 2) | 0b0100_0000, (format >> 8) | ((format & 0b11) << 6));
}

/** `address` (an SS58 address of any network) in the address format `ss58Format`; unchanged when it is not one. */
export function formatAddress(address: string, ss58Format: number): string {
  const account = decode(address);
  if (typeof account === 'string') return address;
  const body = concat(prefixOf(ss58Format), account);
  return base58.encode(concat(body, checksum(body)));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The sentence under the field; null while it is empty or valid. */
export function addressProblem(check: AddressCheck): string | null {
  switch (check) {
    case 'notAnAddress':
      return 'This is not an address: Polkadot addresses are 47–48 letters and digits, like 5Grwva…';
    case 'badChecksum':
      return 'This address has a typo: its checksum does not match. Copy it again from the recipient.';
    default:
      return null;
  }
}
