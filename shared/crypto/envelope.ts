/**
 * Envelopes sealed to the contract's X25519 key (DESIGN.md §3):
 *   version u8 | ephemeralPub 32 | nonce 24 | XChaCha20-Poly1305(ciphertext + tag)
 * key = HKDF-SHA256(X25519(ephemeral, contractPub), info = "dark-wallet/v1/" + purpose + contractPub + ephemeralPub).
 * Command AAD binds version | genesis | contractId | signer, so a ciphertext copied into another
 * account's extrinsic, another contract or another chain does not open.
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { COMMAND_ENVELOPE_SIZE, ENVELOPE_VERSION } from '../constants';
import { ProtocolError } from '../errors';
import type { SecretCommand } from '../protocol/command';
import { padBody, unpadBody, type EnvelopeBody } from '../protocol/relay';
import type { AccountId, ContractId } from '../types';
import { accountIdToBytes } from '../types';
import { x25519Backend, type Ephemeral } from './x25519';

export type EnvelopePurpose = 'command' | 'query' | 'reply' | 'session';

const HEADER = 1 + 32 + 24;
const TAG = 16;
const utf8 = new TextEncoder();

/** The context a command is bound to. */
export interface CommandBinding {
  genesisHash: Uint8Array;
  contractId: ContractId;
  signer: AccountId;
}

export function deriveKey(purpose: EnvelopePurpose, shared: Uint8Array, contractPub: Uint8Array, peerPub: Uint8Array, salt?: Uint8Array): Uint8Array {
  const tag = utf8.encode(`dark-wallet/v1/${purpose}`);
  const info = new Uint8Array(tag.length + 64);
  info.set(tag);
  info.set(contractPub, tag.length);
  info.set(peerPub, tag.length + 32);
  return hkdf(sha256, shared, salt, info, 32);
}

export function commandAad(b: CommandBinding): Uint8Array {
  if (b.genesisHash.length !== 32) throw new ProtocolError('BadLength', 'A genesis hash is 32 bytes.');
  const aad = new Uint8Array(1 + 32 + 4 + 32);
  aad[0] = ENVELOPE_VERSION;
  aad.set(b.genesisHash, 1);
  new DataView(aad.buffer).setUint32(33, b.contractId, true);
  aad.set(accountIdToBytes(b.signer), 37);
  return aad;
}

/** Query envelopes are not bound to a signer (the signed request inside names the account). */
export function queryAad(genesisHash: Uint8Array, contract: ContractId): Uint8Array {
  if (genesisHash.length !== 32) throw new ProtocolError('BadLength', 'A genesis hash is 32 bytes.');
  const aad = new Uint8Array(1 + 32 + 4);
  aad[0] = ENVELOPE_VERSION;
  aad.set(genesisHash, 1);
  new DataView(aad.buffer).setUint32(33, contract, true);
  return aad;
}

export interface Sealed {
  envelope: Uint8Array;
  /** For query envelopes: the key the enclave's reply is sealed under. */
  replyKey: Uint8Array;
}

/** Seals `plaintext` to `contractPub` with a fresh ephemeral key and nonce. */
export async function sealEnvelope(purpose: 'command' | 'query', contractPub: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Promise<Sealed> {
  return sealWith(purpose, contractPub, aad, plaintext, await (await x25519Backend()).ephemeral(), randomBytes(24));
}

/** Deterministic form for test vectors: never reuse an ephemeral secret or nonce outside them. */
export async function sealEnvelopeWith(
  purpose: 'command' | 'query', contractPub: Uint8Array, aad: Uint8Array, plaintext: Uint8Array,
  fixed: { ephemeralSecret: Uint8Array; nonce: Uint8Array },
): Promise<Sealed> {
  const x = await x25519Backend();
  const [publicKey, agree] = await Promise.all([x.publicKey(fixed.ephemeralSecret), x.prepare(fixed.ephemeralSecret)]);
  return sealWith(purpose, contractPub, aad, plaintext, { publicKey, agree }, fixed.nonce);
}

async function sealWith(
  purpose: 'command' | 'query', contractPub: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, eph: Ephemeral, nonce: Uint8Array,
): Promise<Sealed> {
  if (nonce.length !== 24) throw new ProtocolError('BadLength', 'An XChaCha20 nonce is 24 bytes.');
  const shared = await eph.agree(contractPub);
  const key = deriveKey(purpose, shared, contractPub, eph.publicKey);
  const ct = xchacha20poly1305(key, nonce, aad).encrypt(plaintext);
  const envelope = new Uint8Array(HEADER + ct.length);
  envelope[0] = ENVELOPE_VERSION;
  envelope.set(eph.publicKey, 1);
  envelope.set(nonce, 33);
  envelope.set(ct, HEADER);
  return { envelope, replyKey: deriveKey('reply', shared, contractPub, eph.publicKey) };
}

/** The enclave side: a contract key prepared once, able to open many envelopes. */
export interface ContractKey {
  readonly publicKey: Uint8Array;
  agree(peerPub: Uint8Array): Promise<Uint8Array>;
}

export async function contractKeyFromSecret(secret: Uint8Array): Promise<ContractKey> {
  const x = await x25519Backend();
  const [publicKey, agree] = await Promise.all([x.publicKey(secret), x.prepare(secret)]);
  return { publicKey, agree };
}

export interface Opened {
  plaintext: Uint8Array;
  replyKey: Uint8Array;
}

export async function openEnvelope(
  purpose: 'command' | 'query', key: ContractKey, aad: Uint8Array, envelope: Uint8Array,
): Promise<Opened> {
  const { plaintext, shared, ephPub } = await openSealed(purpose, key, aad, envelope);
  return { plaintext, replyKey: deriveKey('reply', shared, key.publicKey, ephPub) };
}

/** Authenticates and decrypts; leaves the reply key underived (commands get no reply: one HKDF less per open). */
async function openSealed(
  purpose: 'command' | 'query', key: ContractKey, aad: Uint8Array, envelope: Uint8Array,
): Promise<{ plaintext: Uint8Array; shared: Uint8Array; ephPub: Uint8Array }> {
  if (!(envelope instanceof Uint8Array) || envelope.length < HEADER + TAG) throw new ProtocolError('Truncated', 'Envelope is too short.');
  if (envelope[0] !== ENVELOPE_VERSION) throw new ProtocolError('BadVersion', 'Unknown envelope version.');
  const ephPub = envelope.subarray(1, 33);
  const shared = await key.agree(ephPub);
  const k = deriveKey(purpose, shared, key.publicKey, ephPub);
  let plaintext: Uint8Array;
  try {
    plaintext = xchacha20poly1305(k, envelope.subarray(33, HEADER), aad).decrypt(envelope.subarray(HEADER));
  } catch {
    throw new ProtocolError('DecryptFailed', 'Envelope did not authenticate: tampered, or bound to another account, contract or chain.');
  }
  return { plaintext, shared, ephPub };
}

/** Seals any envelope form (direct, relayed, dummy) to one size; AAD binds the submitting signer. */
export async function sealBody(contractPub: Uint8Array, binding: CommandBinding, body: EnvelopeBody): Promise<Uint8Array> {
  const { envelope } = await sealEnvelope('command', contractPub, commandAad(binding), padBody(body));
  return envelope;
}

export const sealCommand = (contractPub: Uint8Array, binding: CommandBinding, command: SecretCommand): Promise<Uint8Array> =>
  sealBody(contractPub, binding, { kind: 'Direct', command });

export async function openBody(key: ContractKey, binding: CommandBinding, envelope: Uint8Array): Promise<EnvelopeBody> {
  if (!(envelope instanceof Uint8Array) || envelope.length !== COMMAND_ENVELOPE_SIZE) {
    throw new ProtocolError('BadLength', `A command envelope is ${COMMAND_ENVELOPE_SIZE} bytes.`);
  }
  const { plaintext } = await openSealed('command', key, commandAad(binding), envelope);
  return unpadBody(plaintext);
}

/** Opens a direct command; a relayed or dummy envelope is refused (UnknownVariant). */
export async function openCommand(key: ContractKey, binding: CommandBinding, envelope: Uint8Array): Promise<SecretCommand> {
  const body = await openBody(key, binding, envelope);
  if (body.kind !== 'Direct') throw new ProtocolError('UnknownVariant', 'This envelope holds no direct command.');
  return body.command;
}

/** Replies travel as nonce 24 | XChaCha20-Poly1305(body) under the reply key of the query envelope. */
export function sealReply(replyKey: Uint8Array, body: Uint8Array): Uint8Array {
  const nonce = randomBytes(24);
  const ct = xchacha20poly1305(replyKey, nonce, REPLY_AAD).encrypt(body);
  const out = new Uint8Array(24 + ct.length);
  out.set(nonce);
  out.set(ct, 24);
  return out;
}

export function openReply(replyKey: Uint8Array, sealed: Uint8Array): Uint8Array {
  if (!(sealed instanceof Uint8Array) || sealed.length < 24 + TAG) throw new ProtocolError('Truncated', 'Reply is too short.');
  try {
    return xchacha20poly1305(replyKey, sealed.subarray(0, 24), REPLY_AAD).decrypt(sealed.subarray(24));
  } catch {
    throw new ProtocolError('DecryptFailed', 'Reply did not authenticate.');
  }
}

const REPLY_AAD = utf8.encode('dark-wallet/v1/reply');
