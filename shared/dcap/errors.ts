/**
 * Why a DCAP quote was refused. `reason` is what callers branch on (the pallet maps it to an error,
 * the extension to a sentence); `message` says which check failed, for people.
 */
import { DarkWalletError } from '../errors';

export type DcapFailure =
  | 'MalformedQuote' // the quote does not parse, or carries bytes outside its structure
  | 'UnsupportedQuote' // a quote version, TEE type, key type or certification data type not handled here
  | 'MalformedCollateral' // a certificate, CRL, TCB info or QE identity that does not parse
  | 'Expired' // a certificate, CRL, TCB info or QE identity is not valid at the verification time
  | 'UntrustedChain' // a certificate chain that does not end at the pinned Intel SGX Root CA
  | 'BadCrl' // a CRL not signed by its issuer, or not the CRL of the certificate checked against it
  | 'Revoked' // a certificate of the chain is on its issuer's CRL
  | 'BadCollateralSignature' // TCB info or QE identity not signed by Intel's TCB signing key
  | 'CollateralMismatch' // collateral for another platform (FMSPC, PCE id) or TEE type
  | 'BadQeReportSignature' // the QE report is not signed by the PCK certificate's key
  | 'QeIdentityMismatch' // the quoting enclave is not Intel's (MRSIGNER, product, attributes)
  | 'AttestationKeyNotBound' // the QE report does not vouch for the quote's attestation key
  | 'BadQuoteSignature' // the quote body is not signed by the attestation key
  | 'TcbLevelNotFound' // the platform's TCB is below every level Intel lists
  | 'TcbRevoked' // the platform's TCB level is revoked
  | 'DebugEnclave' // a debug enclave (SGX ATTRIBUTES.DEBUG) or TD (TDATTRIBUTES.DEBUG): its memory is readable by the host
  | 'SeptVeNotDisabled' // a TD started without SEPT_VE_DISABLE: the host can inject #VE on its pending pages
  | 'ReservedAttributeSet' // a TD started with reserved TDATTRIBUTES bits set
  | 'TdxModuleMismatch' // the TDX module is not one Intel's TCB info lists (version, MRSIGNERSEAM, SEAMATTRIBUTES)
  // About an attestation report around a verified quote:
  | 'ReportDataMismatch' // the quote's report data binds another chain, contract or keys
  | 'MeasurementMismatch' // the report names another measurement than the quote's
  | 'TcbStatusNotAccepted' // verified, but the TCB status is outside the on-chain policy
  | 'CollateralTooOld'; // verified, but the collateral was issued longer ago than the policy allows

export class DcapError extends DarkWalletError {
  declare readonly code: DcapFailure;
  constructor(readonly reason: DcapFailure, message: string) {
    super(reason, message);
  }
}

export const isDcapError = (e: unknown, reason?: DcapFailure): e is DcapError =>
  e instanceof DcapError && (reason === undefined || e.reason === reason);

/** Runs `parse`; any failure inside (range, length, JSON) becomes one typed error. */
export function parsing<T>(reason: 'MalformedQuote' | 'MalformedCollateral', what: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof DcapError) throw e;
    throw new DcapError(reason, `${what} does not parse.`);
  }
}
