/**
 * Errors the enclave raises to its host for misuse of the enclave API itself (bad configuration, a
 * halted enclave). Blocks the chain's commitments do not prove are the light client's typed
 * LightClientError; hostile envelopes, frames and sealed blobs fail with the shared ProtocolError,
 * so the host can map them to "400 Bad Request" without a second taxonomy.
 * Messages are fixed sentences: they never carry amounts, addresses, keys or plaintext.
 */
import { DarkWalletError } from '../../shared/errors';

export type EnclaveErrorCode =
  | 'BadConfig' // create/restore options are invalid (genesis hash length, first block…)
  | 'AttestationRefused' // a provider was asked to vouch for a body it cannot attest
  | 'Halted' // an internal failure interrupted a block: restore from the last sealed state
  | 'NoContractKeys' // a joining worker before its handover: it serves nothing yet
  | 'HandoverRefused'; // a key handover this enclave will not make or not accept (DESIGN.md §11)

export class EnclaveError extends DarkWalletError {
  declare readonly code: EnclaveErrorCode;
  constructor(code: EnclaveErrorCode, message: string) {
    super(code, message);
  }
}
