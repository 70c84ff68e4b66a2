/**
 * The session table's bounds hold against a flood: throw-away keys cannot lock anyone out, one
 * account cannot take more than its share, and nobody can spend another account's opening budget.
 * Real enclaves, real ed25519 / sr25519 signatures, real X25519.
 */
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { randomBytes } from '@noble/hashes/utils.js';
import { u8aToHex, u8aWrapBytes } from '@polkadot/util';
import type { Enclave } from '../../../contract/enclave';
import { isProtocolError } from '../../../shared/errors';
import { openSessionMessage, type QueryResponse } from '../../../shared/protocol/query';
import { NOW, accounts, ask, idOf, newEnclave, openSession, openSessionRequest, target, thrown, type Accounts } from './helpers';

let acc: Accounts;
beforeAll(async () => {
  acc = await accounts();
});

const errorOf = (code: string): QueryResponse => ({ kind: 'Error', code } as QueryResponse);
const throwAway = (n: number): KeyringPair[] => {
  const ed = new Keyring({ type: 'ed25519' }); // ed25519: the cheapest keys an attacker can make
  return Array.from({ length: n }, () => ed.addFromSeed(randomBytes(32)));
};
const unknownSession = async (e: Enclave, frame: Uint8Array, now = NOW) =>
  isProtocolError(await thrown(() => e.handleSessionQuery(frame, now)), 'UnknownSession');

describe('session flood', () => {
  it('sessions opened by 3x capacity throw-away keys: a victim still opens a session and is answered', async () => {
    const e = await newEnclave(undefined, { sessions: { capacity: 40 } });
    for (const pair of throwAway(120)) expect((await openSession(e, pair, NOW, 60_000)).id).toBeDefined();
    expect(e.counts().sessions).toBe(40);
    const victim = await openSession(e, acc.alice, NOW, 60_000);
    expect(victim.ask(e, { kind: 'Balances' })).toEqual({ kind: 'Balances', balances: [] });
  });

  it('evicts the least recently used session: one its owner keeps using outlives a flood smaller than the table', async () => {
    const e = await newEnclave(undefined, { sessions: { capacity: 30 } });
    const used = await openSession(e, acc.alice, NOW, 60_000);
    const idle = await openSession(e, acc.bob, NOW, 60_000);
    const flood = throwAway(40);
    for (const [i, pair] of flood.entries()) {
      await openSession(e, pair, NOW, 60_000);
      if (i % 10 === 0) expect(used.ask(e, { kind: 'Balances' }).kind).toBe('Balances');
    }
    expect(used.ask(e, { kind: 'Balances' }).kind).toBe('Balances');
    expect(await unknownSession(e, idle.frame({ kind: 'Balances' }))).toBe(true);
    // the evicted owner just opens again
    expect((await openSession(e, acc.bob, NOW, 60_000)).ask(e, { kind: 'Balances' }).kind).toBe('Balances');
  });

  it('an evicted session replayed by the host comes back under a new key: recorded frames do not open', async () => {
    const e = await newEnclave(undefined, { sessions: { capacity: 2 } });
    const { request, keyFor } = await openSessionRequest(e, acc.alice, NOW + 60_000);
    const first = await ask(e, request);
    if (first.kind !== 'Session') throw new Error(first.kind);
    for (const pair of throwAway(2)) await openSession(e, pair, NOW, 60_000);
    const replayed = await ask(e, request);
    if (replayed.kind !== 'Session') throw new Error(replayed.kind);
    expect(replayed.salt).not.toEqual(first.salt);
    expect(keyFor(replayed.salt)).not.toEqual(keyFor(first.salt));
  });
});

describe('per-account bounds', () => {
  it('one account keeps at most `perAccount` sessions: a new one replaces its own least recently used', async () => {
    const e = await newEnclave(undefined, { sessions: { perAccount: 3 } });
    const mine = [];
    for (let i = 0; i < 5; i++) mine.push(await openSession(e, acc.alice, NOW, 60_000));
    expect(e.counts().sessions).toBe(3);
    expect(await unknownSession(e, mine[0].frame({ kind: 'Balances' }))).toBe(true);
    expect(await unknownSession(e, mine[1].frame({ kind: 'Balances' }))).toBe(true);
    for (const s of mine.slice(2)) expect(s.ask(e, { kind: 'Balances' }).kind).toBe('Balances');
    const other = await openSession(e, acc.bob, NOW, 60_000); // other accounts are untouched
    expect(other.ask(e, { kind: 'Balances' }).kind).toBe('Balances');
    expect(e.counts().sessions).toBe(4);
  });

  it('an account that spent its opening budget is refused (TooManySessions) until it refills; others are not', async () => {
    const e = await newEnclave(undefined, { sessions: { openBurst: 3, opensPerMinute: 6 } });
    for (let i = 0; i < 3; i++) await openSession(e, acc.alice, NOW, 60_000);
    expect(await ask(e, (await openSessionRequest(e, acc.alice, NOW + 60_000)).request)).toEqual(errorOf('TooManySessions'));
    expect((await openSession(e, acc.bob, NOW, 60_000)).ask(e, { kind: 'Balances' }).kind).toBe('Balances');
    const later = NOW + 10_000; // 6 per minute: one token back after 10 s
    expect((await ask(e, (await openSessionRequest(e, acc.alice, later + 60_000)).request, later)).kind).toBe('Session');
  });

  it('forged OpenSessions naming a victim do not spend the victim\'s budget', async () => {
    const e = await newEnclave(undefined, { sessions: { openBurst: 2 } });
    const victim = idOf(acc.alice);
    for (const forger of throwAway(10)) {
      const { request } = await openSessionRequest(e, forger, NOW + 60_000);
      expect(await ask(e, { ...request, account: victim })).toEqual(errorOf('BadSignature'));
    }
    expect((await openSession(e, acc.alice, NOW, 60_000)).ask(e, { kind: 'Balances' }).kind).toBe('Balances');
  });
});

describe('permits no other signature can forge', () => {
  it.each(['alice', 'dave'] as const)('%s: a signRaw signature of the OpenSession message is refused as a permit (BadSignature)', async (who) => {
    const e = await newEnclave();
    const pair = acc[who];
    const { request } = await openSessionRequest(e, pair, NOW + 60_000);
    if (request.kind !== 'OpenSession') throw new Error('unreachable');
    const message = openSessionMessage(target(e), request.account, request.sessionPub, request.expiresAt);
    // What any Polkadot wallet's signRaw returns for the hex (or the bytes) of the message.
    for (const signed of [u8aWrapBytes(u8aToHex(message)), u8aWrapBytes(message)]) {
      const viaSignRaw = { ...request, signature: { scheme: request.signature.scheme, bytes: pair.sign(signed) } };
      expect(await ask(e, viaSignRaw)).toEqual(errorOf('BadSignature'));
    }
    expect(e.counts().sessions).toBe(0);
    expect((await ask(e, request)).kind).toBe('Session'); // the real permit still works
  });
});
