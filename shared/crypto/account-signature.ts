/**
 * Signatures by users' Substrate accounts (sr25519 / ed25519) over protocol messages (query permits).
 * They sign the account message itself, never `<Bytes>`-wrapped: an account message is built so that
 * no `signRaw` and no `signPayload` of any wallet can produce it (shared/protocol/domain.ts), and the
 * verifier accepts nothing else, so a signature a site obtained through either is never a permit.
 */
import type { KeyringPair } from '@polkadot/keyring/types';
import { ed25519Verify, sr25519Verify } from '@polkadot/util-crypto';
import { ProtocolError } from '../errors';
import { isAccountMessage } from '../protocol/domain';
import type { AccountSignature } from '../protocol/query';
import type { AccountId } from '../types';
import { accountIdToBytes } from '../types';

export function signAsAccount(pair: KeyringPair, message: Uint8Array): AccountSignature {
  if (pair.type !== 'sr25519' && pair.type !== 'ed25519') {
    throw new ProtocolError('BadSignature', 'Only sr25519 and ed25519 accounts can sign queries.');
  }
  if (!isAccountMessage(message)) throw new ProtocolError('BadSignature', 'Accounts sign only account-domain messages here.');
  return { scheme: pair.type === 'sr25519' ? 'Sr25519' : 'Ed25519', bytes: pair.sign(message) };
}

/** Needs `cryptoWaitReady()` (wasm) to have resolved once in this process. */
export function verifyAccountSignature(account: AccountId, signature: AccountSignature, message: Uint8Array): boolean {
  if (!isAccountMessage(message)) return false;
  const pub = accountIdToBytes(account);
  try {
    return signature.scheme === 'Sr25519' ? sr25519Verify(message, signature.bytes, pub) : ed25519Verify(message, signature.bytes, pub);
  } catch {
    return false;
  }
}
