/**
 * View permits from the client's side: the owner signs one (no chain, no worker involved), the
 * auditor reads with it through the auditor's own query session, and the owner revokes it with a
 * secret command (DarkClient.revokePermit). The enclave decides every read; nothing here is trusted.
 */
import type { KeyringPair } from '@polkadot/keyring/types';
import { randomBytes } from '@noble/hashes/utils.js';
import { signAsAccount } from '../crypto/account-signature';
import type { HistoryEntry } from '../protocol/ledger';
import { MAX_HISTORY_PAGE, type QueryErrorCode, type QueryResponse, type QueryTarget } from '../protocol/query';
import { PERMIT_ID_BYTES, permitId, permitMessage, type PermitFields, type SignedPermit, type ViewPermit } from '../protocol/permit';
import { hash32, type AccountId, type Amount, type AssetId } from '../types';
import { accountOf } from './account';
import { ClientError } from './errors';
import type { AccountQueries } from './query-channel';

export interface PermitGrant {
  name: string;
  auditor: AccountId;
  assets: AssetId[];
  fields: PermitFields;
  expiresAtBlock: number;
}

/** Signs a new permit (a fresh random id) for this chain and contract. The assets may come in any order. */
export function signPermit(owner: KeyringPair, target: QueryTarget, grant: PermitGrant): SignedPermit {
  const permit: ViewPermit = {
    id: permitId(randomBytes(PERMIT_ID_BYTES)),
    name: grant.name,
    genesisHash: hash32(target.genesisHash),
    contractId: target.contractId,
    owner: accountOf(owner),
    auditor: grant.auditor,
    assets: [...new Set(grant.assets)].sort((a, b) => a - b),
    fields: grant.fields,
    expiresAtBlock: grant.expiresAtBlock,
  };
  return { permit, signature: signAsAccount(owner, permitMessage(permit)) };
}

const AUDIT_REFUSAL: Partial<Record<QueryErrorCode, string>> = {
  WrongContract: 'This permit is for another chain or contract than this worker serves.',
  NotAuditor: 'This permit names another auditor: only the account it names can read with it.',
  BadSignature: "This permit's signature does not match its contents: it was changed after the owner signed it.",
  PermitRevoked: 'The owner revoked this permit.',
  PermitExpired: 'This permit has expired.',
  NotGranted: 'This permit does not grant that: ask the owner for a permit that does.',
  Malformed: 'The worker could not read this permit.',
};

/** Thrown by `auditWith` when the worker refuses: `reason` holds the QueryErrorCode. */
export function auditRefusal(code: QueryErrorCode): ClientError {
  return new ClientError('WorkerRejected', AUDIT_REFUSAL[code] ?? `The worker refused the query (${code}).`, code);
}

function expect<K extends 'Balances' | 'History'>(r: QueryResponse, kind: K): Extract<QueryResponse, { kind: K }> {
  if (r.kind === kind) return r as Extract<QueryResponse, { kind: K }>;
  if (r.kind === 'Error') throw auditRefusal(r.code);
  throw new ClientError('WorkerRejected', 'The worker answered a different query.');
}

export interface AuditView {
  /** The granted assets' balances (zero included), or null when the permit grants no balances. */
  balances: { asset: AssetId; amount: Amount }[] | null;
  /** The owner's history entries about the granted assets, oldest first, or null when not granted. */
  history: HistoryEntry[] | null;
}

/** Reads everything the permit grants through `channel`, the auditor's own query session. */
export async function auditWith(channel: Pick<AccountQueries, 'query'>, permit: SignedPermit): Promise<AuditView> {
  const { fields } = permit.permit;
  const balances = fields.balances ? expect(await channel.query({ kind: 'AuditBalances', permit }), 'Balances').balances : null;
  let history: HistoryEntry[] | null = null;
  if (fields.history) {
    history = [];
    for (;;) {
      const page = expect(await channel.query({ kind: 'AuditHistory', permit, from: history.length, limit: MAX_HISTORY_PAGE }), 'History');
      history.push(...page.entries);
      if (page.entries.length === 0 || history.length >= page.total) break;
    }
  }
  return { balances, history };
}
