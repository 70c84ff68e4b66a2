/** What the worker host uses. Everything else in this folder is the enclave's inside. */
export { Enclave } from './enclave';
export type { BlockResult, CreateConfig, EnclaveConfig, EnclaveHealth, SignedReceipt } from './enclave';
export type { BlockItem } from './block';
export { EnclaveSecret } from './secret';
export { DevAttestationProvider } from './attestation';
export type { AttestationProvider } from './attestation';
export { EnclaveError } from './errors';
export type { EnclaveErrorCode } from './errors';
