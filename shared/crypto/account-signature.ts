/**
 * Signatures by users' Substrate accounts (sr25519 / ed25519 / ecdsa) over protocol messages (query
 * permits, relayed commands). An ecdsa account is blake2-256 of its compressed secp256k1 key and signs
 * blake2-256 of the message, recoverably, as Substrate's MultiSignature::Ecdsa does.
 * They sign the account message itself, never `<Bytes>`-wrapped: an account message is built so that
 * no `signRaw` and no `signPayload` of any wallet can produce it (shared/protocol/domain.ts), and the
 * verifier accepts nothing else, so a signature a site obtained through either is never a permit.
 */
import type { KeyringPair } from '@polkadot/keyring/types';
import { ed25519Verify, secp256k1Verify, sr25519Verify } from '@polkadot/util-crypto';
import { ProtocolError } from '../errors';
import { isAccountMessage } from '../protocol/domain';
import { signatureBytes, type AccountSignature, type SignatureScheme } from '../protocol/signature';
import type { AccountId } from '../types';
import { accountIdToBytes } from '../types';

const SCHEMES: Record<string, SignatureScheme> = { sr25519: 'Sr25519', ed25519: 'Ed25519', ecdsa: 'Ecdsa' };

export function signAsAccount(pair: KeyringPair, message: Uint8Array): AccountSignature {
  const scheme = SCHEMES[pair.type];
  if (scheme === undefined) throw new ProtocolError('BadSignature', 'Only sr25519, ed25519 and ecdsa accounts can sign here.');
  if (!isAccountMessage(message)) throw new ProtocolError('BadSignature', 'Accounts sign only account-domain messages here.');
  return { scheme, bytes: pair.sign(message) };
}

/** Needs `cryptoWaitReady()` (wasm) to have resolved once in this process. */
export function verifyAccountSignature(account: AccountId, signature: AccountSignature, message: Uint8Array): boolean {
  if (!isAccountMessage(message) || signature.bytes.length !== signatureBytes(signature.scheme)) return false;
  const pub = accountIdToBytes(account);
  try {
    switch (signature.scheme) {
      case 'Sr25519': return sr25519Verify(message, signature.bytes, pub);
      case 'Ed25519': return ed25519Verify(message, signature.bytes, pub);
      // Recovers the key from blake2-256(message) and compares blake2-256(compressed key) with the account.
      case 'Ecdsa': return secp256k1Verify(message, signature.bytes, pub, 'blake2');
    }
  } catch {
    return false;
  }
}
