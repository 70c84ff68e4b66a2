/** Public surface of the confidential asset ledger (used by contract/enclave). */
export { Ledger } from './ledger';
export type { LedgerOptions } from './ledger';
export type { ApplyResult, ItemContext, RelayedItem } from './apply';
export { LedgerUsageError } from './errors';
export type { LedgerUsageErrorCode } from './errors';
export { STATE_VERSION, STATE_VERSION_PERMITS, STATE_VERSION_RELAY } from './codec';
