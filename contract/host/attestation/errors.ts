import { DarkWalletError } from '../../../shared/errors';

export type AttestationErrorCode =
  | 'AttestationUnavailable' // no quote interface on this machine, or it misbehaved
  | 'CollateralUnavailable'; // the PCCS did not serve the collateral, and none is cached

export class AttestationError extends DarkWalletError {
  declare readonly code: AttestationErrorCode;
  constructor(code: AttestationErrorCode, message: string) {
    super(code, message);
  }
}
