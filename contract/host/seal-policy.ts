/**
 * How often the worker seals. Sealing encodes the whole ledger (seconds at 100k accounts) and blocks
 * the event loop, so a fixed interval would let sealing crowd out ingesting; replay from an older
 * sealed state is deterministic (the light client re-verifies the same blocks), so sealing less often
 * loses nothing but replay time. The next seal waits for `minIntervalMs` and for
 * `INGEST_PER_SEAL` times the last seal's own duration, keeping sealing under ~10% of the time.
 */
export const INGEST_PER_SEAL = 9;

export const nextSealAfterMs = (minIntervalMs: number, lastSealMs: number): number => Math.max(minIntervalMs, INGEST_PER_SEAL * lastSealMs);
