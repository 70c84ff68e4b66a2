/**
 * Reads with a view permit (shared/protocol/permit.ts): the querying account must be the permit's
 * auditor, the permit must be signed by its owner for this chain and contract, neither revoked nor
 * expired in the ledger's applied blocks, and it grants only its assets and fields. Cheap checks come
 * before the signature (~3 ms); every refusal is a typed QueryErrorCode, never an exception.
 */
import { verifyAccountSignature } from '../../shared/crypto/account-signature';
import type { HistoryEntry } from '../../shared/protocol/ledger';
import { permitMessage, type SignedPermit, type ViewPermit } from '../../shared/protocol/permit';
import { MAX_HISTORY_PAGE, type Query, type QueryErrorCode, type QueryResponse, type QueryTarget } from '../../shared/protocol/query';
import { toHex, type AccountId, type Amount, type AssetId } from '../../shared/types';
import type { Ledger } from '../ledger';

export type AuditLedger = Pick<Ledger, 'balances' | 'historyWhere' | 'assetInfo' | 'isPermitRevoked' | 'lastBlock'>;
export type AuditQuery = Extract<Query, { kind: 'AuditBalances' | 'AuditHistory' }>;

const refuse = (code: QueryErrorCode): QueryResponse => ({ kind: 'Error', code });

/** Why `signed` does not let `auditor` read `field` now, or null when it does. */
export function permitRefusal(
  ledger: AuditLedger, target: QueryTarget, auditor: AccountId, signed: SignedPermit, field: 'balances' | 'history',
): QueryErrorCode | null {
  const p = signed.permit;
  if (p.genesisHash !== toHex(target.genesisHash) || p.contractId !== target.contractId) return 'WrongContract';
  if (p.auditor !== auditor) return 'NotAuditor';
  if (!verifyAccountSignature(p.owner, signed.signature, permitMessage(p))) return 'BadSignature';
  if (ledger.isPermitRevoked(p.owner, p.id)) return 'PermitRevoked';
  if (ledger.lastBlock >= p.expiresAtBlock) return 'PermitExpired';
  return p.fields[field] ? null : 'NotGranted';
}

/**
 * An entry is about a granted asset when it moved or created that asset. Entries that name asset 0
 * without being about it (an unreadable command, a revocation, a refused Issue) stay the owner's.
 */
function aboutGrantedAsset(p: ViewPermit): (e: HistoryEntry) => boolean {
  const granted = new Set<number>(p.assets);
  return (e) => granted.has(e.asset) && e.kind !== 'Invalid' && e.kind !== 'RevokePermit' && !(e.kind === 'Issue' && !e.outcome.ok);
}

export function audit(ledger: AuditLedger, target: QueryTarget, auditor: AccountId, q: AuditQuery): QueryResponse {
  const refusal = permitRefusal(ledger, target, auditor, q.permit, q.kind === 'AuditBalances' ? 'balances' : 'history');
  if (refusal !== null) return refuse(refusal);
  const p = q.permit.permit;
  if (q.kind === 'AuditHistory') {
    const { total, entries } = ledger.historyWhere(p.owner, aboutGrantedAsset(p), q.from, Math.min(q.limit, MAX_HISTORY_PAGE));
    return { kind: 'History', total, entries };
  }
  // Every granted asset that exists, a zero included: the auditor learns exactly these and no others.
  const held = new Map<number, Amount>(ledger.balances(p.owner).map((b) => [b.asset, b.amount]));
  const balances = p.assets
    .filter((a) => ledger.assetInfo(a) !== null)
    .map((asset: AssetId) => ({ asset, amount: held.get(asset) ?? (0n as Amount) }));
  return { kind: 'Balances', balances };
}
