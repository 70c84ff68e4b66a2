/** The ledger's in-memory state: plain data, owned and mutated only by the rules in apply.ts. */
import type { AccountId, Amount, AssetId, ContractId } from '../../shared/types';
import type { HistoryEntry } from '../../shared/protocol/ledger';
import type { PermitId } from '../../shared/protocol/permit';

export interface AssetState {
  readonly symbol: string;
  readonly name: string;
  readonly decimals: number;
  /** null only for the native asset 0, which nobody may mint or burn. */
  readonly issuer: AccountId | null;
  /** Secret total supply: equals the sum of all balances of this asset. Never answered to queries. */
  supply: bigint;
}

export interface AccountState {
  /** The map key itself: history entries name counterparties with it, so each id string exists once. */
  readonly id: AccountId;
  /** asset id → amount; an entry that reaches zero is deleted, so memory tracks held assets only. */
  readonly balances: Map<number, bigint>;
  readonly history: HistoryEntry[];
  /** The nonce the account's next relayed command must carry (0 before the first). */
  relayNonce: bigint;
}

/** A withdrawal authorised by the ledger. Its seq is its position + 1, so a seq can never be reused. */
export interface ReceiptRecord {
  /** Who withdrew: the only account the enclave should answer a Receipt{seq} query for. */
  readonly sender: AccountId;
  readonly dest: AccountId;
  readonly amount: Amount;
}

export interface LedgerState {
  readonly contractId: ContractId;
  /** Indexed by asset id: ids are dense and assigned in order. */
  readonly assets: AssetState[];
  /** symbolKey(symbol) → asset id, for the uniqueness rule of Issue. */
  readonly symbols: Map<string, AssetId>;
  readonly accounts: Map<AccountId, AccountState>;
  readonly receipts: ReceiptRecord[];
  /**
   * owner → the view permits that owner revoked. Permits themselves live off the ledger (the owner
   * hands one to an auditor); only a revocation is a command, so only revocations are state.
   */
  readonly revokedPermits: Map<AccountId, Set<PermitId>>;
  /** Last block whose items were all applied. */
  lastBlock: number;
}

/**
 * Parameters of the rules that are configuration, not state: the enclave passes them on every create
 * and restore (the host reads them from the chain when it starts), and they are neither sealed nor
 * part of the state root.
 */
export interface LedgerRules {
  /**
   * Smallest Withdraw the ledger signs a receipt for: the chain's existential deposit. The chain
   * refuses to pay less than that to an account that does not exist yet, and the ledger cannot know
   * which accounts exist on chain, so it refuses every smaller withdrawal (BelowMinimum), even one to
   * an account that could have received it: a receipt the chain may never pay would lock the amount.
   */
  readonly minWithdraw: bigint;
}

export function accountOf(s: LedgerState, who: AccountId): AccountState {
  let acc = s.accounts.get(who);
  if (acc === undefined) {
    acc = { id: who, balances: new Map(), history: [], relayNonce: 0n };
    s.accounts.set(who, acc);
  }
  return acc;
}

export const balanceOf = (s: LedgerState, who: AccountId, asset: number): bigint =>
  s.accounts.get(who)?.balances.get(asset) ?? 0n;

/** Sets a balance, deleting the entry at zero. */
export function setBalance(acc: AccountState, asset: number, value: bigint): void {
  if (value === 0n) acc.balances.delete(asset);
  else acc.balances.set(asset, value);
}
