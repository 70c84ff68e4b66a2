/**
 * The two ways a transaction goes wrong, as in Substrate: refused before inclusion (the pool says
 * why, nothing lands on chain, no fee) or included but failed while dispatching (fee paid,
 * `System.ExtrinsicFailed` carries a `DispatchError`).
 */

/** JSON-RPC error codes of Substrate's author API. */
export const RPC_BAD_FORMAT = 1001;
export const RPC_INVALID_TX = 1010;
export const RPC_ALREADY_IMPORTED = 1013;
export const RPC_PRIORITY_TOO_LOW = 1014;

/** Reasons worded like Substrate's `InvalidTransaction` so wallets and scripts recognise them. */
export const Invalid = {
  badSignature: 'Transaction has a bad signature',
  stale: 'Transaction is outdated (stale nonce)',
  expired: 'Transaction is outdated (its mortal era has ended)',
  future: 'Transaction will be valid in the future (future nonce)',
  payment: 'Inability to pay some fees (e.g. account balance too low)',
  ancientBirthBlock: 'Transaction has an ancient birth block',
  cannotLookup: 'Could not lookup information required to validate the transaction',
  call: 'Transaction call is not expected',
  zeroSender: 'Transaction has a zero sender',
} as const;

export class TxRejected extends Error {
  constructor(
    readonly rpcCode: number,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'TxRejected';
  }
}

export const invalidTx = (reason: string) => new TxRejected(RPC_INVALID_TX, reason);

/** A `sp_runtime::DispatchError` value, in the shape @polkadot/types accepts for that enum. */
export type DispatchErrorValue =
  | 'BadOrigin'
  | 'CannotLookup'
  | { Module: { index: number; error: Uint8Array } }
  | { Token: 'FundsUnavailable' | 'NotExpendable' | 'BelowMinimum' }
  | { Arithmetic: 'Overflow' | 'Underflow' };

/** A pallet's own error, named as in its metadata; resolved to `DispatchError::Module` by the codec. */
export interface PalletErrorRef {
  pallet: string;
  name: string;
}

/**
 * Thrown by pallet code. From `dispatch` it fails the extrinsic (ExtrinsicFailed); from `validate`
 * it keeps the transaction out of the pool and the block (1010 with the error's name and docs).
 */
export class DispatchFailure extends Error {
  constructor(readonly error: DispatchErrorValue | PalletErrorRef) {
    super('Dispatch failed');
    this.name = 'DispatchFailure';
  }
}

export const palletError = (pallet: string, name: string) => new DispatchFailure({ pallet, name });
