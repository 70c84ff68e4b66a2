/**
 * The one authenticated-encryption container the enclave persists through its host:
 *   version u8 | nonce 24 | XChaCha20-Poly1305(key, aad = domain | version | context, plaintext)
 * Used for the sealed state and for the dev-wrapped enclave secret. The version travels in clear so
 * an old blob is refused as BadVersion rather than as a decryption failure, and is bound again in the
 * AAD so flipping it cannot pass as another format.
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { ProtocolError } from '../../shared/errors';

const NONCE = 24;
const TAG = 16;
const utf8 = new TextEncoder();

export interface BoxFormat {
  /** e.g. "dark-wallet/v1/sealed-state": keeps one kind of blob from opening as another. */
  domain: string;
  version: number;
}

function aadOf(format: BoxFormat, context: Uint8Array): Uint8Array {
  const tag = utf8.encode(format.domain);
  const aad = new Uint8Array(tag.length + 1 + context.length);
  aad.set(tag);
  aad[tag.length] = format.version;
  aad.set(context, tag.length + 1);
  return aad;
}

export function sealBox(key: Uint8Array, format: BoxFormat, context: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const nonce = randomBytes(NONCE);
  const ct = xchacha20poly1305(key, nonce, aadOf(format, context)).encrypt(plaintext);
  const out = new Uint8Array(1 + NONCE + ct.length);
  out[0] = format.version;
  out.set(nonce, 1);
  out.set(ct, 1 + NONCE);
  return out;
}

/** Refuses a short blob (Truncated), another version (BadVersion) and anything that fails authentication (DecryptFailed). */
export function openBox(key: Uint8Array, format: BoxFormat, context: Uint8Array, blob: Uint8Array): Uint8Array {
  if (!(blob instanceof Uint8Array) || blob.length < 1 + NONCE + TAG) throw new ProtocolError('Truncated', 'Sealed data is too short.');
  if (blob[0] !== format.version) throw new ProtocolError('BadVersion', 'Sealed data has an unknown version.');
  try {
    return xchacha20poly1305(key, blob.subarray(1, 1 + NONCE), aadOf(format, context)).decrypt(blob.subarray(1 + NONCE));
  } catch {
    throw new ProtocolError('DecryptFailed', 'Sealed data did not authenticate: tampered, or sealed by another enclave, contract or chain.');
  }
}
