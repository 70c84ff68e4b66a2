/** Checks of attestation reports, shared by the pallet (on registration) and the client (before trusting a key). */
import { DcapError, verifyQuote, type TcbStatus, type VerifiedQuote, type VerifyOptions } from '../dcap';
import type { AttestationReport, DevAttestationReport, HardwareAttestationReport } from '../protocol/attestation';
import { attestationMessage, workerReportData } from '../protocol/attestation';
import { fromHex } from '../types';
import { verifyIdentitySignature, type IdentityKey } from './identity';

export function signDevAttestation(
  authority: IdentityKey, genesisHash: Uint8Array, body: Omit<DevAttestationReport, 'signature'>,
): DevAttestationReport {
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

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * A hardware report's quote verifies at `nowMs`, is from the TEE its kind names and measures the
 * code the report names. Policy (`checkTcbPolicy`), the allow-list and the key binding
 * (`checkReportData`) are separate steps so the pallet can say which one failed.
 */
export function verifyHardwareQuote(report: HardwareAttestationReport, nowMs: number, opts?: VerifyOptions): VerifiedQuote {
  const verified = verifyQuote(report.quote, report.collateral, nowMs, opts);
  if (verified.tee !== (report.provider === 'SgxDcap' ? 'sgx' : 'tdx')) {
    throw new DcapError('CollateralMismatch', `The report says ${report.provider} but its quote is from ${verified.tee.toUpperCase()}.`);
  }
  if (!same(verified.measurement, fromHex(report.measurement))) {
    throw new DcapError('MeasurementMismatch', 'The report names another measurement than its quote.');
  }
  return verified;
}

/** The quote's report data binds this chain, the report's contract and the report's keys. */
export function checkReportData(report: HardwareAttestationReport, verified: VerifiedQuote, genesisHash: Uint8Array): void {
  if (!same(verified.reportData, workerReportData(genesisHash, report.contractId, report.identityPub, report.ecdhPub, report.handoverPub))) {
    throw new DcapError('ReportDataMismatch', "The quote's report data is not about this chain, contract and keys.");
  }
}

/** What governance accepts of a verified quote (stored on chain, set by root). */
export interface TcbPolicy {
  acceptedStatuses: readonly TcbStatus[];
  /** Oldest collateral accepted, by its issue date, in milliseconds before now. */
  maxCollateralAgeMs: number;
}

/** Up to date, or behind only by software hardening the enclave itself can apply; collateral of the last 30 days. */
export const DEFAULT_TCB_POLICY: TcbPolicy = {
  acceptedStatuses: ['UpToDate', 'SWHardeningNeeded'],
  maxCollateralAgeMs: 30 * 24 * 3_600_000,
};

export function checkTcbPolicy(verified: VerifiedQuote, policy: TcbPolicy, nowMs: number): void {
  if (!policy.acceptedStatuses.includes(verified.status)) {
    throw new DcapError('TcbStatusNotAccepted', `The platform's TCB status ${verified.status} is outside the accepted policy.`);
  }
  if (nowMs - verified.collateralIssuedAt > policy.maxCollateralAgeMs) {
    throw new DcapError('CollateralTooOld', 'The collateral is older than the policy accepts.');
  }
}

/** Everything but the measurement allow-list, in the pallet's order: quote, policy, key binding. */
export function verifyHardwareAttestation(
  report: HardwareAttestationReport, genesisHash: Uint8Array, nowMs: number, policy: TcbPolicy, opts?: VerifyOptions,
): VerifiedQuote {
  const verified = verifyHardwareQuote(report, nowMs, opts);
  checkTcbPolicy(verified, policy, nowMs);
  checkReportData(report, verified, genesisHash);
  return verified;
}
