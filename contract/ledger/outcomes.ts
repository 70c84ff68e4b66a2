/**
 * Outcome objects shared by every history entry and result that carries them: one object per
 * outcome instead of one per entry (histories are the bulk of the state). Frozen, so a caller
 * mutating a returned result cannot rewrite stored history.
 */
import type { LedgerErrorCode, Outcome } from '../../shared/protocol/ledger';
import { LedgerErrorCodes } from '../../shared/protocol/ledger';

export const OK: Outcome = Object.freeze({ ok: true, receiptSeq: null });

export const FAILED = Object.freeze(Object.fromEntries(
  LedgerErrorCodes.names.map((code) => [code, Object.freeze({ ok: false, error: code })]),
)) as Readonly<Record<LedgerErrorCode, Outcome>>;

/** The shared object equal to `o`, when there is one (a receipt seq makes an outcome unique). */
export const shared = (o: Outcome): Outcome => (o.ok ? (o.receiptSeq === null ? OK : o) : FAILED[o.error]);
