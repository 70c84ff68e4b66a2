/**
 * The ledger rules (DESIGN.md §5). Every rule checks everything first and mutates last, so a failed
 * command leaves balances, supplies and receipts untouched; it only adds the sender's history entry
 * (written in one place, `fail`). Check order, shared with the reference model in the tests:
 * ZeroAmount → BelowMinimum (Withdraw) / InvalidSymbol (Issue) → UnknownAsset → NotIssuer →
 * InsufficientBalance / SymbolTaken → Overflow: what the command alone shows first, then what depends
 * on the state.
 */
import type { AccountId, Amount, AssetId, Hash } from '../../shared/types';
import { NATIVE_ASSET, U128_MAX, U32_MAX, U64_MAX } from '../../shared/types';
import type { SecretCommand } from '../../shared/protocol/command';
import type { PermitId } from '../../shared/protocol/permit';
import { isIssuableSymbol, symbolKey } from '../../shared/protocol/rules';
import type {
  Direction, HistoryKind, LedgerErrorCode, Outcome, WithdrawReceipt,
} from '../../shared/protocol/ledger';
import { FAILED, OK } from './outcomes';
import type { AccountState, AssetState, LedgerRules, LedgerState } from './state';
import { accountOf, balanceOf, setBalance } from './state';
import { isAccountId, isAmount, wellFormed } from './validate';

/** Where an item sits on chain: its block, its position in the block and the hash of its payload. */
export interface ItemContext {
  block: number;
  index: number;
  ref: Hash;
}

export interface ApplyResult {
  outcome: Outcome;
  /** Set only for a successful Withdraw: the enclave signs it and the host submits it. */
  receipt: WithdrawReceipt | null;
}

/** A rule either applied (its result) or refused (the reason). */
type RuleResult = ApplyResult | LedgerErrorCode;

const OK_RESULT: ApplyResult = Object.freeze({ outcome: OK, receipt: null });

function record(
  acc: AccountState, ctx: ItemContext, kind: HistoryKind, direction: Direction,
  asset: AssetId, counterparty: AccountId | null, amount: Amount, outcome: Outcome,
): void {
  acc.history.push({
    block: ctx.block, index: ctx.index, kind, direction, asset, counterparty, amount, outcome, ref: ctx.ref,
  });
}

/** A transferToTee event: public native token entered custody, so it becomes secret asset 0. */
export function applyDeposit(s: LedgerState, ctx: ItemContext, who: AccountId, amount: Amount): ApplyResult {
  const native = s.assets[NATIVE_ASSET];
  const supply = native.supply + amount;
  const balance = balanceOf(s, who, NATIVE_ASSET) + amount;
  const acc = accountOf(s, who);
  if (supply > U128_MAX || balance > U128_MAX) {
    record(acc, ctx, 'Deposit', 'In', NATIVE_ASSET, null, amount, FAILED.Overflow);
    return { outcome: FAILED.Overflow, receipt: null };
  }
  native.supply = supply;
  setBalance(acc, NATIVE_ASSET, balance);
  record(acc, ctx, 'Deposit', 'In', NATIVE_ASSET, null, amount, OK);
  return OK_RESULT;
}

/**
 * A relayed command whose user signature the enclave verified (DESIGN.md §12): `user` signed
 * `command`, `nonce` and `fee` for the relayer that submitted it.
 */
export interface RelayedItem {
  user: AccountId;
  nonce: bigint;
  fee: Amount;
  command: SecretCommand;
}

/**
 * Check order: a malformed item is the relayer's InvalidCommand; a nonce other than the user's next
 * is BadNonce in the user's history and moves nothing (a replay or a reordering never pays twice);
 * a fee the user's secret PHA cannot cover is FeeUnpaid and uses the nonce. Otherwise the fee moves
 * to the relayer (its entry names no user: the relayer must not learn whose command it carried),
 * the nonce is used, and the command applies as the user; refused, it still cost the fee.
 */
export function applyRelayed(s: LedgerState, rules: LedgerRules, ctx: ItemContext, relayer: AccountId, r: RelayedItem): ApplyResult {
  if (!wellFormed(r.command) || !isAccountId(r.user) || !isAmount(r.fee) || typeof r.nonce !== 'bigint' || r.nonce < 0n || r.nonce > U64_MAX) {
    return fail(s, ctx, relayer, null, 'InvalidCommand');
  }
  const expected = s.accounts.get(r.user)?.relayNonce ?? 0n;
  if (r.nonce !== expected) return fail(s, ctx, r.user, r.command, 'BadNonce');
  if (expected === U64_MAX) return fail(s, ctx, r.user, r.command, 'Overflow');
  const user = accountOf(s, r.user);
  const balance = user.balances.get(NATIVE_ASSET) ?? 0n;
  const paid = r.user === relayer ? 0n : r.fee;
  const relayerBalance = balanceOf(s, relayer, NATIVE_ASSET) + paid;
  user.relayNonce = expected + 1n;
  if (balance < paid) return fail(s, ctx, r.user, r.command, 'FeeUnpaid');
  // Unreachable while balances sum to a u128 supply; checked because a wrap would mint money.
  if (relayerBalance > U128_MAX) return fail(s, ctx, r.user, r.command, 'Overflow');
  if (paid > 0n) {
    const relayerAcc = accountOf(s, relayer);
    setBalance(user, NATIVE_ASSET, balance - paid);
    setBalance(relayerAcc, NATIVE_ASSET, relayerBalance);
    record(user, ctx, 'RelayFee', 'Out', NATIVE_ASSET, relayerAcc.id, paid as Amount, OK);
    record(relayerAcc, ctx, 'RelayFee', 'In', NATIVE_ASSET, null, paid as Amount, OK);
  }
  return applyCommand(s, rules, ctx, r.user, r.command);
}

/** `null` means the envelope did not open or decode; a command of the wrong shape is treated the same. */
export function applyCommand(
  s: LedgerState, rules: LedgerRules, ctx: ItemContext, sender: AccountId, c: SecretCommand | null,
): ApplyResult {
  if (c === null || !wellFormed(c)) return fail(s, ctx, sender, null, 'InvalidCommand');
  const r = rule(s, rules, ctx, sender, c);
  return typeof r === 'string' ? fail(s, ctx, sender, c, r) : r;
}

function rule(s: LedgerState, rules: LedgerRules, ctx: ItemContext, sender: AccountId, c: SecretCommand): RuleResult {
  switch (c.kind) {
    case 'Transfer':
      return transfer(s, ctx, sender, c.asset, c.dest, c.amount);
    case 'Withdraw':
      return withdraw(s, rules, ctx, sender, c.dest, c.amount);
    case 'Issue':
      return issue(s, ctx, sender, c.symbol, c.name, c.decimals, c.supply);
    case 'Mint':
      return mint(s, ctx, sender, c.asset, c.amount);
    case 'Burn':
      return burn(s, ctx, sender, c.asset, c.amount);
    case 'RevokePermit':
      return revokePermit(s, ctx, sender, c.permit);
  }
}

/**
 * The sender's entry for a refused command: what the command said (asset, amount, counterparty) and
 * why it failed. A failed Issue has no asset id: the entry names asset 0, and its kind and error say
 * what happened.
 */
function fail(s: LedgerState, ctx: ItemContext, sender: AccountId, c: SecretCommand | null, error: LedgerErrorCode): ApplyResult {
  const acc = accountOf(s, sender);
  const outcome = FAILED[error];
  if (c === null) {
    record(acc, ctx, 'Invalid', 'Self', NATIVE_ASSET, null, 0n as Amount, outcome);
  } else {
    switch (c.kind) {
      case 'Transfer':
        record(acc, ctx, 'Transfer', c.dest === sender ? 'Self' : 'Out', c.asset, c.dest, c.amount, outcome);
        break;
      case 'Withdraw':
        record(acc, ctx, 'Withdraw', 'Out', NATIVE_ASSET, c.dest, c.amount, outcome);
        break;
      case 'Issue':
        record(acc, ctx, 'Issue', 'Self', NATIVE_ASSET, null, c.supply, outcome);
        break;
      case 'Mint':
      case 'Burn':
        record(acc, ctx, c.kind, 'Self', c.asset, null, c.amount, outcome);
        break;
      case 'RevokePermit':
        record(acc, ctx, 'RevokePermit', 'Self', NATIVE_ASSET, null, 0n as Amount, outcome);
        break;
    }
  }
  return { outcome, receipt: null };
}

function transfer(s: LedgerState, ctx: ItemContext, sender: AccountId, asset: AssetId, dest: AccountId, amount: Amount): RuleResult {
  if (amount === 0n) return 'ZeroAmount';
  if (s.assets[asset] === undefined) return 'UnknownAsset';
  const fromAcc = s.accounts.get(sender);
  const from = fromAcc?.balances.get(asset) ?? 0n;
  if (fromAcc === undefined || from < amount) return 'InsufficientBalance';
  if (dest === sender) {
    record(fromAcc, ctx, 'Transfer', 'Self', asset, fromAcc.id, amount, OK);
    return OK_RESULT;
  }
  // Unreachable while balances sum to a u128 supply, but a wrap here would mint money: check anyway.
  // Checked before accountOf(dest), so a refusal never leaves an empty account behind.
  const to = balanceOf(s, dest, asset) + amount;
  if (to > U128_MAX) return 'Overflow';
  const toAcc = accountOf(s, dest);
  setBalance(fromAcc, asset, from - amount);
  setBalance(toAcc, asset, to);
  // Counterparties name the account map's own id strings, so histories hold no copies of ids.
  record(fromAcc, ctx, 'Transfer', 'Out', asset, toAcc.id, amount, OK);
  record(toAcc, ctx, 'Transfer', 'In', asset, fromAcc.id, amount, OK);
  return OK_RESULT;
}

/**
 * Secret asset 0 leaves for a public account: the dest gets no secret history, only the on-chain payout.
 * Below the chain's existential deposit the payout could fail for ever (see LedgerRules), so such a
 * withdrawal is refused before anything is debited.
 */
function withdraw(s: LedgerState, rules: LedgerRules, ctx: ItemContext, sender: AccountId, dest: AccountId, amount: Amount): RuleResult {
  if (amount === 0n) return 'ZeroAmount';
  if (amount < rules.minWithdraw) return 'BelowMinimum';
  const acc = s.accounts.get(sender);
  const from = acc?.balances.get(NATIVE_ASSET) ?? 0n;
  if (acc === undefined || from < amount) return 'InsufficientBalance';
  const seq = BigInt(s.receipts.length + 1);
  if (seq > U64_MAX) return 'Overflow';
  setBalance(acc, NATIVE_ASSET, from - amount);
  s.assets[NATIVE_ASSET].supply -= amount;
  s.receipts.push({ sender: acc.id, dest, amount });
  const outcome: Outcome = Object.freeze({ ok: true, receiptSeq: seq });
  record(acc, ctx, 'Withdraw', 'Out', NATIVE_ASSET, dest, amount, outcome);
  return { outcome, receipt: { contractId: s.contractId, seq, dest, amount } };
}

function issue(
  s: LedgerState, ctx: ItemContext, sender: AccountId, symbol: string, name: string, decimals: number, supply: Amount,
): RuleResult {
  if (!isIssuableSymbol(symbol)) return 'InvalidSymbol';
  const key = symbolKey(symbol);
  if (s.symbols.has(key)) return 'SymbolTaken';
  if (s.assets.length > U32_MAX) return 'Overflow';
  const id = s.assets.length as AssetId;
  s.assets.push({ symbol, name, decimals, issuer: sender, supply });
  s.symbols.set(key, id);
  const acc = accountOf(s, sender);
  setBalance(acc, id, supply);
  record(acc, ctx, 'Issue', 'Self', id, null, supply, OK);
  return OK_RESULT;
}

/** What Mint and Burn both require: a non-zero amount of an existing asset, asked for by its issuer. */
function issuedBy(s: LedgerState, sender: AccountId, asset: AssetId, amount: Amount): AssetState | LedgerErrorCode {
  if (amount === 0n) return 'ZeroAmount';
  const a = s.assets[asset];
  if (a === undefined) return 'UnknownAsset';
  return a.issuer === sender ? a : 'NotIssuer';
}

function mint(s: LedgerState, ctx: ItemContext, sender: AccountId, asset: AssetId, amount: Amount): RuleResult {
  const a = issuedBy(s, sender, asset, amount);
  if (typeof a === 'string') return a;
  const supply = a.supply + amount;
  const balance = balanceOf(s, sender, asset) + amount;
  if (supply > U128_MAX || balance > U128_MAX) return 'Overflow';
  a.supply = supply;
  const acc = accountOf(s, sender);
  setBalance(acc, asset, balance);
  record(acc, ctx, 'Mint', 'Self', asset, null, amount, OK);
  return OK_RESULT;
}

/** Burns from the issuer's own balance: an issuer can never destroy tokens other holders own. */
function burn(s: LedgerState, ctx: ItemContext, sender: AccountId, asset: AssetId, amount: Amount): RuleResult {
  const a = issuedBy(s, sender, asset, amount);
  if (typeof a === 'string') return a;
  const acc = s.accounts.get(sender);
  const balance = acc?.balances.get(asset) ?? 0n;
  if (acc === undefined || balance < amount) return 'InsufficientBalance';
  a.supply -= amount;
  setBalance(acc, asset, balance - amount);
  record(acc, ctx, 'Burn', 'Self', asset, null, amount, OK);
  return OK_RESULT;
}

/**
 * The sender's permit `id` reads nothing from now on (queries see the ledger only between blocks, so
 * from the block after this one). Revocation is keyed by (owner, id): nobody can revoke another's
 * permit, and revoking an id again, or one never granted, is harmless and applies. The entry in the
 * owner's history names no asset, amount or auditor: the permit itself is the owner's to keep.
 */
function revokePermit(s: LedgerState, ctx: ItemContext, sender: AccountId, id: PermitId): RuleResult {
  const acc = accountOf(s, sender);
  let revoked = s.revokedPermits.get(acc.id);
  if (revoked === undefined) {
    revoked = new Set();
    s.revokedPermits.set(acc.id, revoked);
  }
  revoked.add(id);
  record(acc, ctx, 'RevokePermit', 'Self', NATIVE_ASSET, null, 0n as Amount, OK);
  return OK_RESULT;
}
