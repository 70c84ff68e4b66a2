/**
 * Errors for misuse of the ledger by its caller (the enclave). These are programming errors, not user
 * failures: a user's bad command never throws, it becomes a failed Outcome in that user's history.
 */
import { DarkWalletError } from '../../shared/errors';

export type LedgerUsageErrorCode =
  | 'BlockOrder' // an item or endBlock for a block already applied, or for another block than the open one
  | 'BlockOpen' // encode() while a block is half applied: sealing it would make the host replay applied items
  | 'BadArgument'; // an input that is not a valid AccountId / u32 / u128 / hash / metadata

export class LedgerUsageError extends DarkWalletError {
  declare readonly code: LedgerUsageErrorCode;
  constructor(code: LedgerUsageErrorCode, message: string) {
    super(code, message);
  }
}
