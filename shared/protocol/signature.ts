/** An account's signature on the wire: scheme tag u8 | 64 bytes. Used by query permits and view permits. */
import { variants } from './primitives';
import type { ScaleReader, ScaleWriter } from './scale';

export const SignatureSchemes = variants(['Ed25519', 'Sr25519'] as const);
export type SignatureScheme = (typeof SignatureSchemes.names)[number];
export interface AccountSignature {
  scheme: SignatureScheme;
  bytes: Uint8Array;
}

export const writeSignature = (w: ScaleWriter, s: AccountSignature) => w.u8(SignatureSchemes.tagOf(s.scheme)).fixed(s.bytes, 64);
export const readSignature = (r: ScaleReader): AccountSignature => ({ scheme: SignatureSchemes.read(r), bytes: r.fixed(64) });
