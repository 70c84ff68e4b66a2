/**
 * How often the worker seals. Sealing encodes the whole ledger (seconds at 100k accounts) and blocks
 * the event loop, so a fixed interval would let sealing crowd out ingesting; replay from an older
 * sealed state is deterministic (the light client re-verifies the same blocks), so sealing less often
 * loses nothing but replay time. The next seal waits for `minIntervalMs` and for `INGEST_PER_SEAL`
 * times the last seal's own duration, keeping sealing under ~10% of the time. A joined worker still
 * catching up answers no queries, so a seal buys it only a shorter replay after a crash: it seals
 * under ~3% of the time (`CATCH_UP_INGEST_PER_SEAL`), replaying faster.
 */
export const INGEST_PER_SEAL = 9;
export const CATCH_UP_INGEST_PER_SEAL = 30;

export const nextSealAfterMs = (minIntervalMs: number, lastSealMs: number, catchingUp = false): number =>
  Math.max(minIntervalMs, (catchingUp ? CATCH_UP_INGEST_PER_SEAL : INGEST_PER_SEAL) * lastSealMs);
