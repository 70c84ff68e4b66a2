/** Queries: only the signer's own data, freshness, sessions with replay protection, hostile bytes as typed errors. */
import fc from 'fast-check';
import { randomBytes } from '@noble/hashes/utils.js';
import { EnclaveSecret, type Enclave } from '../../../contract/enclave';
import { openReply, queryAad, sealEnvelope } from '../../../shared/crypto/envelope';
import { verifyIdentitySignature } from '../../../shared/crypto/identity';
import { sealFrame } from '../../../shared/crypto/session';
import { ProtocolError, isProtocolError } from '../../../shared/errors';
import { QUERY_MAX_AGE_MS, SESSION_MAX_TTL_MS } from '../../../shared/constants';
import { receiptMessage } from '../../../shared/protocol/ledger';
import { decodeQueryResponse, encodeQueryRequest, openSessionMessage, type QueryResponse } from '../../../shared/protocol/query';
import { signAsAccount } from '../../../shared/crypto/account-signature';
import {
  BlockBuilder, CONTRACT, Feeder, GENESIS, NOW, accounts, amt, asset, ask, idOf, newEnclave, openSession, openSessionRequest, seal,
  signedQuery, signedRequest, target, thrown, type Accounts,
} from './helpers';

let acc: Accounts;
let e: Enclave;

beforeAll(async () => {
  acc = await accounts();
  e = await newEnclave();
  const feed = new Feeder();
  const [alice, bob, dave] = [idOf(acc.alice), idOf(acc.bob), idOf(acc.dave)];
  await feed.feed(e, new BlockBuilder().deposit(alice, 1000).deposit(dave, 40));
  await feed.feed(e, new BlockBuilder()
    .push(alice, await seal(e, alice, { kind: 'Withdraw', dest: bob, amount: amt(100) }))
    .push(dave, await seal(e, dave, { kind: 'Withdraw', dest: dave, amount: amt(10) }))
    .push(alice, await seal(e, alice, { kind: 'Issue', symbol: 'SEC', name: 'Secret token', decimals: 3, supply: amt(77) })));
});

const errorOf = (code: string): QueryResponse => ({ kind: 'Error', code } as QueryResponse);

describe('public queries', () => {
  it('answers asset metadata without an account, never supplies and never the issuer', async () => {
    const r = await ask(e, { kind: 'Public', query: { kind: 'Assets' } });
    expect(r).toEqual({ kind: 'Assets', assets: [
      { id: 0, symbol: 'PHA', name: 'Secret PHA', decimals: 12, issuer: null },
      { id: 1, symbol: 'SEC', name: 'Secret token', decimals: 3, issuer: null },
    ] });
    expect(await ask(e, { kind: 'Public', query: { kind: 'AssetInfo', asset: asset(1) } })).toEqual({
      kind: 'AssetInfo', info: { id: 1, symbol: 'SEC', name: 'Secret token', decimals: 3, issuer: null },
    });
    expect(await ask(e, { kind: 'Public', query: { kind: 'AssetInfo', asset: asset(9) } })).toEqual({ kind: 'AssetInfo', info: null });
  });

  it('names the issuer only to the issuer: in its own signed query or session, not in anyone else\'s', async () => {
    const alice = idOf(acc.alice);
    const sec = { id: 1, symbol: 'SEC', name: 'Secret token', decimals: 3 };
    expect(await signedQuery(e, acc.alice, { kind: 'AssetInfo', asset: asset(1) })).toEqual({ kind: 'AssetInfo', info: { ...sec, issuer: alice } });
    expect(await signedQuery(e, acc.bob, { kind: 'AssetInfo', asset: asset(1) })).toEqual({ kind: 'AssetInfo', info: { ...sec, issuer: null } });
    const own = await openSession(e, acc.alice);
    const other = await openSession(e, acc.dave);
    expect(own.ask(e, { kind: 'Assets' })).toMatchObject({ assets: [{ id: 0, issuer: null }, { ...sec, issuer: alice }] });
    expect(other.ask(e, { kind: 'Assets' })).toMatchObject({ assets: [{ id: 0, issuer: null }, { ...sec, issuer: null }] });
  });

  it.each(['Balances', 'History', 'Receipt'] as const)('refuses a Public %s query: NotAuthorized', async (kind) => {
    const query = kind === 'History' ? { kind, from: 0, limit: 10 } : kind === 'Receipt' ? { kind, seq: 1n } : { kind };
    expect(await ask(e, { kind: 'Public', query })).toEqual(errorOf('NotAuthorized'));
  });
});

describe('signed queries', () => {
  it("answers the signer's own balances and history", async () => {
    expect(await signedQuery(e, acc.alice, { kind: 'Balances' })).toEqual({ kind: 'Balances', balances: [{ asset: 0, amount: 900n }, { asset: 1, amount: 77n }] });
    const h = await signedQuery(e, acc.alice, { kind: 'History', from: 1, limit: 60_000 });
    expect(h).toMatchObject({ kind: 'History', total: 3, entries: [{ kind: 'Withdraw' }, { kind: 'Issue' }] });
  });

  it("refuses a signature by Dave over a request naming Alice's account: BadSignature", async () => {
    const forged = signedRequest(e, acc.dave, { kind: 'Balances' }, NOW, idOf(acc.alice));
    expect(await ask(e, forged)).toEqual(errorOf('BadSignature'));
  });

  it('refuses a tampered signature, and a signature for another query, scheme or contract key: BadSignature', async () => {
    const good = signedRequest(e, acc.alice, { kind: 'Balances' });
    if (good.kind !== 'Signed') throw new Error('unreachable');
    const bytes = good.signature.bytes.slice();
    bytes[0] ^= 1;
    expect(await ask(e, { ...good, signature: { ...good.signature, bytes } })).toEqual(errorOf('BadSignature'));
    expect(await ask(e, { ...good, query: { kind: 'History', from: 0, limit: 1 } })).toEqual(errorOf('BadSignature'));
    expect(await ask(e, { ...good, signature: { ...good.signature, scheme: 'Ed25519' } })).toEqual(errorOf('BadSignature'));
    const other = await newEnclave(); // another contract key: Alice's signature names ours
    const { envelope, replyKey } = await sealEnvelope('query', other.contractPub, queryAad(GENESIS, CONTRACT), encodeQueryRequest(good));
    expect(decodeQueryResponse(openReply(replyKey, await other.handleQuery(envelope, NOW)))).toEqual(errorOf('BadSignature'));
  });

  it('refuses a query older or newer than 60 s: Expired', async () => {
    const old = signedRequest(e, acc.alice, { kind: 'Balances' }, NOW - QUERY_MAX_AGE_MS - 1);
    expect(await ask(e, old)).toEqual(errorOf('Expired'));
    const future = signedRequest(e, acc.alice, { kind: 'Balances' }, NOW + QUERY_MAX_AGE_MS + 1);
    expect(await ask(e, future)).toEqual(errorOf('Expired'));
    const edge = signedRequest(e, acc.alice, { kind: 'Balances' }, NOW - QUERY_MAX_AGE_MS);
    expect((await ask(e, edge)).kind).toBe('Balances');
  });

  it("Dave with his own valid signature only ever sees Dave's data", async () => {
    expect(await signedQuery(e, acc.dave, { kind: 'Balances' })).toEqual({ kind: 'Balances', balances: [{ asset: 0, amount: 30n }] });
    const h = await signedQuery(e, acc.dave, { kind: 'History', from: 0, limit: 100 });
    if (h.kind !== 'History') throw new Error(h.kind);
    expect(h.entries.every((x) => x.counterparty === null || x.counterparty === idOf(acc.dave))).toBe(true);
    // Receipt 1 is Alice's withdrawal: to Dave it looks like a receipt that does not exist.
    expect(await signedQuery(e, acc.dave, { kind: 'Receipt', seq: 1n })).toEqual({ kind: 'Receipt', receipt: null, signature: null });
    expect(await signedQuery(e, acc.dave, { kind: 'Receipt', seq: 99n })).toEqual({ kind: 'Receipt', receipt: null, signature: null });
    const own = await signedQuery(e, acc.dave, { kind: 'Receipt', seq: 2n });
    if (own.kind !== 'Receipt' || !own.receipt || !own.signature) throw new Error('expected a receipt');
    expect(own.receipt).toEqual({ contractId: CONTRACT, seq: 2n, dest: idOf(acc.dave), amount: 10n });
    expect(verifyIdentitySignature(own.signature, receiptMessage(GENESIS, own.receipt), e.identityPub)).toBe(true);
    // Bob is the destination of receipt 1, not its withdrawer.
    expect(await signedQuery(e, acc.bob, { kind: 'Receipt', seq: 1n })).toEqual({ kind: 'Receipt', receipt: null, signature: null });
  });

  it('answers an undecodable request inside a valid envelope as a sealed Malformed error', async () => {
    const { envelope, replyKey } = await sealEnvelope('query', e.contractPub, queryAad(GENESIS, CONTRACT), new Uint8Array([7, 1, 2]));
    expect(decodeQueryResponse(openReply(replyKey, await e.handleQuery(envelope, NOW)))).toEqual(errorOf('Malformed'));
  });
});

describe('query sessions', () => {
  it('answers session frames for the session account, with growing counters only', async () => {
    const s = await openSession(e, acc.alice);
    expect(s.ask(e, { kind: 'Balances' })).toEqual({ kind: 'Balances', balances: [{ asset: 0, amount: 900n }, { asset: 1, amount: 77n }] });
    const frame = s.frame({ kind: 'Balances' });
    e.handleSessionQuery(frame, NOW);
    const replay = await thrown(() => e.handleSessionQuery(frame, NOW));
    expect(isProtocolError(replay, 'Replay')).toBe(true);
    const older = s.frame({ kind: 'Balances' }, 1n);
    expect(isProtocolError(await thrown(() => e.handleSessionQuery(older, NOW)), 'Replay')).toBe(true);
    expect(s.ask(e, { kind: 'Assets' }).kind).toBe('Assets'); // counters may skip ahead
    expect(s.ask(e, { kind: 'Receipt', seq: 2n })).toEqual({ kind: 'Receipt', receipt: null, signature: null });
  });

  it('keeps the replay protection when the same session is opened again', async () => {
    const { request, keyFor } = await openSessionRequest(e, acc.bob, NOW + 60_000);
    const first = await ask(e, request);
    if (first.kind !== 'Session') throw new Error(first.kind);
    const frame = sealFrame(keyFor(first.salt), first.sessionId, 1n, 'request', new Uint8Array([0]));
    e.handleSessionQuery(frame, NOW);
    const again = await ask(e, request); // the host replays the OpenSession envelope
    expect(again).toEqual(first);
    expect(isProtocolError(await thrown(() => e.handleSessionQuery(frame, NOW)), 'Replay')).toBe(true);
  });

  it('a restarted enclave fed a recorded OpenSession picks a new salt, so recorded frames no longer open', async () => {
    const contractSecret = randomBytes(32);
    const e = await newEnclave(EnclaveSecret.devOnlyWithContractSecret(contractSecret));
    const { request, keyFor } = await openSessionRequest(e, acc.bob, NOW + 60_000);
    const first = await ask(e, request);
    if (first.kind !== 'Session') throw new Error(first.kind);
    const frame = sealFrame(keyFor(first.salt), first.sessionId, 1n, 'request', new Uint8Array([0]));
    // A second enclave with the same contract key and an empty session table, as after a restart.
    const restarted = await newEnclave(EnclaveSecret.devOnlyWithContractSecret(contractSecret));
    const replayed = await ask(restarted, request);
    if (replayed.kind !== 'Session') throw new Error(replayed.kind);
    expect(replayed.salt).not.toEqual(first.salt);
    expect(isProtocolError(await thrown(() => restarted.handleSessionQuery(frame, NOW)), 'DecryptFailed')).toBe(true);
  });

  it('expires sessions: a sealed Expired answer, then UnknownSession; the host clock cannot go back', async () => {
    const s = await openSession(e, acc.alice, NOW, 1000);
    expect(s.ask(e, { kind: 'Balances' }, NOW + 999).kind).toBe('Balances');
    expect(s.ask(e, { kind: 'Balances' }, NOW + 1000)).toEqual(errorOf('Expired'));
    expect(isProtocolError(await thrown(() => e.handleSessionQuery(s.frame({ kind: 'Balances' }), NOW)), 'UnknownSession')).toBe(true);
    // e's clock is now NOW + 1000: a signed query issued at NOW - 59.5 s is older than 60 s for it.
    const stale = signedRequest(e, acc.alice, { kind: 'Balances' }, NOW - 59_500);
    expect(await ask(e, stale, NOW)).toEqual(errorOf('Expired'));
  });

  it('refuses to open a session with a past or too distant expiry, or a bad signature', async () => {
    const fresh = await newEnclave();
    expect(await ask(fresh, (await openSessionRequest(fresh, acc.alice, NOW)).request)).toEqual(errorOf('Expired'));
    expect(await ask(fresh, (await openSessionRequest(fresh, acc.alice, NOW + SESSION_MAX_TTL_MS + 1)).request)).toEqual(errorOf('Malformed'));
    const { request } = await openSessionRequest(fresh, acc.alice, NOW + 1000);
    if (request.kind !== 'OpenSession') throw new Error('unreachable');
    expect(await ask(fresh, { ...request, account: idOf(acc.bob) })).toEqual(errorOf('BadSignature'));
    expect(await ask(fresh, { ...request, expiresAt: request.expiresAt + 1n })).toEqual(errorOf('BadSignature'));
    expect(fresh.counts().sessions).toBe(0);
  });

  it('refuses a low-order session key and a session id already held by another account', async () => {
    const fresh = await newEnclave();
    const secret = randomBytes(32);
    const alice = await openSessionRequest(fresh, acc.alice, NOW + 1000, secret);
    const dave = await openSessionRequest(fresh, acc.dave, NOW + 1000, secret);
    expect((await ask(fresh, alice.request)).kind).toBe('Session');
    expect(await ask(fresh, dave.request)).toEqual(errorOf('NotAuthorized'));
    const lowOrder = new Uint8Array(32); // the identity point: X25519 with it yields all zeros
    const expiresAt = BigInt(NOW + 1000);
    const signature = signAsAccount(acc.alice, openSessionMessage(target(fresh), idOf(acc.alice), lowOrder, expiresAt));
    const r = await ask(fresh, { kind: 'OpenSession', account: idOf(acc.alice), sessionPub: lowOrder, expiresAt, signature });
    expect(r).toEqual(errorOf('Malformed'));
    expect(fresh.counts().sessions).toBe(1);
  });
});

describe('hostile bytes', () => {
  const isTyped = (err: unknown) => err instanceof ProtocolError;

  it('refuses garbage and truncated query envelopes with a ProtocolError, never another exception', async () => {
    const { envelope } = await sealEnvelope('query', e.contractPub, queryAad(GENESIS, CONTRACT), encodeQueryRequest({ kind: 'Public', query: { kind: 'Assets' } }));
    await fc.assert(fc.asyncProperty(
      fc.oneof(
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: 0, max: envelope.length - 1 }).map((n) => envelope.subarray(0, n)),
        fc.tuple(fc.integer({ min: 0, max: envelope.length - 1 }), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
          const t = envelope.slice();
          t[i] ^= x;
          return t;
        }),
      ),
      async (bytes) => {
        const err = await thrown(() => e.handleQuery(bytes, NOW));
        expect(isTyped(err)).toBe(true);
      },
    ), { numRuns: 300 });
    for (const notBytes of [null, 'text', [1, 2, 3]]) expect(isTyped(await thrown(() => e.handleQuery(notBytes as never, NOW)))).toBe(true);
  });

  it('refuses garbage, truncated and tampered session frames with a ProtocolError', async () => {
    const s = await openSession(e, acc.charlie);
    const frame = s.frame({ kind: 'Balances' });
    await fc.assert(fc.property(
      fc.oneof(
        fc.uint8Array({ maxLength: 100 }),
        fc.integer({ min: 0, max: frame.length - 1 }).map((n) => frame.subarray(0, n)),
        fc.tuple(fc.integer({ min: 0, max: frame.length - 1 }), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
          const t = frame.slice();
          t[i] ^= x;
          return t;
        }),
      ),
      (bytes) => {
        let err: unknown = null;
        try {
          e.handleSessionQuery(bytes, NOW);
        } catch (x) {
          err = x;
        }
        expect(isTyped(err)).toBe(true);
      },
    ), { numRuns: 500 });
    // Nothing of that moved the counter: the untouched frame still answers.
    expect(s.read(e.handleSessionQuery(frame, NOW)).kind).toBe('Balances');
    expect(isTyped(await thrown(() => e.handleSessionQuery(frame, Number.NaN)))).toBe(true);
  });

  it('answers any query body inside a valid frame as a typed reply', async () => {
    const s = await openSession(e, acc.alice);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (body) => {
      const reply = s.read(e.handleSessionQuery(sealFrame(s.key, s.id, ++s.counter, 'request', body), NOW));
      expect(['Balances', 'History', 'Receipt', 'AssetInfo', 'Assets', 'RelayNonce', 'Error']).toContain(reply.kind);
    }), { numRuns: 300 });
  });
});
