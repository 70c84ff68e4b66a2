export { LightClient, type BlockInput, type LightClientConfig, type VerifiedBlock } from './light-client';
export { LightClientError, type LightClientErrorCode } from './errors';
export { decodeLightClientState, encodeLightClientState, type LightClientState, type PendingChange } from './state';
export type { CheckpointVerdict, LedgerInputs, PaidReceipt, VerifiedCommand, VerifiedDeposit } from './ledger-inputs';
export type { Authority, AuthoritySet } from './authority-set';
export { GRANDPA_AUTHORITIES_KEY, GRANDPA_SET_ID_KEY, SYSTEM_EVENTS_KEY, mapKey, plainKey } from './storage-keys';
