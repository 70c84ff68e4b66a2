/** Example tests of the ledger rules (DESIGN.md §5): what a wallet user sees after each kind of item. */
import { Ledger, LedgerUsageError } from '../../../contract/ledger';
import { MAX_HISTORY_PAGE } from '../../../shared/protocol/query';
import type { SecretCommand } from '../../../shared/protocol/command';
import type { HistoryEntry, LedgerErrorCode } from '../../../shared/protocol/ledger';
import { U128_MAX } from '../../../shared/types';
import type { AccountId } from '../../../shared/types';
import {
  CONTRACT, Chain, NATIVE, acct, amt, asset, balanceMap, burn, fullHistory, issue, mint, newLedger, transfer, withdraw,
} from './helpers';

/** The withdrawal minimum of the tests that set one (the dev chain's is 10^10). */
const MIN = 10n;

const alice = acct(1);
const bob = acct(2);
const carol = acct(3);

const last = (l: Ledger, who: AccountId): HistoryEntry => {
  const h = fullHistory(l, who);
  return h[h.length - 1];
};

const usageCode = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return e instanceof LedgerUsageError ? e.code : `not a LedgerUsageError: ${String(e)}`;
  }
  return undefined;
};

describe('deposits', () => {
  it('credit secret PHA and the native supply, with an In entry without counterparty', () => {
    const c = new Chain();
    expect(c.deposit(alice, 500)).toEqual({ outcome: { ok: true, receiptSeq: null }, receipt: null });
    expect(balanceMap(c.ledger, alice)).toEqual({ 0: 500n });
    expect(c.ledger.totalSupply(asset(0))).toBe(500n);
    expect(fullHistory(c.ledger, alice)).toEqual([{
      block: 1, index: 0, kind: 'Deposit', direction: 'In', asset: 0, counterparty: null, amount: 500n,
      outcome: { ok: true, receiptSeq: null }, ref: expect.stringMatching(/^0x[0-9a-f]{64}$/),
    }]);
  });

  it('a second deposit adds to the first', () => {
    const c = new Chain();
    c.deposit(alice, 500);
    c.deposit(alice, 250);
    expect(balanceMap(c.ledger, alice)).toEqual({ 0: 750n });
  });

  it('beyond a u128 native supply fail with Overflow and credit nothing', () => {
    const c = new Chain();
    c.deposit(alice, U128_MAX);
    const r = c.deposit(bob, 1);
    expect(r.outcome).toEqual({ ok: false, error: 'Overflow' });
    expect(c.ledger.balances(bob)).toEqual([]);
    expect(c.ledger.totalSupply(asset(0))).toBe(U128_MAX);
    expect(last(c.ledger, bob)).toMatchObject({ kind: 'Deposit', amount: 1n, outcome: { ok: false, error: 'Overflow' } });
  });
});

describe('transfers', () => {
  it('move the amount, keep the supply, and record Out for the sender and In for the recipient', () => {
    const c = new Chain();
    c.deposit(alice, 100);
    expect(c.apply(alice, transfer(0, bob, 30)).outcome).toEqual({ ok: true, receiptSeq: null });
    expect(balanceMap(c.ledger, alice)).toEqual({ 0: 70n });
    expect(balanceMap(c.ledger, bob)).toEqual({ 0: 30n });
    expect(c.ledger.totalSupply(asset(0))).toBe(100n);
    expect(last(c.ledger, alice)).toMatchObject({ kind: 'Transfer', direction: 'Out', counterparty: bob, amount: 30n, asset: 0 });
    expect(last(c.ledger, bob)).toMatchObject({ kind: 'Transfer', direction: 'In', counterparty: alice, amount: 30n, asset: 0 });
    expect(last(c.ledger, alice).ref).toBe(last(c.ledger, bob).ref);
  });

  it('add to a recipient balance that already exists (never overwrite it)', () => {
    const c = new Chain();
    c.deposit(alice, 100);
    c.deposit(bob, 40);
    c.apply(alice, transfer(0, bob, 30));
    c.apply(alice, transfer(0, bob, 5));
    expect(balanceMap(c.ledger, bob)).toEqual({ 0: 75n });
    expect(balanceMap(c.ledger, alice)).toEqual({ 0: 65n });
  });

  it('to oneself leave the balance alone and record one Self entry', () => {
    const c = new Chain();
    c.deposit(alice, 100);
    expect(c.apply(alice, transfer(0, alice, 60)).outcome.ok).toBe(true);
    expect(balanceMap(c.ledger, alice)).toEqual({ 0: 100n });
    const h = fullHistory(c.ledger, alice);
    expect(h).toHaveLength(2);
    expect(h[1]).toMatchObject({ kind: 'Transfer', direction: 'Self', amount: 60n, outcome: { ok: true } });
  });

  it('to oneself still need the balance', () => {
    const c = new Chain();
    c.deposit(alice, 10);
    expect(c.apply(alice, transfer(0, alice, 11)).outcome).toEqual({ ok: false, error: 'InsufficientBalance' });
  });

  it('of the whole balance leave no zero entry behind', () => {
    const c = new Chain();
    c.deposit(alice, 100);
    c.apply(alice, issue('TOK', 5));
    c.apply(alice, transfer(0, bob, 100));
    expect(c.ledger.balances(alice)).toEqual([{ asset: 1, amount: 5n }]);
  });
});

describe('each failure reason', () => {
  const cases: [string, (c: Chain) => void, SecretCommand | null, LedgerErrorCode][] = [
    ['transfer beyond the balance', (c) => c.deposit(alice, 10), transfer(0, bob, 11), 'InsufficientBalance'],
    ['transfer with no balance at all', () => {}, transfer(0, bob, 1), 'InsufficientBalance'],
    ['withdraw beyond the balance', (c) => c.deposit(alice, 10), withdraw(bob, 11), 'InsufficientBalance'],
    ['burn beyond the issuer balance', (c) => c.apply(alice, issue('TOK', 10)), burn(1, 11), 'InsufficientBalance'],
    ['transfer of an asset that does not exist', (c) => c.deposit(alice, 10), transfer(1, bob, 1), 'UnknownAsset'],
    ['transfer of the largest asset id', () => {}, transfer(0xffff_ffff, bob, 1), 'UnknownAsset'],
    ['mint of an asset that does not exist', () => {}, mint(3, 1), 'UnknownAsset'],
    ['burn of an asset that does not exist', () => {}, burn(3, 1), 'UnknownAsset'],
    ['mint past u128', (c) => c.apply(alice, issue('TOK', U128_MAX)), mint(1, 1), 'Overflow'],
    ['mint by someone else', (c) => c.apply(bob, issue('TOK', 10)), mint(1, 5), 'NotIssuer'],
    ['burn by someone else', (c) => c.apply(bob, issue('TOK', 10)), burn(1, 5), 'NotIssuer'],
    ['mint of the native asset', (c) => c.deposit(alice, 10), mint(0, 5), 'NotIssuer'],
    ['burn of the native asset', (c) => c.deposit(alice, 10), burn(0, 5), 'NotIssuer'],
    ['an envelope that did not open', () => {}, null, 'InvalidCommand'],
    ['a command of the wrong shape (negative amount)', (c) => c.deposit(alice, 10), { kind: 'Transfer', asset: asset(0), dest: bob, amount: amt(-1) }, 'InvalidCommand'],
    ['a symbol longer than 12 bytes', () => {}, issue('THIRTEENCHARS', 1), 'InvalidCommand'],
    ['a lone surrogate in a symbol', () => {}, issue('X\ud800', 1), 'InvalidCommand'],
    ['decimals over 38', () => {}, issue('TOK', 1, 39), 'InvalidCommand'],
    ['a dest that is not an AccountId', (c) => c.deposit(alice, 10), transfer(0, '0xAB' as AccountId, 1), 'InvalidCommand'],
    ['transfer of zero', (c) => c.deposit(alice, 10), transfer(0, bob, 0), 'ZeroAmount'],
    ['withdraw of zero', (c) => c.deposit(alice, 10), withdraw(bob, 0), 'ZeroAmount'],
    ['mint of zero', (c) => c.apply(alice, issue('TOK', 10)), mint(1, 0), 'ZeroAmount'],
    ['burn of zero', (c) => c.apply(alice, issue('TOK', 10)), burn(1, 0), 'ZeroAmount'],
    ['issue of a symbol in use', (c) => c.apply(bob, issue('TOK', 10)), issue('TOK', 1), 'SymbolTaken'],
    ['issue of a symbol in use in another case', (c) => c.apply(bob, issue('TOK', 10)), issue('tOk', 1), 'SymbolTaken'],
    ['issue of the native symbol', () => {}, issue('pha', 1), 'SymbolTaken'],
    ['issue of a Cyrillic look-alike of the native symbol', () => {}, issue('\u0420\u041d\u0410', 1), 'InvalidSymbol'],
    ['issue of a symbol with punctuation', () => {}, issue('PHA.', 1), 'InvalidSymbol'],
    ['issue of a symbol with a space', () => {}, issue('GO LD', 1), 'InvalidSymbol'],
    ['issue of a symbol starting with a digit', () => {}, issue('1INCH', 1), 'InvalidSymbol'],
    ['an invalid symbol even when a valid one like it is taken', (c) => c.apply(bob, issue('TOK', 10)), issue('TOK_', 1), 'InvalidSymbol'],
    ['withdraw below the minimum', (c) => c.deposit(alice, 10), withdraw(bob, MIN - 1n), 'BelowMinimum'],
    ['withdraw below the minimum and beyond the balance', () => {}, withdraw(bob, 1), 'BelowMinimum'],
  ];

  it.each(cases)('%s', (_name, setup, command, code) => {
    const c = Chain.withMinimum(MIN);
    setup(c);
    const before = { alice: balanceMap(c.ledger, alice), bob: balanceMap(c.ledger, bob), assets: c.ledger.assets() };
    const bobEntries = c.ledger.history(bob, 0, 100).total;
    const supplies = before.assets.map((a) => c.ledger.totalSupply(a.id));

    const r = c.apply(alice, command);

    expect(r).toEqual({ outcome: { ok: false, error: code }, receipt: null });
    // Nothing moved, and only the sender learns about the failure.
    expect(balanceMap(c.ledger, alice)).toEqual(before.alice);
    expect(balanceMap(c.ledger, bob)).toEqual(before.bob);
    expect(c.ledger.assets()).toEqual(before.assets);
    expect(before.assets.map((a) => c.ledger.totalSupply(a.id))).toEqual(supplies);
    expect(c.ledger.history(bob, 0, 100).total).toBe(bobEntries);
    expect(last(c.ledger, alice).outcome).toEqual({ ok: false, error: code });
  });

  it('a failed transfer carries its asset, amount and counterparty in the sender history', () => {
    const c = new Chain();
    c.apply(alice, transfer(4, bob, 9));
    expect(last(c.ledger, alice)).toMatchObject({ kind: 'Transfer', direction: 'Out', asset: 4, counterparty: bob, amount: 9n });
    expect(c.ledger.history(bob, 0, 10)).toEqual({ total: 0, entries: [] });
  });

  it('an envelope that did not open is recorded as Invalid with nothing else', () => {
    const c = new Chain();
    c.apply(alice, null);
    expect(fullHistory(c.ledger, alice)).toEqual([expect.objectContaining({
      kind: 'Invalid', asset: 0, amount: 0n, counterparty: null, outcome: { ok: false, error: 'InvalidCommand' },
    })]);
  });

  it('a refused symbol is recorded as a failed Issue carrying its supply', () => {
    const c = new Chain();
    c.apply(alice, issue('G\u039eLD', 500));
    expect(fullHistory(c.ledger, alice)).toEqual([expect.objectContaining({
      kind: 'Issue', direction: 'Self', asset: 0, counterparty: null, amount: 500n, outcome: { ok: false, error: 'InvalidSymbol' },
    })]);
    expect(c.ledger.assets()).toHaveLength(1);
  });
});

describe('token symbols', () => {
  it('are 1 to 12 ASCII letters and digits, the first a letter, in either case', () => {
    const c = new Chain();
    for (const symbol of ['A', 'Q1', 'vDOT', 'USDt', 'ABCDEFGHIJK9']) {
      expect([symbol, c.apply(alice, issue(symbol, 1)).outcome]).toEqual([symbol, { ok: true, receiptSeq: null }]);
    }
  });

  it('refuse look-alikes from other scripts and forms, which would otherwise be unique', () => {
    // Cyrillic Р Н А, Greek Α, fullwidth Ｐ, a zero-width space, a combining accent, Cyrillic о in "G0LD"'s place.
    const lookAlikes = ['\u0420\u041d\u0410', 'P\u0397A', '\uff30HA', 'PHA\u200b', 'PHA\u0301', 'G\u043eLD', 'gold!', 'GOLD-2', '_GOLD'];
    const c = new Chain();
    c.apply(bob, issue('GOLD', 1));
    for (const symbol of lookAlikes) {
      expect([symbol, c.apply(alice, issue(symbol, 1)).outcome]).toEqual([symbol, { ok: false, error: 'InvalidSymbol' }]);
    }
    expect(c.ledger.assets().map((a) => a.symbol)).toEqual(['PHA', 'GOLD']);
  });

  it('are unique ignoring ASCII case, so no two tokens differ only by case', () => {
    const c = new Chain();
    expect(c.apply(alice, issue('GoLd', 1)).outcome.ok).toBe(true);
    for (const symbol of ['GOLD', 'gold', 'gOlD']) expect(c.apply(bob, issue(symbol, 1)).outcome).toEqual({ ok: false, error: 'SymbolTaken' });
  });
});

describe('withdrawals', () => {
  it('debit secret PHA, shrink the supply and emit receipts with seq 1, 2, 3', () => {
    const c = new Chain();
    c.deposit(alice, 100);
    const seqs = [10, 20, 30].map((n) => {
      const r = c.apply(alice, withdraw(carol, n));
      expect(r.receipt).toEqual({ contractId: CONTRACT, seq: r.outcome.ok ? r.outcome.receiptSeq : null, dest: carol, amount: BigInt(n) });
      return r.receipt?.seq;
    });
    expect(seqs).toEqual([1n, 2n, 3n]);
    expect(balanceMap(c.ledger, alice)).toEqual({ 0: 40n });
    expect(c.ledger.totalSupply(asset(0))).toBe(40n);
    expect(c.ledger.receipt(2n)).toEqual({ contractId: CONTRACT, seq: 2n, dest: carol, amount: 20n });
    expect(c.ledger.receiptOwner(2n)).toBe(alice);
    expect([c.ledger.receipt(0n), c.ledger.receipt(4n), c.ledger.receiptOwner(4n)]).toEqual([null, null, null]);
  });

  it('record Out to the public dest, which gets no secret history', () => {
    const c = new Chain();
    c.deposit(alice, 100);
    c.apply(alice, withdraw(carol, 60));
    expect(last(c.ledger, alice)).toMatchObject({
      kind: 'Withdraw', direction: 'Out', asset: 0, counterparty: carol, amount: 60n, outcome: { ok: true, receiptSeq: 1n },
    });
    expect(c.ledger.history(carol, 0, 10).total).toBe(0);
  });

  it('a failed withdrawal uses no seq', () => {
    const c = new Chain();
    c.deposit(alice, 100);
    c.apply(alice, withdraw(carol, 101));
    expect(c.apply(alice, withdraw(carol, 1)).receipt?.seq).toBe(1n);
  });
});

describe('withdrawals below the chain\'s existential deposit', () => {
  it('of exactly the minimum are paid out as usual', () => {
    const c = Chain.withMinimum(MIN);
    c.deposit(alice, 100);
    const r = c.apply(alice, withdraw(carol, MIN));
    expect(r).toEqual({ outcome: { ok: true, receiptSeq: 1n }, receipt: { contractId: CONTRACT, seq: 1n, dest: carol, amount: MIN } });
    expect(balanceMap(c.ledger, alice)).toEqual({ 0: 100n - MIN });
    expect(c.ledger.totalSupply(asset(0))).toBe(100n - MIN);
  });

  it('of the minimum less one are refused: nothing debited, no receipt, and the failure in the sender history', () => {
    const c = Chain.withMinimum(MIN);
    c.deposit(alice, 100);
    const r = c.apply(alice, withdraw(carol, MIN - 1n));
    expect(r).toEqual({ outcome: { ok: false, error: 'BelowMinimum' }, receipt: null });
    expect(balanceMap(c.ledger, alice)).toEqual({ 0: 100n });
    expect(c.ledger.totalSupply(asset(0))).toBe(100n);
    expect(c.ledger.receipt(1n)).toBeNull();
    expect(last(c.ledger, alice)).toEqual({
      block: 1, index: 1, kind: 'Withdraw', direction: 'Out', asset: 0, counterparty: carol, amount: MIN - 1n,
      outcome: { ok: false, error: 'BelowMinimum' }, ref: expect.stringMatching(/^0x[0-9a-f]{64}$/),
    });
    expect(c.ledger.history(carol, 0, 10).total).toBe(0);
    // The refused one used no seq: the next withdrawal gets seq 1.
    expect(c.apply(alice, withdraw(carol, MIN)).receipt?.seq).toBe(1n);
  });

  it('are refused to any dest, the sender included: the ledger cannot know which accounts exist on chain', () => {
    const c = Chain.withMinimum(MIN);
    c.deposit(alice, 100);
    for (const dest of [alice, bob, carol]) expect(c.apply(alice, withdraw(dest, 1)).outcome).toEqual({ ok: false, error: 'BelowMinimum' });
  });

  it('keep the rule after a restore, which takes the minimum from its caller, not from the sealed bytes', () => {
    const c = Chain.withMinimum(MIN);
    c.deposit(alice, 100);
    c.reseal();
    expect(c.apply(alice, withdraw(carol, MIN - 1n)).outcome).toEqual({ ok: false, error: 'BelowMinimum' });
    c.endBlock();
    const bytes = c.ledger.encode();
    // Not sealed, so not in the state root either: the sealed format is the same with or without it.
    expect(newLedger({ minWithdraw: MIN }).encode()).toEqual(newLedger().encode());
    const raised = new Chain(Ledger.decode(bytes, { minWithdraw: MIN * 2n }), { minWithdraw: MIN * 2n });
    raised.block = c.block;
    expect(raised.apply(alice, withdraw(carol, MIN)).outcome).toEqual({ ok: false, error: 'BelowMinimum' });
  });

  it('with no minimum configured, refuse only zero', () => {
    const c = new Chain();
    c.deposit(alice, 100);
    expect(c.apply(alice, withdraw(carol, 1)).outcome.ok).toBe(true);
    expect(c.apply(alice, withdraw(carol, 0)).outcome).toEqual({ ok: false, error: 'ZeroAmount' });
  });

  it('a minimum that is not a u128 is a usage error', () => {
    for (const minWithdraw of [-1n, U128_MAX + 1n, 5 as unknown as bigint]) {
      expect(usageCode(() => newLedger({ minWithdraw }))).toBe('BadArgument');
      expect(usageCode(() => Ledger.decode(newLedger().encode(), { minWithdraw }))).toBe('BadArgument');
    }
  });
});

describe('issued assets', () => {
  it('get ids 1, 2, 3 in order, give the issuer the supply and expose no supply in metadata', () => {
    const c = new Chain();
    c.apply(alice, issue('AAA', 1000));
    c.apply(bob, issue('BBB', 0));
    c.apply(alice, issue('CCC', 7));
    expect(c.ledger.assets().map((a) => [a.id, a.symbol, a.issuer])).toEqual([[0, 'PHA', null], [1, 'AAA', alice], [2, 'BBB', bob], [3, 'CCC', alice]]);
    expect(c.ledger.assetInfo(asset(2))).toEqual({ id: 2, symbol: 'BBB', name: 'BBB token', decimals: 6, issuer: bob });
    expect(c.ledger.assetInfo(asset(0))).toEqual({ id: 0, ...NATIVE, issuer: null });
    expect(c.ledger.assetInfo(asset(4))).toBeNull();
    for (const info of c.ledger.assets()) expect(Object.keys(info).sort()).toEqual(['decimals', 'id', 'issuer', 'name', 'symbol']);
    expect(balanceMap(c.ledger, alice)).toEqual({ 1: 1000n, 3: 7n });
    expect(c.ledger.balances(bob)).toEqual([]);
    expect(c.ledger.totalSupply(asset(2))).toBe(0n);
    expect(last(c.ledger, alice)).toMatchObject({ kind: 'Issue', direction: 'Self', asset: 3, amount: 7n, counterparty: null });
  });

  it('mint raises supply and the issuer balance; burn lowers both', () => {
    const c = new Chain();
    c.apply(alice, issue('TOK', 100));
    c.apply(alice, mint(1, 50));
    expect([balanceMap(c.ledger, alice), c.ledger.totalSupply(asset(1))]).toEqual([{ 1: 150n }, 150n]);
    c.apply(alice, burn(1, 120));
    expect([balanceMap(c.ledger, alice), c.ledger.totalSupply(asset(1))]).toEqual([{ 1: 30n }, 30n]);
    expect(last(c.ledger, alice)).toMatchObject({ kind: 'Burn', direction: 'Self', asset: 1, amount: 120n });
  });

  it('an issuer can burn only their own tokens, never a holder\'s', () => {
    const c = new Chain();
    c.apply(alice, issue('TOK', 100));
    c.apply(alice, transfer(1, bob, 90));
    expect(c.apply(alice, burn(1, 11)).outcome).toEqual({ ok: false, error: 'InsufficientBalance' });
    expect(balanceMap(c.ledger, bob)).toEqual({ 1: 90n });
  });
});

describe('history reads', () => {
  it('page from an index, cap the page size and report the total', () => {
    const c = new Chain();
    for (let i = 1; i <= 150; i++) c.deposit(alice, i);
    const page = c.ledger.history(alice, 10, 5);
    expect(page.total).toBe(150);
    expect(page.entries.map((e) => e.amount)).toEqual([11n, 12n, 13n, 14n, 15n]);
    expect(c.ledger.history(alice, 0, 1000).entries).toHaveLength(MAX_HISTORY_PAGE);
    expect(c.ledger.history(alice, 149, 10).entries.map((e) => e.amount)).toEqual([150n]);
    expect(c.ledger.history(alice, 500, 10)).toEqual({ total: 150, entries: [] });
  });

  it('hand out copies: changing them changes nothing stored', () => {
    const c = new Chain();
    c.deposit(alice, 5);
    const r = c.deposit(alice, 6);
    expect(() => Object.assign(r.outcome, { ok: false })).toThrow(TypeError);
    const [entry] = c.ledger.history(alice, 0, 1).entries;
    Object.assign(entry, { amount: 999n });
    Object.assign(entry.outcome, { ok: false });
    expect(c.ledger.history(alice, 0, 1).entries[0]).toMatchObject({ amount: 5n, outcome: { ok: true } });
  });
});

describe('block discipline', () => {
  it('lastBlock starts at 0 and follows endBlock, which may skip empty blocks', () => {
    const l = newLedger();
    expect(l.lastBlock).toBe(0);
    l.endBlock(3);
    l.deposit({ block: 9, index: 0, ref: `0x${'11'.repeat(32)}` as never }, alice, amt(1));
    l.endBlock(9);
    expect(l.lastBlock).toBe(9);
  });

  it('refuse items of applied blocks, so a replay can never apply an item twice', () => {
    const c = new Chain();
    c.deposit(alice, 5);
    c.endBlock();
    const replay = { block: 1, index: 0, ref: `0x${'22'.repeat(32)}` } as never;
    expect(usageCode(() => c.ledger.deposit(replay, alice, amt(5)))).toBe('BlockOrder');
    expect(usageCode(() => c.ledger.endBlock(1))).toBe('BlockOrder');
    expect(balanceMap(c.ledger, alice)).toEqual({ 0: 5n });
  });

  it('refuse an item of another block while one is open, and encode while open', () => {
    const c = new Chain();
    c.deposit(alice, 5);
    expect(usageCode(() => c.ledger.deposit({ block: 2, index: 0, ref: `0x${'33'.repeat(32)}` } as never, alice, amt(1)))).toBe('BlockOrder');
    expect(usageCode(() => c.ledger.endBlock(2))).toBe('BlockOrder');
    expect(usageCode(() => c.ledger.encode())).toBe('BlockOpen');
    c.endBlock();
    expect(c.ledger.encode()).toBeInstanceOf(Uint8Array);
  });

  it('refuse malformed inputs from the caller before changing anything', () => {
    const l = newLedger();
    const ctx = { block: 1, index: 0, ref: `0x${'44'.repeat(32)}` } as never;
    expect(usageCode(() => l.deposit({ block: 1, index: 0, ref: '0x12' } as never, alice, amt(1)))).toBe('BadArgument');
    expect(usageCode(() => l.deposit({ block: -1, index: 0, ref: `0x${'44'.repeat(32)}` } as never, alice, amt(1)))).toBe('BadArgument');
    expect(usageCode(() => l.deposit(ctx, 'alice' as AccountId, amt(1)))).toBe('BadArgument');
    expect(usageCode(() => l.deposit(ctx, alice, amt(U128_MAX + 1n)))).toBe('BadArgument');
    expect(usageCode(() => l.apply(ctx, acct(1).toUpperCase() as AccountId, null))).toBe('BadArgument');
    expect(usageCode(() => l.history(alice, -1, 10))).toBe('BadArgument');
    expect(usageCode(() => Ledger.create({ contractId: CONTRACT, native: { ...NATIVE, symbol: '' } }))).toBe('BadArgument');
    expect(l.encode()).toEqual(newLedger().encode());
  });
});
