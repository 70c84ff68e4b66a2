/**
 * Hardware attestation at `registerWorker` (DESIGN.md §10): the quote is verified with the shared
 * DCAP verifier at chain time (Timestamp's now), then judged by the policy root sets — accepted TCB
 * statuses and maximum collateral age — and must bind this chain, contract and keys. Kept apart
 * from phala.ts so the registration there only asks "verified?" and "accepted?".
 */
import {
  checkReportData, checkTcbPolicy, verifyHardwareQuote, type TcbPolicy,
} from '../../../../shared/crypto/attestation';
import { DcapError, type VerifiedQuote } from '../../../../shared/dcap';
import type { HardwareAttestationReport } from '../../../../shared/protocol/attestation';
import type { PhalaError } from '../../metadata/phala';
import type { PalletPhalaCall } from '../../../../shared/protocol/phala-augment';
import { ensureRoot, type CallTable } from '../dispatch';
import { phalaFail as fail } from './phala-errors';
import type { Storage } from '../storage';
import { nowOf } from './timestamp';

const S = 'phalaModule';

/** The DCAP reasons that are about the policy, not about whether the quote is genuine. */
const POLICY_ERRORS: Partial<Record<DcapError['reason'], PhalaError>> = {
  TcbStatusNotAccepted: 'TcbStatusNotAccepted',
  CollateralTooOld: 'CollateralTooOld',
  ReportDataMismatch: 'ReportDataMismatch',
};

export function readTcbPolicy(st: Storage): TcbPolicy {
  return {
    acceptedStatuses: st.get(S, 'acceptedTcbStatuses').map((s) => s.type),
    maxCollateralAgeMs: Number(st.get(S, 'maxCollateralAge').toBigInt()),
  };
}

/** Genuine Intel evidence at chain time, for the TEE and measurement the report names; else `QuoteInvalid`. */
export function verifyQuoteAtChainTime(st: Storage, report: HardwareAttestationReport): VerifiedQuote {
  try {
    return verifyHardwareQuote(report, Number(nowOf(st)));
  } catch (e) {
    if (e instanceof DcapError) throw fail('QuoteInvalid');
    throw e;
  }
}

/** Inside root's TCB policy at chain time, and bound to this chain, contract and keys. */
export function acceptHardwareQuote(st: Storage, genesisHash: Uint8Array, report: HardwareAttestationReport, verified: VerifiedQuote): void {
  try {
    checkTcbPolicy(verified, readTcbPolicy(st), Number(nowOf(st)));
    checkReportData(report, verified, genesisHash);
  } catch (e) {
    const mapped = e instanceof DcapError ? POLICY_ERRORS[e.reason] : undefined;
    if (mapped) throw fail(mapped);
    throw e;
  }
}

export const setTcbPolicy: CallTable<PalletPhalaCall, 'setTcbPolicy'>['setTcbPolicy'] = {
  weight: 50_000_000n,
  dispatch: ({ storage, origin, deposit }, { acceptedStatuses, maxCollateralAgeMs }) => {
    ensureRoot(origin);
    const statuses = acceptedStatuses.map((s) => s.type);
    storage.put(S, 'acceptedTcbStatuses', [], statuses);
    storage.put(S, 'maxCollateralAge', [], maxCollateralAgeMs);
    deposit('PhalaModule', 'TcbPolicySet', { acceptedStatuses: statuses, maxCollateralAgeMs });
  },
};
