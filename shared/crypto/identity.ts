/** ed25519 identity keys (enclave receipts, dev attestation authority). Pure JS via @noble/curves. */
import { ed25519 } from '@noble/curves/ed25519.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { ProtocolError } from '../errors';

export interface IdentityKey {
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

export function identityFromSeed(seed: Uint8Array): IdentityKey {
  if (!(seed instanceof Uint8Array) || seed.length !== 32) throw new ProtocolError('BadLength', 'An ed25519 seed is 32 bytes.');
  const secret = seed.slice();
  const publicKey = ed25519.getPublicKey(secret);
  return { publicKey, sign: (m) => ed25519.sign(m, secret) };
}

export const generateIdentitySeed = (): Uint8Array => randomBytes(32);

export function verifyIdentitySignature(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  try {
    return ed25519.verify(signature, message, publicKey);
  } catch {
    return false;
  }
}
