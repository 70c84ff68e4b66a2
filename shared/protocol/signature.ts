/**
 * An account's signature on the wire: scheme tag u8 | signature bytes (64, or 65 for a recoverable
 * ecdsa one). Used by query permits, view permits and relayed commands.
 */
import { variants } from './primitives';
import type { ScaleReader, ScaleWriter } from './scale';

/** The schemes of Substrate's MultiSignature (order is the wire tag: append only). */
export const SignatureSchemes = variants(['Ed25519', 'Sr25519', 'Ecdsa'] as const);
export type SignatureScheme = (typeof SignatureSchemes.names)[number];
export interface AccountSignature {
  scheme: SignatureScheme;
  bytes: Uint8Array;
}

/** sr25519 and ed25519 signatures are 64 bytes; a recoverable secp256k1 (ecdsa) one is 65. */
export const signatureBytes = (scheme: SignatureScheme): number => (scheme === 'Ecdsa' ? 65 : 64);

export const writeSignature = (w: ScaleWriter, s: AccountSignature) => w.u8(SignatureSchemes.tagOf(s.scheme)).fixed(s.bytes, signatureBytes(s.scheme));
export function readSignature(r: ScaleReader): AccountSignature {
  const scheme = SignatureSchemes.read(r);
  return { scheme, bytes: r.fixed(signatureBytes(scheme)) };
}
