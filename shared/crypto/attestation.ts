/** Checks of attestation reports, shared by the pallet (on registration) and the client (before trusting a key). */
import type { AttestationReport } from '../protocol/attestation';
import { attestationMessage } from '../protocol/attestation';
import { verifyIdentitySignature, type IdentityKey } from './identity';

export function signDevAttestation(
  authority: IdentityKey, genesisHash: Uint8Array, body: Omit<AttestationReport, 'signature'>,
): AttestationReport {
  return { ...body, signature: authority.sign(attestationMessage(genesisHash, body)) };
}

/** True when the report's evidence is a valid dev-authority signature for this chain. */
export function verifyDevAttestation(report: AttestationReport, genesisHash: Uint8Array, authorityPub: Uint8Array): boolean {
  try {
    return report.provider === 'Dev' && verifyIdentitySignature(report.signature, attestationMessage(genesisHash, report), authorityPub);
  } catch {
    return false; // a malformed report (wrong field sizes) is simply not a valid attestation
  }
}
