import { DarkWalletError } from '../errors';

export type ClientErrorCode =
  | 'UntrustedWorker' // the contract key is not registered, or its attestation does not verify
  | 'WorkerUnavailable' // the worker did not answer (network, HTTP error)
  | 'WorkerRejected' // the worker answered a typed query error
  | 'ChainRejected' // the chain refused or failed the extrinsic
  | 'Timeout' // the chain or the worker did not get there in time
  | 'NotFound' // the worker processed the operation's block but holds no entry for it
  | 'CommandFailed' // the ledger applied the command as a failure (reason in `reason`)
  | 'BelowMinimum' // a withdrawal the chain could never pay (below the existential deposit)
  | 'InsufficientFunds' // the public balance cannot pay the amount, the fee and the existential deposit
  | 'InsufficientBalance' // the secret balance is below the amount (the ledger would refuse it)
  | 'UnknownAsset' // no secret asset has that id or symbol
  | 'InvalidSymbol' // a token symbol the ledger refuses (see isIssuableSymbol)
  | 'MissingChainProperty' // the chain does not declare its token or address format
  | 'RelayUnavailable' // the relayer did not answer, or refused the envelope (its code in `reason`)
  | 'UntrustedRelayer'; // the relayer's quote is for another contract, or malformed

export class ClientError extends DarkWalletError {
  declare readonly code: ClientErrorCode;
  constructor(code: ClientErrorCode, message: string, readonly reason?: string) {
    super(code, message);
  }
}
