/**
 * Backups of every account in one file: the polkadot-js "export all accounts" batch JSON.
 *
 * As @polkadot/ui-keyring's `backupAccounts` writes it (and polkadot-js extension's `batchRestore` reads
 * it): `jsonEncrypt(JSON.stringify([keystore, …]), ['batch-pkcs8'], password)` plus a readable
 * `accounts: [{address, meta}]` list. Each inner keystore is still sealed with its own password, so
 * opening a batch takes the file's password and then each account's.
 */
import type { KeyringPair } from '@polkadot/keyring/types';
import { stringToU8a, u8aToString } from '@polkadot/util';
import { jsonDecrypt } from '@polkadot/util-crypto';
import type { EncryptedJson } from '@polkadot/util-crypto/types';
import { WalletError } from '../../messages/errors';
import { isRecord } from '../storage/store';
import { decryptKeystore, isBatchJson, jsonRecord, parseKeystore, sealJson, sealedBytes, type KeystoreJson } from './keystore';

/** More accounts than anyone keeps in a browser wallet; each costs two scrypt runs to restore. */
export const MAX_BATCH_ACCOUNTS = 100;
/** An inner keystore is well under 1 KB of JSON; base64 and the envelope add a third. */
const MAX_BATCH_BYTES = MAX_BATCH_ACCOUNTS * 2048;

export interface BatchJson extends EncryptedJson {
  accounts: { address: string; meta: Record<string, unknown> }[];
}

const NOT_A_BATCH = 'This is not an "all accounts" backup of Dark Wallet or polkadot-js. Choose the exported .json file.';
const DAMAGED = 'This backup opened, but the accounts inside it are damaged. Export it again from the wallet it came from.';
const bad = (message: string) => new WalletError('InvalidInput', message);

/** Seals the stored keystores (already encrypted with `password`) into one batch under the same password. */
export function encryptBatch(keystores: KeystoreJson[], password: string): BatchJson {
  const sealed = sealJson(stringToU8a(JSON.stringify(keystores)), ['batch-pkcs8'], password);
  return { ...sealed, accounts: keystores.map(({ address, meta }) => ({ address, meta })) };
}

/** Checks the envelope (format, size, scrypt parameters) without decrypting anything. */
export function parseBatch(input: unknown): EncryptedJson {
  const json = jsonRecord(input, NOT_A_BATCH);
  if (!isBatchJson(json)) throw bad(NOT_A_BATCH);
  sealedBytes(json, MAX_BATCH_BYTES, NOT_A_BATCH);
  return json as unknown as EncryptedJson;
}

/**
 * polkadot-js wallets keep watch-only, hardware and injected accounts beside real ones; they hold
 * no key Dark Wallet could use, so a batch restore leaves them out (and says how many).
 */
const holdsNoKey = (k: Record<string, unknown>): boolean =>
  isRecord(k.meta) && (k.meta.isExternal === true || k.meta.isHardware === true || k.meta.isInjected === true);

export interface OpenedBatch {
  pairs: KeyringPair[];
  /** Accounts in the file without a key (watch-only, hardware). */
  withoutKey: number;
}

/**
 * Decrypts a (parsed) batch and every account in it. `WrongPassword` when the file's password is
 * wrong, or when an account opens with neither the file's password nor `accountsPassword`;
 * `InvalidInput` when the content is damaged. All or nothing: no partial result.
 */
export function openBatch(batch: EncryptedJson, password: string, accountsPassword?: string): OpenedBatch {
  let plain: Uint8Array;
  try {
    plain = jsonDecrypt(batch, password);
  } catch {
    throw new WalletError('WrongPassword', 'Wrong password for this backup file. Enter the password it was exported with.');
  }
  let inner: unknown;
  try {
    inner = JSON.parse(u8aToString(plain));
  } catch {
    throw bad(DAMAGED);
  }
  if (!Array.isArray(inner) || inner.length > MAX_BATCH_ACCOUNTS || !inner.every(isRecord)) throw bad(DAMAGED);
  const usable = inner.filter((k) => !holdsNoKey(k));
  const keystores = usable.map((k) => {
    try {
      return parseKeystore(k);
    } catch {
      throw bad(DAMAGED);
    }
  });
  const opened = keystores.map((k) => openWithEither(k, password, accountsPassword));
  const pairs = opened.filter((p): p is KeyringPair => p !== null);
  const locked = opened.length - pairs.length;
  if (locked) {
    throw new WalletError('WrongPassword', `The file opened, but ${locked === 1 ? '1 account in it uses' : `${locked} accounts in it use`} another password. Enter the accounts' password too.`);
  }
  return { pairs, withoutKey: inner.length - usable.length };
}

function openWithEither(k: KeystoreJson, password: string, accountsPassword?: string): KeyringPair | null {
  for (const p of accountsPassword ? [password, accountsPassword] : [password]) {
    try {
      return decryptKeystore(k, p);
    } catch {
      // try the next password
    }
  }
  return null;
}
