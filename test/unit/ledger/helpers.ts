/** Fixtures shared by the ledger tests: accounts, a chain-order feeder and a fresh ledger. */
import { permitId, type PermitId } from '../../../shared/protocol/permit';
import { Ledger } from '../../../contract/ledger';
import type { ApplyResult, ItemContext, LedgerOptions } from '../../../contract/ledger';
import type { SecretCommand } from '../../../shared/protocol/command';
import type { HistoryEntry } from '../../../shared/protocol/ledger';
import type { AccountId, Amount, AssetId, ContractId, Hash } from '../../../shared/types';

export const CONTRACT = 7 as ContractId;
export const NATIVE = { symbol: 'PHA', name: 'Secret PHA', decimals: 12 };

/** A distinct, valid AccountId per small integer. */
export const acct = (n: number): AccountId => `0x${n.toString(16).padStart(2, '0').repeat(32)}` as AccountId;
export const ref = (n: number): Hash => `0x${n.toString(16).padStart(64, '0')}` as Hash;
export const amt = (n: bigint | number): Amount => BigInt(n) as Amount;
export const asset = (n: number): AssetId => n as AssetId;

export const newLedger = (opts: LedgerOptions = {}): Ledger => Ledger.create({ contractId: CONTRACT, native: NATIVE, ...opts });

/** Feeds items to a ledger the way the enclave does: increasing positions, blocks closed with endBlock. */
export class Chain {
  block = 1;
  index = 0;
  #refs = 0;
  /** `options` are the ledger's, given again on every reseal as the enclave does on restore. */
  constructor(public ledger: Ledger = newLedger(), readonly options: LedgerOptions = {}) {}

  /** A chain whose ledger refuses withdrawals below `minWithdraw` (the chain's existential deposit). */
  static withMinimum(minWithdraw: bigint): Chain {
    return new Chain(newLedger({ minWithdraw }), { minWithdraw });
  }

  ctx(): ItemContext {
    return { block: this.block, index: this.index++, ref: ref(++this.#refs) };
  }

  deposit(who: AccountId, amount: bigint | number): ApplyResult {
    return this.ledger.deposit(this.ctx(), who, amt(amount));
  }

  apply(sender: AccountId, command: SecretCommand | null): ApplyResult {
    return this.ledger.apply(this.ctx(), sender, command);
  }

  endBlock(): void {
    this.ledger.endBlock(this.block);
    this.block++;
    this.index = 0;
  }

  /** Ends the block and continues from a sealed copy, as after an enclave restart. */
  reseal(): void {
    this.endBlock();
    this.ledger = Ledger.decode(this.ledger.encode(), this.options);
  }
}

export const transfer = (a: number, dest: AccountId, amount: bigint | number): SecretCommand =>
  ({ kind: 'Transfer', asset: asset(a), dest, amount: amt(amount) });
export const withdraw = (dest: AccountId, amount: bigint | number): SecretCommand =>
  ({ kind: 'Withdraw', dest, amount: amt(amount) });
export const issue = (symbol: string, supply: bigint | number, decimals = 6): SecretCommand =>
  ({ kind: 'Issue', symbol, name: `${symbol} token`, decimals, supply: amt(supply) });
export const mint = (a: number, amount: bigint | number): SecretCommand => ({ kind: 'Mint', asset: asset(a), amount: amt(amount) });
export const burn = (a: number, amount: bigint | number): SecretCommand => ({ kind: 'Burn', asset: asset(a), amount: amt(amount) });
export const revoke = (permit: PermitId): SecretCommand => ({ kind: 'RevokePermit', permit });
/** A few view permit ids; `0x01…`, `0x02…` sort in this order. */
export const PERMITS: PermitId[] = [1, 2, 3].map((n) => permitId(new Uint8Array(16).fill(n)));

/** Every history entry of an account, following pages. */
export function fullHistory(ledger: Ledger, who: AccountId): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  for (;;) {
    const page = ledger.history(who, out.length, 100);
    out.push(...page.entries);
    if (page.entries.length === 0 || out.length >= page.total) return out;
  }
}

/** Balances as a plain object for readable comparisons. */
export const balanceMap = (ledger: Ledger, who: AccountId): Record<number, bigint> =>
  Object.fromEntries(ledger.balances(who).map((b) => [b.asset, b.amount]));
