/**
 * Why the light client refused what the host handed over. Every refusal is one of these, raised before
 * the client's state is replaced, so a refused block changes nothing. Messages are fixed sentences
 * about the chain's public data; they never carry command payloads or secret amounts.
 */
import { DarkWalletError } from '../../../shared/errors';

export type LightClientErrorCode =
  | 'BadConfig' // the genesis header, its proofs or the pinned metadata do not match the configuration
  | 'BadHeader' // a header that is not a SCALE Substrate header, or numbered out of sequence
  | 'BrokenParentLink' // a header whose parent is not the last accepted (or previous handed-over) header
  | 'BadJustification' // malformed, wrong target, under-weight, bad signature, duplicate voter, bad ancestry
  | 'UnknownAuthoritySet' // a justification by a voter outside the current authority set
  | 'NotFinalized' // a run of blocks whose last block carries no justification
  | 'UnsupportedAuthorityChange' // a forced change, or a second change while one is pending
  | 'RuntimeUpgraded' // the runtime changed: the pinned metadata no longer describes its events
  | 'ExtrinsicsRootMismatch' // the body does not hash to the header's extrinsicsRoot
  | 'BadExtrinsic' // an extrinsic the pinned metadata cannot decode exactly
  | 'BadProof' // a read proof that does not prove its keys against the header's stateRoot
  | 'BadEvents'; // System.Events that the pinned metadata cannot decode exactly

export class LightClientError extends DarkWalletError {
  declare readonly code: LightClientErrorCode;
  constructor(code: LightClientErrorCode, message: string) {
    super(code, message);
  }
}

export const refuse = (code: LightClientErrorCode, message: string): LightClientError => new LightClientError(code, message);
