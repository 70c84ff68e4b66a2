/**
 * What a query returns, given who is asking. The one place that decides visibility, shared by signed
 * queries and session frames: public metadata for anyone, private data only about `account` itself.
 */
import type { WithdrawReceipt } from '../../shared/protocol/ledger';
import { MAX_HISTORY_PAGE, type Query, type QueryResponse } from '../../shared/protocol/query';
import type { AccountId } from '../../shared/types';
import type { Ledger } from '../ledger';

export type LedgerReader = Pick<Ledger, 'balances' | 'history' | 'assetInfo' | 'assets' | 'receipt' | 'receiptOwner' | 'relayNonce'>;
export type ReceiptSigner = (receipt: WithdrawReceipt) => Uint8Array;

/** `account` null: an unauthenticated (Public) request, which may read public metadata only. */
export function answer(ledger: LedgerReader, signReceipt: ReceiptSigner, account: AccountId | null, q: Query): QueryResponse {
  switch (q.kind) {
    case 'AssetInfo':
      return { kind: 'AssetInfo', info: ledger.assetInfo(q.asset) };
    case 'Assets':
      return { kind: 'Assets', assets: ledger.assets() };
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
    case 'RelayNonce':
      return { kind: 'RelayNonce', next: ledger.relayNonce(account) };
  }
}
