/** Why the worker host could not start or could not read the chain. Messages never carry secrets. */
import { DarkWalletError } from '../../shared/errors';

export type WorkerErrorCode =
  | 'ChainTimeout' // the chain did not answer in time (transient: retried)
  | 'BlockMissing' // the chain answered without the block asked for (transient: retried)
  | 'UnknownContract' // the configured contract does not exist on this chain
  | 'ForeignContractKey' // the contract is registered to another enclave's key
  | 'ContractHasKeys' // a new worker without --join on a contract whose keys exist: it must receive them
  | 'NoKeyholder' // --join on a contract with no keys yet: nobody could hand them over
  | 'CatchingUp' // a joined worker still replaying the contract: it answers no query yet
  | 'BadPublicUrl'; // the worker's public URL is not an endpoint the chain accepts

export class WorkerError extends DarkWalletError {
  declare readonly code: WorkerErrorCode;
  constructor(code: WorkerErrorCode, message: string) {
    super(code, message);
  }
}
