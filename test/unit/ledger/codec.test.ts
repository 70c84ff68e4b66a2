/**
 * The sealed state: encode → decode must give back the same ledger (same bytes, same answers, same
 * next seq), equal states must give equal bytes whatever the order they were built in (the state root
 * of every worker depends on it), and anything else must be refused with a ProtocolError.
 */
import fc from 'fast-check';
import { Ledger, STATE_VERSION, STATE_VERSION_PERMITS, STATE_VERSION_RELAY } from '../../../contract/ledger';
import { ProtocolError } from '../../../shared/errors';
import type { HistoryEntry } from '../../../shared/protocol/ledger';
import { writePermitId, type PermitId } from '../../../shared/protocol/permit';
import { writeHistoryEntry } from '../../../shared/protocol/ledger';
import { writeAccount } from '../../../shared/protocol/primitives';
import { ScaleWriter } from '../../../shared/protocol/scale';
import { accountIdToBytes } from '../../../shared/types';
import type { AccountId } from '../../../shared/types';
import {
  CONTRACT, Chain, NATIVE, PERMITS, acct, amt, asset, burn, fullHistory, issue, mint, newLedger, ref, revoke, transfer, withdraw,
} from './helpers';

const PEOPLE = [1, 2, 3, 4].map(acct);
const [alice, bob, carol, dave] = PEOPLE;

/** A ledger that has seen every kind of item, several blocks and failures. */
function busyChain(): Chain {
  const c = new Chain();
  c.deposit(alice, 1_000);
  c.deposit(bob, 500);
  c.apply(alice, transfer(0, bob, 100));
  c.endBlock();
  c.apply(bob, issue('GOLD', 10_000, 8));
  c.apply(bob, transfer(1, carol, 2_500));
  c.apply(carol, transfer(1, carol, 1));
  c.apply(alice, withdraw(dave, 300));
  c.endBlock();
  c.apply(carol, mint(1, 5));
  c.apply(bob, mint(1, 5));
  c.apply(bob, burn(1, 7));
  c.apply(dave, null);
  c.apply(bob, withdraw(bob, 600));
  c.apply(alice, issue('gold', 1));
  c.apply(alice, withdraw(carol, 1));
  c.endBlock();
  return c;
}

/** Everything a query or the enclave can ask. */
function answers(l: Ledger) {
  const seqs = [0n, 1n, 2n, 3n, 4n];
  return {
    lastBlock: l.lastBlock,
    assets: l.assets(),
    supplies: l.assets().map((a) => l.totalSupply(a.id)),
    balances: PEOPLE.map((p) => l.balances(p)),
    histories: PEOPLE.map((p) => fullHistory(l, p)),
    receipts: seqs.map((s) => [l.receipt(s), l.receiptOwner(s)]),
  };
}

/** How decode failed: the ProtocolError code, or a loud marker for any other kind of error. */
function decodeError(bytes: Uint8Array): string | null {
  try {
    Ledger.decode(bytes);
    return null;
  } catch (e) {
    return e instanceof ProtocolError ? e.code : `not a ProtocolError: ${String(e)}`;
  }
}

describe('round trip', () => {
  it('decode(encode()) gives the same bytes and the same answers', () => {
    const l = busyChain().ledger;
    const bytes = l.encode();
    expect(bytes[0]).toBe(STATE_VERSION);
    const back = Ledger.decode(bytes);
    expect(back.encode()).toEqual(bytes);
    expect(answers(back)).toEqual(answers(l));
  });

  it('receipt seqs continue after a restore and are never reused', () => {
    const c = busyChain();
    expect(c.ledger.receipt(3n)).not.toBeNull();
    c.reseal();
    c.deposit(carol, 50);
    expect(c.apply(carol, withdraw(carol, 10)).receipt?.seq).toBe(4n);
    c.reseal();
    expect(c.apply(carol, withdraw(carol, 10)).receipt?.seq).toBe(5n);
    expect(c.ledger.receipt(1n)?.amount).toBe(300n);
  });

  it('a restored ledger keeps refusing blocks it already applied', () => {
    const c = busyChain();
    const restored = Ledger.decode(c.ledger.encode());
    expect(restored.lastBlock).toBe(3);
    expect(() => restored.deposit({ block: 3, index: 9, ref: ref(99) }, alice, 1n as never)).toThrow('already applied');
  });

  it('the encoding commits to histories, not just balances', () => {
    const a = new Chain();
    const b = new Chain();
    a.deposit(alice, 5);
    b.deposit(alice, 5);
    a.apply(alice, transfer(0, bob, 0));
    b.apply(alice, transfer(0, bob, 9));
    a.endBlock();
    b.endBlock();
    expect(answers(a.ledger).balances).toEqual(answers(b.ledger).balances);
    expect(a.ledger.encode()).not.toEqual(b.ledger.encode());
  });
});

describe('each state in the smallest version that holds it', () => {
  /** A relayed transfer of 1 from `user` (fee 2, paid to `relayer`), its signature taken as verified. */
  const relayed = (c: Chain, user: AccountId, nonce: bigint, relayer = dave) =>
    c.ledger.applyRelayed(c.ctx(), relayer, { user, nonce, fee: amt(2), command: transfer(0, bob, 1) });
  const roundTrips = (l: Ledger) => {
    const bytes = l.encode();
    expect(Ledger.decode(bytes).encode()).toEqual(bytes);
    return bytes;
  };

  it('no revocation and no relay nonce: version 1, whose bytes (and state root) never change', () => {
    const c = busyChain();
    const before = roundTrips(c.ledger);
    expect(before[0]).toBe(STATE_VERSION);
    c.apply(alice, transfer(0, bob, 1)); // a direct command leaves every relay nonce at 0
    c.endBlock();
    expect(roundTrips(c.ledger)[0]).toBe(STATE_VERSION);
  });

  it('a revocation: version 2; a used relay nonce, with or without revocations: version 3', () => {
    const permits = busyChain();
    permits.apply(alice, revoke(PERMITS[0]));
    permits.endBlock();
    expect(roundTrips(permits.ledger)[0]).toBe(STATE_VERSION_PERMITS);

    const relay = busyChain();
    expect(relayed(relay, alice, 0n).outcome.ok).toBe(true);
    relay.endBlock();
    const bytes = roundTrips(relay.ledger);
    expect(bytes[0]).toBe(STATE_VERSION_RELAY);
    expect(Ledger.decode(bytes).relayNonce(alice)).toBe(1n);
    expect(Ledger.decode(bytes).relayNonce(bob)).toBe(0n);

    relay.apply(bob, revoke(PERMITS[1]));
    relay.endBlock();
    const both = Ledger.decode(roundTrips(relay.ledger));
    expect(both.encode()[0]).toBe(STATE_VERSION_RELAY);
    expect([both.isPermitRevoked(bob, PERMITS[1]), both.isPermitRevoked(bob, PERMITS[0]), both.relayNonce(alice)]).toEqual([true, false, 1n]);
  });

  it('a restored ledger keeps refusing a replayed relay nonce', () => {
    const c = busyChain();
    relayed(c, alice, 0n);
    c.reseal();
    expect(relayed(c, alice, 0n).outcome).toEqual({ ok: false, error: 'BadNonce' });
    expect(relayed(c, alice, 1n).outcome.ok).toBe(true);
  });
});

describe('insertion-order independence', () => {
  it('deposits of one block applied in a different order encode identically', () => {
    const ctx = (index: number) => ({ block: 1, index, ref: ref(index + 1) });
    const one = newLedger();
    one.deposit(ctx(0), alice, 10n as never);
    one.deposit(ctx(1), bob, 20n as never);
    one.endBlock(1);
    const two = newLedger();
    two.deposit(ctx(1), bob, 20n as never);
    two.deposit(ctx(0), alice, 10n as never);
    two.endBlock(1);
    expect(two.encode()).toEqual(one.encode());
  });

  it('any permutation of independent items gives the same bytes', () => {
    const items = fc.uniqueArray(fc.tuple(fc.integer({ min: 1, max: 200 }), fc.bigInt(0n, 1n << 100n)), {
      minLength: 1, maxLength: 30, selector: ([who]) => who,
    });
    fc.assert(
      fc.property(items.chain((xs) => fc.tuple(fc.constant(xs), fc.shuffledSubarray(xs, { minLength: xs.length }))), ([xs, shuffled]) => {
        const build = (order: typeof xs) => {
          const l = newLedger();
          for (const [who, amount] of order) l.deposit({ block: 4, index: who, ref: ref(who) }, acct(who), amount as never);
          l.endBlock(4);
          return l.encode();
        };
        expect(build(shuffled)).toEqual(build(xs));
      }),
      { numRuns: 200 },
    );
  });
});

describe('decode refuses damaged input with ProtocolError only', () => {
  const bytes = busyChain().ledger.encode();

  it('every truncation', () => {
    for (let n = 0; n < bytes.length; n++) expect([n, decodeError(bytes.subarray(0, n))]).toEqual([n, 'Truncated']);
  });

  it('any trailing bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), (extra) => {
      const longer = new Uint8Array(bytes.length + extra.length);
      longer.set(bytes);
      longer.set(extra, bytes.length);
      expect(decodeError(longer)).toBe('TrailingBytes');
    }));
  });

  it('an unknown version', () => {
    const other = bytes.slice();
    other[0] = STATE_VERSION_RELAY + 1;
    expect(decodeError(other)).toBe('BadVersion');
  });

  it('flipped or overwritten bytes: refused, or else a state that re-encodes to exactly those bytes', () => {
    const edit = fc.record({ at: fc.nat({ max: bytes.length - 1 }), value: fc.integer({ min: 0, max: 255 }), flip: fc.boolean() });
    fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
      const damaged = bytes.slice();
      for (const e of edits) damaged[e.at] = e.flip ? damaged[e.at] ^ (1 << (e.value & 7)) : e.value;
      let decoded: Ledger;
      try {
        decoded = Ledger.decode(damaged);
      } catch (err) {
        expect(err).toBeInstanceOf(ProtocolError);
        return;
      }
      // Some edits are legal (an amount inside a history entry): then the result must still be canonical.
      expect(decoded.encode()).toEqual(damaged);
    }), { numRuns: 2000 });
  });

  it('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (junk) => {
      expect(decodeError(junk)).not.toMatch(/^not a ProtocolError/);
    }), { numRuns: 1000 });
  });

  it('a name that is not UTF-8', () => {
    const named = Ledger.create({ contractId: CONTRACT, native: { ...NATIVE, name: 'ABCDEF' } }).encode();
    named[Buffer.from(named).indexOf('ABCDEF')] = 0xff;
    expect(decodeError(named)).toBe('OutOfRange');
  });
});

describe('decode refuses states that break ledger invariants', () => {
  interface RawAccount { id: AccountId; balances: [number, bigint][]; history: HistoryEntry[]; relayNonce?: bigint }
  interface Raw {
    version?: number;
    assets: { symbol: string; issuer: AccountId | null; supply: bigint }[];
    accounts: RawAccount[];
    receipts: { sender: AccountId; dest: AccountId; amount: bigint }[];
    /** Version 2 and 3 only. */
    revoked?: [AccountId, PermitId[]][];
    lastBlock: number;
  }
  const deposit = (index: number, amount: bigint): HistoryEntry => ({
    block: 1, index, kind: 'Deposit', direction: 'In', asset: asset(0), counterparty: null, amount: amount as never,
    outcome: { ok: true, receiptSeq: null }, ref: ref(index + 1),
  });
  /** Alice deposited 1 and Bob 2 in block 1: what Chain produces for the same items. */
  const base = (): Raw => ({
    assets: [{ symbol: NATIVE.symbol, issuer: null, supply: 3n }],
    accounts: [
      { id: alice, balances: [[0, 1n]], history: [deposit(0, 1n)] },
      { id: bob, balances: [[0, 2n]], history: [deposit(1, 2n)] },
    ],
    receipts: [],
    lastBlock: 1,
  });
  /** Hand-written encoder following the documented layout, so the tests can write what encode() never would. */
  const build = (raw: Raw): Uint8Array => {
    const w = new ScaleWriter();
    const version = raw.version ?? STATE_VERSION;
    w.u8(version).u32(CONTRACT).u32(raw.lastBlock);
    w.vec(raw.assets, 99, (w2, a) => {
      w2.str(a.symbol, 12).str(a.symbol === NATIVE.symbol ? NATIVE.name : a.symbol, 32).u8(NATIVE.decimals).option(a.issuer, writeAccount).u128(a.supply);
    });
    w.vec(raw.accounts, 99, (w2, acc) => {
      w2.fixed(accountIdToBytes(acc.id), 32);
      w2.vec(acc.balances, 99, (w3, [a, v]) => w3.u32(a).u128(v));
      w2.vec(acc.history, 99, writeHistoryEntry);
      if (version === STATE_VERSION_RELAY) w2.u64(acc.relayNonce ?? 0n);
    });
    w.vec(raw.receipts, 99, (w2, x) => {
      writeAccount(w2, x.sender);
      writeAccount(w2, x.dest);
      w2.u128(x.amount);
    });
    if (version !== STATE_VERSION) {
      w.vec(raw.revoked ?? [], 99, (w2, [owner, ids]) => {
        writeAccount(w2, owner);
        w2.vec(ids, 99, writePermitId);
      });
    }
    return w.finish();
  };

  it('the hand-built base is exactly what the ledger encodes', () => {
    const c = new Chain();
    c.deposit(alice, 1);
    c.deposit(bob, 2);
    c.endBlock();
    expect(build(base())).toEqual(c.ledger.encode());
  });

  it('but accepts assets issued before the symbol rule, whose symbols stay reserved', () => {
    const raw = base();
    // Cyrillic "РНА", and a lower-case "gold": both were issuable before the rule.
    raw.assets.push({ symbol: '\u0420\u041d\u0410', issuer: alice, supply: 0n }, { symbol: 'gold', issuer: bob, supply: 0n });
    const bytes = build(raw);
    const l = Ledger.decode(bytes);
    expect(l.encode()).toEqual(bytes);
    expect(l.assets().map((a) => a.symbol)).toEqual(['PHA', '\u0420\u041d\u0410', 'gold']);
    const c = new Chain(l);
    c.block = 2;
    expect(c.apply(carol, issue('GOLD', 1)).outcome).toEqual({ ok: false, error: 'SymbolTaken' });
    expect(c.apply(carol, issue('\u0420\u041d\u0410', 1)).outcome).toEqual({ ok: false, error: 'InvalidSymbol' });
  });

  const cases: [string, (r: Raw) => void][] = [
    ['accounts out of order', (r) => r.accounts.reverse()],
    ['an account listed twice', (r) => { r.accounts[1] = { ...r.accounts[0] }; r.assets[0].supply = 2n; }],
    ['balances out of asset order', (r) => {
      r.assets.push({ symbol: 'TOK', issuer: alice, supply: 1n });
      r.accounts[0].balances = [[1, 1n], [0, 1n]];
    }],
    ['a zero balance', (r) => r.accounts[0].balances.push([1, 0n]) && r.assets.push({ symbol: 'TOK', issuer: alice, supply: 0n })],
    ['a balance of an asset that does not exist', (r) => r.accounts[0].balances.push([1, 1n])],
    ['a supply above the balances', (r) => { r.assets[0].supply = 4n; }],
    ['a supply below the balances', (r) => { r.assets[0].supply = 2n; }],
    ['a native asset with an issuer', (r) => { r.assets[0].issuer = alice; }],
    ['an issued asset without one', (r) => r.assets.push({ symbol: 'TOK', issuer: null, supply: 0n })],
    ['two symbols equal but for case', (r) => r.assets.push({ symbol: 'pha', issuer: alice, supply: 0n })],
    ['an account without history', (r) => { r.accounts[1].history = []; }],
    ['history from a block not yet ended', (r) => { r.lastBlock = 0; }],
    ['an empty receipt', (r) => r.receipts.push({ sender: alice, dest: bob, amount: 0n })],
    // One state, one encoding: a bigger version than the state needs is a second encoding of it.
    ['a version-2 state without a revocation', (r) => { r.version = STATE_VERSION_PERMITS; }],
    ['a version-3 state whose relay nonces are all 0', (r) => { r.version = STATE_VERSION_RELAY; }],
    ['a revocation by an account without history', (r) => { r.version = STATE_VERSION_PERMITS; r.revoked = [[carol, [PERMITS[0]]]]; }],
  ];

  it('the hand-built versions 2 and 3 decode as the layout says', () => {
    const raw = base();
    raw.version = STATE_VERSION_RELAY;
    raw.accounts[1].relayNonce = 5n;
    const l = Ledger.decode(build(raw));
    expect([l.relayNonce(alice), l.relayNonce(bob), l.isPermitRevoked(alice, PERMITS[0])]).toEqual([0n, 5n, false]);
    expect(l.encode()).toEqual(build(raw));
    raw.revoked = [[alice, [PERMITS[0], PERMITS[2]]]];
    expect(Ledger.decode(build(raw)).isPermitRevoked(alice, PERMITS[2])).toBe(true);
    raw.version = STATE_VERSION_PERMITS;
    expect(Ledger.decode(build(raw)).relayNonce(bob)).toBe(0n);
  });

  it.each(cases)('%s', (_name, damage) => {
    const raw = base();
    damage(raw);
    expect(decodeError(build(raw))).toMatch(/^(OutOfRange|UnknownVariant)$/);
  });
});
