/** DCAP remote attestation: Intel SGX and TDX quote verification, pure JS (Node and MV3 service worker). */
export { collateralFromJson, isTcbStatus, TCB_STATUSES, type DcapCollateral, type TcbStatus } from './collateral';
export { DcapError, isDcapError, type DcapFailure } from './errors';
export { INTEL_SGX_ROOT_CA_DER } from './intel-root';
export type { EnclaveReport, Quote, QuoteBody, TdReport } from './quote';
export { pckIdentity, quoteMeasurement, readQuote, verifyQuote, type VerifiedQuote, type VerifyOptions, type VerifyOutcome } from './verify';
