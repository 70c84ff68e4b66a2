/**
 * Queries to the worker (never the chain). Three request forms travel inside a query envelope:
 * `Public` (asset metadata only), `Signed` (one-shot, signature + freshness) and `OpenSession`
 * (one signature opens a session; later queries ride in session frames, see crypto/session.ts).
 * Only the signer's own private data is ever answered, or, with an owner's view permit naming the
 * signer as its auditor, the owner's granted balances and history (permit.ts).
 */
import type { AccountId, Amount, AssetId, ContractId } from '../types';
import type { AssetInfo, HistoryEntry, WithdrawReceipt } from './ledger';
import { readAssetInfo, readHistoryEntry, readReceipt, writeAssetInfo, writeHistoryEntry, writeReceipt } from './ledger';
import { readAccount, readAmount, readAsset, variants, writeAccount, writeAmount, writeAsset } from './primitives';
import { ScaleReader, ScaleWriter, decodeExact, encodeWith } from './scale';
import { accountMessage } from './domain';
import { readSignature, writeSignature, type AccountSignature } from './signature';
import { readSignedPermit, writeSignedPermit, type SignedPermit } from './permit';

export const MAX_HISTORY_PAGE = 100;
const MAX_LIST = 65_536;
export const SESSION_ID_BYTES = 16;
export const SESSION_SALT_BYTES = 32;

export type Query =
  | { kind: 'Balances' }
  | { kind: 'History'; from: number; limit: number }
  | { kind: 'Receipt'; seq: bigint }
  | { kind: 'AssetInfo'; asset: AssetId }
  | { kind: 'Assets' }
  /** An auditor reads an owner's granted balances / history with the owner's view permit (permit.ts). */
  | { kind: 'AuditBalances'; permit: SignedPermit }
  | { kind: 'AuditHistory'; permit: SignedPermit; from: number; limit: number }
  /** The nonce the account's next relayed command must carry (DESIGN.md §12). */
  | { kind: 'RelayNonce' };

/** Order is the wire tag: append only. */
export const QueryKinds = variants(['Balances', 'History', 'Receipt', 'AssetInfo', 'Assets', 'AuditBalances', 'AuditHistory', 'RelayNonce'] as const);
/** Queries about public metadata: they need no account. */
export const isPublicQuery = (q: Query): boolean => q.kind === 'AssetInfo' || q.kind === 'Assets';

export function writeQuery(w: ScaleWriter, q: Query): void {
  w.u8(QueryKinds.tagOf(q.kind));
  switch (q.kind) {
    case 'History':
      w.u32(q.from).u16(q.limit);
      return;
    case 'Receipt':
      w.u64(q.seq);
      return;
    case 'AssetInfo':
      writeAsset(w, q.asset);
      return;
    case 'Balances':
    case 'Assets':
    case 'RelayNonce':
      return;
    case 'AuditBalances':
      writeSignedPermit(w, q.permit);
      return;
    case 'AuditHistory':
      writeSignedPermit(w, q.permit);
      w.u32(q.from).u16(q.limit);
      return;
  }
}

export function readQuery(r: ScaleReader): Query {
  const kind = QueryKinds.read(r);
  switch (kind) {
    case 'History':
      return { kind, from: r.u32(), limit: r.u16() };
    case 'Receipt':
      return { kind, seq: r.u64() };
    case 'AssetInfo':
      return { kind, asset: readAsset(r) };
    case 'Balances':
    case 'Assets':
    case 'RelayNonce':
      return { kind };
    case 'AuditBalances':
      return { kind, permit: readSignedPermit(r) };
    case 'AuditHistory':
      return { kind, permit: readSignedPermit(r), from: r.u32(), limit: r.u16() };
  }
}

export { SignatureSchemes, signatureBytes, type AccountSignature, type SignatureScheme } from './signature';

export type QueryRequest =
  | { kind: 'Public'; query: Query }
  | { kind: 'Signed'; account: AccountId; issuedAt: bigint; query: Query; signature: AccountSignature }
  | { kind: 'OpenSession'; account: AccountId; sessionPub: Uint8Array; expiresAt: bigint; signature: AccountSignature };

export const QueryRequestKinds = variants(['Public', 'Signed', 'OpenSession'] as const);

export function writeQueryRequest(w: ScaleWriter, q: QueryRequest): void {
  w.u8(QueryRequestKinds.tagOf(q.kind));
  switch (q.kind) {
    case 'Public':
      writeQuery(w, q.query);
      return;
    case 'Signed':
      writeAccount(w, q.account);
      w.u64(q.issuedAt);
      writeQuery(w, q.query);
      writeSignature(w, q.signature);
      return;
    case 'OpenSession':
      writeAccount(w, q.account);
      w.fixed(q.sessionPub, 32).u64(q.expiresAt);
      writeSignature(w, q.signature);
      return;
  }
}

export function readQueryRequest(r: ScaleReader): QueryRequest {
  const kind = QueryRequestKinds.read(r);
  switch (kind) {
    case 'Public':
      return { kind, query: readQuery(r) };
    case 'Signed':
      return { kind, account: readAccount(r), issuedAt: r.u64(), query: readQuery(r), signature: readSignature(r) };
    case 'OpenSession':
      return { kind, account: readAccount(r), sessionPub: r.fixed(32), expiresAt: r.u64(), signature: readSignature(r) };
  }
}

export const QueryErrorCodes = variants([
  'Malformed',
  'BadSignature',
  'Expired',
  'NotAuthorized',
  'Replay',
  'UnknownSession',
  'TooManySessions',
  // View permits (append only): why an auditor's read was refused.
  'WrongContract', // the permit names another chain or contract
  'NotAuditor', // the querying account is not the permit's auditor
  'PermitRevoked', // the owner's RevokePermit was applied
  'PermitExpired', // the ledger applied the permit's expiry block
  'NotGranted', // the permit does not grant this field (balances or history)
] as const);
export type QueryErrorCode = (typeof QueryErrorCodes.names)[number];

export type QueryResponse =
  | { kind: 'Balances'; balances: { asset: AssetId; amount: Amount }[] }
  | { kind: 'History'; total: number; entries: HistoryEntry[] }
  | { kind: 'Receipt'; receipt: WithdrawReceipt | null; signature: Uint8Array | null }
  | { kind: 'AssetInfo'; info: AssetInfo | null }
  | { kind: 'Assets'; assets: AssetInfo[] }
  /** `salt` is chosen by the enclave at open, so a replayed OpenSession never yields an old key. */
  | { kind: 'Session'; sessionId: Uint8Array; salt: Uint8Array; expiresAt: bigint }
  | { kind: 'Error'; code: QueryErrorCode }
  | { kind: 'RelayNonce'; next: bigint };

/** Order is the wire tag: append only. */
export const QueryResponseKinds = variants(['Balances', 'History', 'Receipt', 'AssetInfo', 'Assets', 'Session', 'Error', 'RelayNonce'] as const);

export function writeQueryResponse(w: ScaleWriter, q: QueryResponse): void {
  w.u8(QueryResponseKinds.tagOf(q.kind));
  switch (q.kind) {
    case 'Balances':
      w.vec(q.balances, MAX_LIST, (w2, b) => {
        writeAsset(w2, b.asset);
        writeAmount(w2, b.amount);
      });
      return;
    case 'History':
      w.u32(q.total).vec(q.entries, MAX_HISTORY_PAGE, writeHistoryEntry);
      return;
    case 'Receipt':
      w.option(q.receipt, writeReceipt).option(q.signature, (w2, s) => w2.fixed(s, 64));
      return;
    case 'AssetInfo':
      w.option(q.info, writeAssetInfo);
      return;
    case 'Assets':
      w.vec(q.assets, MAX_LIST, writeAssetInfo);
      return;
    case 'Session':
      w.fixed(q.sessionId, SESSION_ID_BYTES).fixed(q.salt, SESSION_SALT_BYTES).u64(q.expiresAt);
      return;
    case 'Error':
      w.u8(QueryErrorCodes.tagOf(q.code));
      return;
    case 'RelayNonce':
      w.u64(q.next);
      return;
  }
}

export function readQueryResponse(r: ScaleReader): QueryResponse {
  const kind = QueryResponseKinds.read(r);
  switch (kind) {
    case 'Balances':
      return { kind, balances: r.vec(MAX_LIST, (r2) => ({ asset: readAsset(r2), amount: readAmount(r2) })) };
    case 'History':
      return { kind, total: r.u32(), entries: r.vec(MAX_HISTORY_PAGE, readHistoryEntry) };
    case 'Receipt':
      return { kind, receipt: r.option(readReceipt), signature: r.option((r2) => r2.fixed(64)) };
    case 'AssetInfo':
      return { kind, info: r.option(readAssetInfo) };
    case 'Assets':
      return { kind, assets: r.vec(MAX_LIST, readAssetInfo) };
    case 'Session':
      return { kind, sessionId: r.fixed(SESSION_ID_BYTES), salt: r.fixed(SESSION_SALT_BYTES), expiresAt: r.u64() };
    case 'Error':
      return { kind, code: QueryErrorCodes.read(r) };
    case 'RelayNonce':
      return { kind, next: r.u64() };
  }
}

export const encodeQuery = (q: Query) => encodeWith(q, writeQuery, 16);
export const decodeQuery = (b: Uint8Array) => decodeExact(b, readQuery);
export const encodeQueryRequest = (q: QueryRequest) => encodeWith(q, writeQueryRequest, 128);
export const decodeQueryRequest = (b: Uint8Array) => decodeExact(b, readQueryRequest);
export const encodeQueryResponse = (q: QueryResponse) => encodeWith(q, writeQueryResponse, 256);
export const decodeQueryResponse = (b: Uint8Array) => decodeExact(b, readQueryResponse);

/** The contract a signature is made for: chain, contract id and the attested contract key. */
export interface QueryTarget {
  genesisHash: Uint8Array;
  contractId: ContractId;
  contractPub: Uint8Array;
}

function targetPrefix(w: ScaleWriter, t: QueryTarget): ScaleWriter {
  return w.u32(t.contractId).fixed(t.contractPub, 32);
}

/** Signed by the account for a one-shot query: account domain | genesis | contractId | contractPub | account | issuedAt | query. */
export const signedQueryMessage = (t: QueryTarget, account: AccountId, issuedAt: bigint, query: Query): Uint8Array =>
  accountMessage('query', t.genesisHash, encodeWith(null, (w) => {
    writeAccount(targetPrefix(w, t), account);
    w.u64(issuedAt);
    writeQuery(w, query);
  }, 96));

/** Signed by the account to open a session: account domain | genesis | contractId | contractPub | account | sessionPub | expiresAt. */
export const openSessionMessage = (t: QueryTarget, account: AccountId, sessionPub: Uint8Array, expiresAt: bigint): Uint8Array =>
  accountMessage('open-session', t.genesisHash, encodeWith(null, (w) => {
    writeAccount(targetPrefix(w, t), account);
    w.fixed(sessionPub, 32).u64(expiresAt);
  }, 128));
