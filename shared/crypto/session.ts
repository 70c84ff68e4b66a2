/**
 * Query sessions (DESIGN.md §3, the SNIP-24 permit idea): one account signature opens a session;
 * each later query is `sessionId 16 | counter u64 | XChaCha20-Poly1305(body)` under a key both sides
 * derive once from X25519(sessionSecret, contractPub). The counter must grow, so frames cannot be
 * replayed; the direction byte in nonce and AAD keeps a request from being reflected as an answer.
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { blake2b } from '@noble/hashes/blake2.js';
import { ProtocolError } from '../errors';
import { SESSION_ID_BYTES, SESSION_SALT_BYTES } from '../protocol/query';
import { U64_MAX } from '../types';
import { deriveKey } from './envelope';

export type Direction = 'request' | 'reply';
const HEADER = SESSION_ID_BYTES + 8;
const TAG = 16;

export const sessionIdOf = (sessionPub: Uint8Array): Uint8Array => blake2b(sessionPub, { dkLen: SESSION_ID_BYTES });
/**
 * The session key mixes in a salt the enclave picks when it opens the session: a host that restarts
 * the enclave and replays a recorded OpenSession gets a new key, so recorded frames cannot make the
 * enclave seal new answers under nonces it already used.
 */
export function sessionKeyOf(shared: Uint8Array, contractPub: Uint8Array, sessionPub: Uint8Array, salt: Uint8Array): Uint8Array {
  if (salt.length !== SESSION_SALT_BYTES) throw new ProtocolError('BadLength', 'A session salt is 32 bytes.');
  return deriveKey('session', shared, contractPub, sessionPub, salt);
}

function nonceAndAad(header: Uint8Array, direction: Direction): { nonce: Uint8Array; aad: Uint8Array } {
  const dir = direction === 'request' ? 0 : 1;
  const nonce = new Uint8Array(24);
  nonce[0] = dir;
  nonce.set(header.subarray(SESSION_ID_BYTES, HEADER), 1);
  const aad = new Uint8Array(HEADER + 1);
  aad.set(header);
  aad[HEADER] = dir;
  return { nonce, aad };
}

export function sealFrame(key: Uint8Array, sessionId: Uint8Array, counter: bigint, direction: Direction, body: Uint8Array): Uint8Array {
  if (sessionId.length !== SESSION_ID_BYTES) throw new ProtocolError('BadLength', 'A session id is 16 bytes.');
  if (counter < 0n || counter > U64_MAX) throw new ProtocolError('OutOfRange', 'A session counter is a u64.');
  const out = new Uint8Array(HEADER + body.length + TAG);
  out.set(sessionId);
  new DataView(out.buffer).setBigUint64(SESSION_ID_BYTES, counter, true);
  const { nonce, aad } = nonceAndAad(out.subarray(0, HEADER), direction);
  out.set(xchacha20poly1305(key, nonce, aad).encrypt(body), HEADER);
  return out;
}

export interface FrameHeader {
  sessionId: Uint8Array;
  counter: bigint;
}

export function frameHeader(frame: Uint8Array): FrameHeader {
  if (!(frame instanceof Uint8Array) || frame.length < HEADER + TAG) throw new ProtocolError('Truncated', 'Session frame is too short.');
  return {
    sessionId: frame.slice(0, SESSION_ID_BYTES),
    counter: new DataView(frame.buffer, frame.byteOffset, frame.length).getBigUint64(SESSION_ID_BYTES, true),
  };
}

export function openFrame(key: Uint8Array, frame: Uint8Array, direction: Direction): Uint8Array {
  frameHeader(frame);
  const { nonce, aad } = nonceAndAad(frame.subarray(0, HEADER), direction);
  try {
    return xchacha20poly1305(key, nonce, aad).decrypt(frame.subarray(HEADER));
  } catch {
    throw new ProtocolError('DecryptFailed', 'Session frame did not authenticate.');
  }
}
