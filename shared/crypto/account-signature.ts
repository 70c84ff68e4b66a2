/**
 * Signatures by users' Substrate accounts (sr25519 / ed25519) over protocol messages. Messages are
 * wrapped as `<Bytes>…</Bytes>` before signing — exactly what a standard `signRaw` does — so any
 * Polkadot signer can produce them and none of them can ever be a valid transaction.
 */
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aWrapBytes } from '@polkadot/util';
import { ed25519Verify, sr25519Verify } from '@polkadot/util-crypto';
import { ProtocolError } from '../errors';
import type { AccountSignature } from '../protocol/query';
import type { AccountId } from '../types';
import { accountIdToBytes } from '../types';

export function signAsAccount(pair: KeyringPair, message: Uint8Array): AccountSignature {
  if (pair.type !== 'sr25519' && pair.type !== 'ed25519') {
    throw new ProtocolError('BadSignature', 'Only sr25519 and ed25519 accounts can sign queries.');
  }
  return { scheme: pair.type === 'sr25519' ? 'Sr25519' : 'Ed25519', bytes: pair.sign(u8aWrapBytes(message)) };
}

/** Needs `cryptoWaitReady()` (wasm) to have resolved once in this process. */
export function verifyAccountSignature(account: AccountId, signature: AccountSignature, message: Uint8Array): boolean {
  const pub = accountIdToBytes(account);
  const wrapped = u8aWrapBytes(message);
  try {
    return signature.scheme === 'Sr25519' ? sr25519Verify(wrapped, signature.bytes, pub) : ed25519Verify(wrapped, signature.bytes, pub);
  } catch {
    return false;
  }
}
