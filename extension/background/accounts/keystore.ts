/**
 * polkadot-js JSON v3 keystore files: `encoded = base64(salt32 | N | p | r | nonce24 | secretbox(pkcs8))`,
 * scrypt + xsalsa20-poly1305. Built from @polkadot/util-crypto's primitives so the bytes are exactly
 * what polkadot-js writes and reads — we only pin the scrypt parameters.
 */
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair, KeyringPair$Json } from '@polkadot/keyring/types';
import { u8aConcat } from '@polkadot/util';
import type { EncryptedJson } from '@polkadot/util-crypto/types';
import {
  base64Decode, jsonEncryptFormat, naclEncrypt, randomAsU8a, scryptEncode, scryptToU8a,
} from '@polkadot/util-crypto';
import { WalletError } from '../../messages/errors';
import { KEYPAIR_KINDS, type KeypairKind } from '../../messages/types';
import { isRecord } from '../storage/store';
import { SS58_FORMAT } from './address';

/**
 * What we write: N = 2^17, r = 8, p = 1 — @polkadot/util-crypto's `scrypt` DEFAULT_PARAMS, so what
 * current polkadot-js (@polkadot/keyring ≥ 13) writes. Four times the work per password guess of
 * the N = 2^15 that older polkadot-js and earlier Dark Wallet versions wrote.
 */
export const SCRYPT_PARAMS = { N: 1 << 17, p: 1, r: 8 } as const;
/** What earlier Dark Wallet versions (and older polkadot-js) wrote; re-encrypted at the next unlock. */
const LEGACY_SCRYPT = { N: 1 << 15, p: 1, r: 8 } as const;

/**
 * What we read. A crafted file must not make us run an expensive scrypt, so only these two cost
 * settings are accepted: ours, and the legacy one (backups from older polkadot-js versions).
 */
const ACCEPTED_SCRYPT: readonly { N: number; p: number; r: number }[] = [SCRYPT_PARAMS, LEGACY_SCRYPT];

const SCRYPT_HEADER = 32 + 12;
const NONCE = 24;
/** salt + params + nonce + secretbox of the largest pkcs8 (ecdsa/sr25519 ≈ 120 B) with room to spare. */
const MAX_ENCODED_BYTES = 512;

export type KeystoreJson = KeyringPair$Json & { encoding: { content: ['pkcs8', KeypairKind] } };

export const keyring = new Keyring({ ss58Format: SS58_FORMAT, type: 'sr25519' });

const bad = (message: string) => new WalletError('InvalidInput', message);
const NOT_A_BACKUP = 'This is not a Dark Wallet or polkadot-js account backup (JSON v3). Choose the exported .json file of one account.';

/** JSON text (or an already parsed value) as a record; `InvalidInput` with `notOne` otherwise. */
export function jsonRecord(input: unknown, notOne: string): Record<string, unknown> {
  let json: unknown = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input);
    } catch {
      throw bad(notOne);
    }
  }
  if (!isRecord(json)) throw bad(notOne);
  return json;
}

/** Whether a parsed backup file holds several accounts (a polkadot-js "export all" batch). */
export const isBatchJson = (json: Record<string, unknown>): boolean =>
  isRecord(json.encoding) && Array.isArray(json.encoding.content) && json.encoding.content[0] === 'batch-pkcs8';

/**
 * The sealed bytes of a JSON v3 envelope (single account or batch), after checking the format and
 * the scrypt parameters — a crafted file must not make us run an expensive scrypt.
 */
export function sealedBytes(json: Record<string, unknown>, maxBytes: number, notOne: string): Uint8Array {
  if (!isRecord(json.encoding) || typeof json.encoded !== 'string') throw bad(notOne);
  const { type, version } = json.encoding;
  if (version !== '3' || !Array.isArray(type) || type.length !== 2 || type[0] !== 'scrypt' || type[1] !== 'xsalsa20-poly1305') {
    throw bad('This backup is not password-encrypted in the JSON v3 format. Export it again from a current wallet.');
  }
  let encoded: Uint8Array;
  try {
    encoded = base64Decode(json.encoded);
  } catch {
    throw bad(notOne);
  }
  if (encoded.length < SCRYPT_HEADER + NONCE + 16 || encoded.length > maxBytes) throw bad(notOne);
  const params = scryptParamsOf(encoded);
  if (!ACCEPTED_SCRYPT.some((a) => a.N === params.N && a.p === params.p && a.r === params.r)) {
    throw bad('This backup uses unusual encryption settings, so Dark Wallet will not open it. Export it again from polkadot-js or Dark Wallet.');
  }
  return encoded;
}

/** Validates the structure and the scrypt parameters before anything is decrypted. */
export function parseKeystore(input: unknown): KeystoreJson {
  const json = jsonRecord(input, NOT_A_BACKUP);
  if (isBatchJson(json)) {
    throw bad('This backup holds several accounts. Restore it with "Restore JSON", which imports all of them at once.');
  }
  if (typeof json.address !== 'string') throw bad(NOT_A_BACKUP);
  const content = isRecord(json.encoding) ? json.encoding.content : undefined;
  if (isRecord(json.encoding) && json.encoding.version === '3'
    && (!Array.isArray(content) || content.length !== 2 || content[0] !== 'pkcs8' || !KEYPAIR_KINDS.includes(content[1] as KeypairKind))) {
    throw bad('This account type is not supported. Dark Wallet holds sr25519, ed25519 and ecdsa accounts.');
  }
  sealedBytes(json, MAX_ENCODED_BYTES, NOT_A_BACKUP);
  const meta = isRecord(json.meta) ? json.meta : {};
  return { ...(json as unknown as KeystoreJson), meta };
}

function scryptParamsOf(encoded: Uint8Array): { N: number; p: number; r: number } {
  const view = new DataView(encoded.buffer, encoded.byteOffset + 32, 12);
  return { N: view.getUint32(0, true), p: view.getUint32(4, true), r: view.getUint32(8, true) };
}

/** Whether a (validated) keystore was written with weaker scrypt settings than ours. */
export function isWeakerThanCurrent(json: KeystoreJson): boolean {
  return scryptParamsOf(base64Decode(json.encoded)).N < SCRYPT_PARAMS.N;
}

/** A locked pair from a (validated) keystore: enough to know its address and type, nothing secret. */
export function pairFromKeystore(json: KeystoreJson): KeyringPair {
  return keyring.createFromJson(json);
}

/** Decrypts; a wrong password (or a damaged file, which we cannot tell apart) throws `WrongPassword`. */
export function decryptKeystore(json: KeystoreJson, password: string, wrongPassword = 'Wrong password. Try again.'): KeyringPair {
  const pair = pairFromKeystore(json);
  try {
    pair.decodePkcs8(password);
  } catch {
    throw new WalletError('WrongPassword', wrongPassword);
  }
  return pair;
}

/**
 * `jsonEncrypt` of @polkadot/util-crypto with our scrypt parameters pinned rather than its defaults:
 * the same `{encoded, encoding}` envelope polkadot-js writes and `jsonDecrypt` reads.
 */
export function sealJson(plain: Uint8Array, content: string[], password: string): EncryptedJson {
  const { params, password: key, salt } = scryptEncode(password, randomAsU8a(), SCRYPT_PARAMS);
  const { encrypted, nonce } = naclEncrypt(plain, key.subarray(0, 32));
  return jsonEncryptFormat(u8aConcat(scryptToU8a(salt, params), nonce, encrypted), content, true);
}

/** Encrypts an unlocked pair under `password` with our scrypt parameters. */
export function encryptPair(pair: KeyringPair, password: string): KeystoreJson {
  const plain = pair.toJson(); // no passphrase: pkcs8 in the clear, only ever held in this function
  return { ...plain, ...sealJson(base64Decode(plain.encoded), ['pkcs8', pair.type], password) } as KeystoreJson;
}
