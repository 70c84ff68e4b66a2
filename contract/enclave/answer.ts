/**
 * What a query returns, given who is asking. The one place that decides visibility, shared by signed
 * queries and session frames: public metadata for anyone, private data only about `account` itself.
 * A token's issuer is private to the issuer: an Issue is a secret command, and naming its signer to
 * anyone who asks would make it public after all.
 */
import type { AssetInfo, WithdrawReceipt } from '../../shared/protocol/ledger';
import { MAX_HISTORY_PAGE, type Query, type QueryResponse, type QueryTarget } from '../../shared/protocol/query';
import type { AccountId } from '../../shared/types';
import type { Ledger } from '../ledger';
import { audit, type AuditLedger } from './audit';

export type LedgerReader = Pick<Ledger, 'balances' | 'history' | 'assetInfo' | 'assets' | 'receipt' | 'receiptOwner' | 'relayNonce'> & AuditLedger;
/** Null when the enclave signs no receipts (its checkpoints lost to the reference ledger, DESIGN.md §11). */
export type ReceiptSigner = (receipt: WithdrawReceipt) => Uint8Array | null;

/** What answers need besides the question: the ledger, the receipt signer and this contract (for permits). */
export interface AnswerScope {
  ledger: LedgerReader;
  signReceipt: ReceiptSigner;
  target: QueryTarget;
}

/**
 * `account` null: an unauthenticated (Public) request, which may read public metadata only. An
 * auditor's permit read is the one answer about another account (audit.ts decides it).
 */
export function answer({ ledger, signReceipt, target }: AnswerScope, account: AccountId | null, q: Query): QueryResponse {
  switch (q.kind) {
    case 'AssetInfo': {
      const info = ledger.assetInfo(q.asset);
      return { kind: 'AssetInfo', info: info && issuerSeenBy(account, info) };
    }
    case 'Assets':
      return { kind: 'Assets', assets: ledger.assets().map((a) => issuerSeenBy(account, a)) };
  }
  if (account === null) return { kind: 'Error', code: 'NotAuthorized' };
  switch (q.kind) {
    case 'Balances':
      return { kind: 'Balances', balances: ledger.balances(account) };
    case 'History': {
      const { total, entries } = ledger.history(account, q.from, Math.min(q.limit, MAX_HISTORY_PAGE));
      return { kind: 'History', total, entries };
    }
    case 'Receipt': {
      // Someone else's receipt looks exactly like one that does not exist.
      const receipt = ledger.receiptOwner(q.seq) === account ? ledger.receipt(q.seq) : null;
      return { kind: 'Receipt', receipt, signature: receipt === null ? null : signReceipt(receipt) };
    }
    case 'AuditBalances':
    case 'AuditHistory':
      return audit(ledger, target, account, q);
    case 'RelayNonce':
      return { kind: 'RelayNonce', next: ledger.relayNonce(account) };
  }
}

/** The asset as `account` may see it: its issuer only when `account` is that issuer (null otherwise, as for the native asset). */
function issuerSeenBy(account: AccountId | null, a: AssetInfo): AssetInfo {
  return account !== null && a.issuer === account ? a : { ...a, issuer: null };
}
