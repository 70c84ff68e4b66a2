/**
 * The sealed form of a key handover (shared/protocol/handover.ts has the layout): an ephemeral X25519
 * agreement with the recipient's attested handover key, HKDF-SHA256, XChaCha20-Poly1305 with the AAD
 * binding chain, contract and recipient. Raw keys in, raw keys out: only secret.ts calls it.
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { ProtocolError } from '../../shared/errors';
import { x25519Backend } from '../../shared/crypto/x25519';
import { HANDOVER_SEALED_BYTES, HANDOVER_SEED_BYTES } from '../../shared/protocol/handover';

const NONCE = 24;
const INFO = new TextEncoder().encode('dark-wallet/v1/handover');

function boxKey(shared: Uint8Array, recipientPub: Uint8Array, ephemeralPub: Uint8Array): Uint8Array {
  const info = new Uint8Array(INFO.length + 64);
  info.set(INFO);
  info.set(recipientPub, INFO.length);
  info.set(ephemeralPub, INFO.length + 32);
  return hkdf(sha256, shared, undefined, info, 32);
}

export async function sealHandoverBox(recipientPub: Uint8Array, aad: Uint8Array, seed: Uint8Array): Promise<Uint8Array> {
  if (seed.length !== HANDOVER_SEED_BYTES) throw new ProtocolError('BadLength', 'A contract seed is 32 bytes.');
  const eph = await (await x25519Backend()).ephemeral();
  const nonce = randomBytes(NONCE);
  const ct = xchacha20poly1305(boxKey(await eph.agree(recipientPub), recipientPub, eph.publicKey), nonce, aad).encrypt(seed);
  const out = new Uint8Array(HANDOVER_SEALED_BYTES);
  out.set(eph.publicKey);
  out.set(nonce, 32);
  out.set(ct, 32 + NONCE);
  return out;
}

/** `handoverSecret`: the recipient's raw X25519 handover secret. */
export async function openHandoverBox(handoverSecret: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Promise<Uint8Array> {
  if (!(sealed instanceof Uint8Array) || sealed.length !== HANDOVER_SEALED_BYTES) throw new ProtocolError('BadLength', `A sealed handover is ${HANDOVER_SEALED_BYTES} bytes.`);
  const x = await x25519Backend();
  const [myPub, agree] = await Promise.all([x.publicKey(handoverSecret), x.prepare(handoverSecret)]);
  const ephemeralPub = sealed.subarray(0, 32);
  const key = boxKey(await agree(ephemeralPub), myPub, ephemeralPub);
  try {
    return xchacha20poly1305(key, sealed.subarray(32, 32 + NONCE), aad).decrypt(sealed.subarray(32 + NONCE));
  } catch {
    throw new ProtocolError('DecryptFailed', 'The handover did not authenticate: sealed to another key, or bound to another chain, contract or worker.');
  }
}
