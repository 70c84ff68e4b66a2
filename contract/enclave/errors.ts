/**
 * Errors the enclave raises to its host for misuse of the enclave API itself (wrong block order, a
 * malformed block, bad configuration). Hostile input — envelopes, frames, sealed blobs — fails with the
 * shared ProtocolError instead, so the host can map it to "400 Bad Request" without a second taxonomy.
 * Messages are fixed sentences: they never carry amounts, addresses, keys or plaintext.
 */
import { DarkWalletError } from '../../shared/errors';

export type EnclaveErrorCode =
  | 'BlockGap' // a block arrived after a block the enclave has not seen: the host must feed every block
  | 'BadBlock' // the host handed in a block or item of the wrong shape; nothing of it was applied
  | 'BadConfig' // create/restore options are invalid (genesis hash length, first block…)
  | 'AttestationRefused' // a provider was asked to vouch for a body it cannot attest
  | 'Halted'; // an internal failure interrupted a block: restore from the last sealed state

export class EnclaveError extends DarkWalletError {
  declare readonly code: EnclaveErrorCode;
  constructor(code: EnclaveErrorCode, message: string) {
    super(code, message);
  }
}
