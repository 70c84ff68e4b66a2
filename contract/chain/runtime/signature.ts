/**
 * Transaction signature verification — the one unavoidable cost per transaction. Kept free of any
 * chain state so it can run on another thread (node/verifierThread.ts) as well as inline.
 */
import { ed25519Verify, secp256k1Verify, sr25519Verify } from '@polkadot/util-crypto';

export interface SignatureCheck {
  /** The MultiSignature variant: `Sr25519`, `Ed25519` or `Ecdsa`. */
  kind: string;
  /** The signed payload (already blake2-256-hashed when it was over 256 bytes). */
  message: Uint8Array;
  signature: Uint8Array;
  /** The signer's AccountId32. */
  account: Uint8Array;
}

export function verifySignature({ kind, message, signature, account }: SignatureCheck): boolean {
  try {
    switch (kind) {
      case 'Sr25519': return sr25519Verify(message, signature, account);
      case 'Ed25519': return ed25519Verify(message, signature, account);
      // An ecdsa account id is the blake2-256 of the compressed public key the signature recovers.
      case 'Ecdsa': return secp256k1Verify(message, signature, account, 'blake2');
      default: return false;
    }
  } catch {
    return false;
  }
}

/** How the node verifies: inline, or on a worker thread so verification overlaps everything else. */
export interface Verifier {
  verify(check: SignatureCheck): Promise<boolean>;
  close(): Promise<void>;
}

export const inlineVerifier: Verifier = {
  verify: async (check) => verifySignature(check),
  close: async () => undefined,
};
