/**
 * The confidential asset ledger: a pure, deterministic state machine. The enclave opens envelopes,
 * hashes and signs; this class only applies items in chain order and answers reads.
 *
 * Block discipline: every item carries its block; items of one block are applied, then
 * `endBlock(block)` marks it done and advances `lastBlock`. Items of a block ≤ lastBlock are refused,
 * so a host replaying from `lastBlock + 1` after a restart can never apply an item twice.
 */
import type { AccountId, Amount, AssetId, ContractId } from '../../shared/types';
import type { SecretCommand } from '../../shared/protocol/command';
import type { AssetInfo, HistoryEntry, WithdrawReceipt } from '../../shared/protocol/ledger';
import { MAX_HISTORY_PAGE } from '../../shared/protocol/query';
import type { PermitId } from '../../shared/protocol/permit';
import type { ApplyResult, ItemContext, RelayedItem } from './apply';
import { applyCommand, applyDeposit, applyRelayed } from './apply';
import { decodeState, encodeState } from './codec';
import { LedgerUsageError } from './errors';
import type { LedgerRules, LedgerState, ReceiptRecord } from './state';
import { symbolKey } from '../../shared/protocol/rules';
import { isAccountId, isAmount, isHash, isU32, validMetadata } from './validate';

const bad = (what: string) => new LedgerUsageError('BadArgument', what);

/** Configuration of the rules (see LedgerRules), given again on every create and decode: it is not sealed. */
export interface LedgerOptions {
  /** The chain's existential deposit; absent means no minimum beyond a non-zero amount. */
  minWithdraw?: bigint;
}

function rulesOf(opts: LedgerOptions): LedgerRules {
  const minWithdraw = opts.minWithdraw ?? 0n;
  if (!isAmount(minWithdraw)) throw bad('The withdrawal minimum is a u128.');
  return Object.freeze({ minWithdraw });
}

export class Ledger {
  readonly #s: LedgerState;
  readonly #rules: LedgerRules;
  /** Block of the items applied since the last endBlock, or null between blocks. */
  #open: number | null = null;

  private constructor(state: LedgerState, rules: LedgerRules) {
    this.#s = state;
    this.#rules = rules;
  }

  static create(opts: { contractId: ContractId; native: { symbol: string; name: string; decimals: number } } & LedgerOptions): Ledger {
    const { contractId, native } = opts;
    if (!isU32(contractId)) throw bad('A contract id is a u32.');
    if (!validMetadata(native.symbol, native.name, native.decimals)) throw bad('Invalid native asset metadata.');
    const rules = rulesOf(opts);
    return new Ledger({
      contractId,
      assets: [{ symbol: native.symbol, name: native.name, decimals: native.decimals, issuer: null, supply: 0n }],
      symbols: new Map([[symbolKey(native.symbol), 0 as AssetId]]),
      accounts: new Map(),
      receipts: [],
      revokedPermits: new Map(),
      lastBlock: 0,
    }, rules);
  }

  /**
   * Rejects malformed bytes, unknown versions, broken invariants and non-canonical forms with ProtocolError.
   * The rules' options are not in the bytes: pass the current ones (the state format never changed for them).
   */
  static decode(bytes: Uint8Array, opts: LedgerOptions = {}): Ledger {
    const rules = rulesOf(opts);
    return new Ledger(decodeState(bytes), rules);
  }

  /** Canonical bytes: seal these, and hash them for the state root. Only between blocks. */
  encode(): Uint8Array {
    if (this.#open !== null) throw new LedgerUsageError('BlockOpen', 'End the open block before encoding the ledger.');
    return encodeState(this.#s);
  }

  get lastBlock(): number {
    return this.#s.lastBlock;
  }

  /** Marks every item of `block` applied. Blocks without items may be skipped. */
  endBlock(block: number): void {
    if (!isU32(block)) throw bad('A block number is a u32.');
    if (block <= this.#s.lastBlock) throw new LedgerUsageError('BlockOrder', 'This block was already applied.');
    if (this.#open !== null && this.#open !== block) throw new LedgerUsageError('BlockOrder', 'Another block is open.');
    this.#s.lastBlock = block;
    this.#open = null;
  }

  /** A transferToTee event. */
  deposit(ctx: ItemContext, who: AccountId, amount: Amount): ApplyResult {
    if (!isAccountId(who)) throw bad('The depositor is not an AccountId.');
    if (!isAmount(amount)) throw bad('A deposit amount is a u128.');
    this.#enter(ctx);
    return applyDeposit(this.#s, ctx, who, amount);
  }

  /** A pushCommand by `sender`; `command` null when its envelope did not open or decode. */
  apply(ctx: ItemContext, sender: AccountId, command: SecretCommand | null): ApplyResult {
    if (!isAccountId(sender)) throw bad('The sender is not an AccountId.');
    this.#enter(ctx);
    return applyCommand(this.#s, this.#rules, ctx, sender, command);
  }

  /** A relayed command submitted by `relayer`, its user's signature already verified (see applyRelayed). */
  applyRelayed(ctx: ItemContext, relayer: AccountId, relayed: RelayedItem): ApplyResult {
    if (!isAccountId(relayer)) throw bad('The relayer is not an AccountId.');
    this.#enter(ctx);
    return applyRelayed(this.#s, this.#rules, ctx, relayer, relayed);
  }

  /** The nonce `who`'s next relayed command must carry. */
  relayNonce(who: AccountId): bigint {
    return this.#s.accounts.get(who)?.relayNonce ?? 0n;
  }

  #enter(ctx: ItemContext): void {
    if (!isU32(ctx.block) || !isU32(ctx.index) || !isHash(ctx.ref)) throw bad('Malformed item context.');
    if (ctx.block <= this.#s.lastBlock) throw new LedgerUsageError('BlockOrder', 'This block was already applied.');
    if (this.#open !== null && this.#open !== ctx.block) throw new LedgerUsageError('BlockOrder', 'Another block is open.');
    this.#open = ctx.block;
  }

  /** Non-zero balances in asset order. */
  balances(who: AccountId): { asset: AssetId; amount: Amount }[] {
    const acc = this.#s.accounts.get(who);
    if (acc === undefined) return [];
    return [...acc.balances]
      .sort((a, b) => a[0] - b[0])
      .map(([asset, value]) => ({ asset: asset as AssetId, amount: value as Amount }));
  }

  /** Entries `from`, `from + 1`, … (at most MAX_HISTORY_PAGE, the wire limit), oldest first, and how many exist. */
  history(who: AccountId, from: number, limit: number): { total: number; entries: HistoryEntry[] } {
    return this.historyWhere(who, null, from, limit);
  }

  /** Like `history`, over only the entries `keep` accepts (numbered among themselves): what an auditor may see. */
  historyWhere(who: AccountId, keep: ((e: HistoryEntry) => boolean) | null, from: number, limit: number): { total: number; entries: HistoryEntry[] } {
    if (!isU32(from) || !isU32(limit)) throw bad('History paging takes u32 numbers.');
    const own = this.#s.accounts.get(who)?.history ?? [];
    const all = keep === null ? own : own.filter(keep);
    const page = all.slice(from, from + Math.min(limit, MAX_HISTORY_PAGE));
    // Copies: stored entries share outcome objects and must not be changed by a reader.
    return { total: all.length, entries: page.map((e) => ({ ...e, outcome: { ...e.outcome } })) };
  }

  /** Whether `owner` revoked its view permit `id` in a block the ledger applied. */
  isPermitRevoked(owner: AccountId, id: PermitId): boolean {
    return this.#s.revokedPermits.get(owner)?.has(id) ?? false;
  }

  /** Public metadata; the supply is deliberately absent. */
  assetInfo(id: AssetId): AssetInfo | null {
    const a = isU32(id) ? this.#s.assets[id] : undefined;
    return a === undefined ? null : { id, symbol: a.symbol, name: a.name, decimals: a.decimals, issuer: a.issuer };
  }

  assets(): AssetInfo[] {
    return this.#s.assets.map((a, id) => ({ id: id as AssetId, symbol: a.symbol, name: a.name, decimals: a.decimals, issuer: a.issuer }));
  }

  receipt(seq: bigint): WithdrawReceipt | null {
    const x = this.#receipt(seq);
    return x === null ? null : { contractId: this.#s.contractId, seq, dest: x.dest, amount: x.amount };
  }

  /** Who made withdrawal `seq`: the enclave answers Receipt{seq} only to this account. */
  receiptOwner(seq: bigint): AccountId | null {
    return this.#receipt(seq)?.sender ?? null;
  }

  #receipt(seq: bigint): ReceiptRecord | null {
    if (typeof seq !== 'bigint' || seq < 1n || seq > BigInt(this.#s.receipts.length)) return null;
    return this.#s.receipts[Number(seq) - 1];
  }

  /** Secret total supply, for tests and invariant checks: never answer it to a query. */
  totalSupply(id: AssetId): Amount | null {
    const a = isU32(id) ? this.#s.assets[id] : undefined;
    return a === undefined ? null : (a.supply as Amount);
  }
}
