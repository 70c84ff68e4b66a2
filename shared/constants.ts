/** Sizes and ids fixed by the wire format (DESIGN.md §3). */
export const ENVELOPE_VERSION = 1;
/**
 * version 1 | ephemeralPub 32 | nonce 24 | ciphertext 256 | tag 16: one size for direct, relayed and
 * dummy envelopes (the 256-byte bucket holds the largest relayed command, shared/protocol/relay.ts).
 */
export const COMMAND_ENVELOPE_SIZE = 329;
/** Most envelopes one `pushCommands` batch carries (a relayer's batches all hold its own fixed count ≤ this). */
export const MAX_COMMAND_BATCH = 64;
/** The contract the default worker serves. */
export const DEFAULT_CONTRACT_ID = 1;
/** A signed one-shot query is refused when older than this. */
export const QUERY_MAX_AGE_MS = 60_000;
/** Query sessions live at most this long. */
export const SESSION_MAX_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * Withdrawal receipts leave the enclave only at blocks whose number is a multiple of this (the
 * worker's `--receipt-cadence`): every receipt of the blocks since the last boundary, together, so
 * the payout's block does not point at the withdrawal's block (SECURITY.md, "Receipt cadence").
 */
export const RECEIPT_CADENCE_BLOCKS = 10;
/**
 * Each worker signs a checkpoint of its ledger (phalaModule.submitCheckpoint, DESIGN.md §11) at
 * blocks whose number is a multiple of this (the worker's `--checkpoint-interval`); the same as the
 * receipt cadence, so a divergence shows within about one payout round.
 */
export const CHECKPOINT_INTERVAL_BLOCKS = 10;
/** Most receipts one `phalaModule.transferToChainBatch` pays; the worker splits a larger batch. */
export const MAX_RECEIPT_BATCH = 64;
