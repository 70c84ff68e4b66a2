/**
 * Query sessions: frames under a key both sides derive once, direction-bound and tamper-evident;
 * and the account signatures that open sessions or sign one-shot queries, which must never be
 * interchangeable (real sr25519 and ed25519 keyring pairs).
 */
import fc from 'fast-check';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { TypeRegistry } from '@polkadot/types';
import { hexToU8a, u8aToHex, u8aWrapBytes } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { contractKeyFromSecret, type ContractKey } from '../../../shared/crypto/envelope';
import { frameHeader, openFrame, sealFrame, sessionIdOf, sessionKeyOf, type Direction } from '../../../shared/crypto/session';
import { signAsAccount, verifyAccountSignature } from '../../../shared/crypto/account-signature';
import { nobleX25519, randomSecret, webCryptoX25519 } from '../../../shared/crypto/x25519';
import { ACCOUNT_DOMAIN, ACCOUNT_MESSAGE_MIN_BYTES, isAccountDomainData } from '../../../shared/protocol/domain';
import { openSessionMessage, signedQueryMessage, SESSION_ID_BYTES, type AccountSignature, type Query, type QueryTarget } from '../../../shared/protocol/query';
import { U64_MAX, accountId, type AccountId, type ContractId } from '../../../shared/types';
import { bytes, queryArb, u64 } from './arbitraries';
import { concat } from './codecs';
import { expectThrows } from './expect-error';

let contract: ContractKey;
let sessionKey: Uint8Array;
const SALT = new Uint8Array(32).fill(7);
let sessionId: Uint8Array;

beforeAll(async () => {
  contract = await contractKeyFromSecret(randomSecret());
  const sessionSecret = randomSecret();
  const sessionPub = await nobleX25519.publicKey(sessionSecret);
  sessionId = sessionIdOf(sessionPub);
  sessionKey = sessionKeyOf(await (await nobleX25519.prepare(sessionSecret))(contract.publicKey), contract.publicKey, sessionPub, SALT);
});

describe('session keys', () => {
  test('the enclave salt changes the key: a replayed OpenSession can never re-create an old session key', async () => {
    const sessionSecret = randomSecret();
    const sessionPub = await nobleX25519.publicKey(sessionSecret);
    const shared = await contract.agree(sessionPub);
    const a = sessionKeyOf(shared, contract.publicKey, sessionPub, SALT);
    const b = sessionKeyOf(shared, contract.publicKey, sessionPub, new Uint8Array(32).fill(8));
    expect(a).not.toEqual(b);
    expect(() => sessionKeyOf(shared, contract.publicKey, sessionPub, new Uint8Array(31))).toThrow('32 bytes');
  });

  test('the client (session secret) and the enclave (contract key) derive the same session key, on either backend', async () => {
    const web = webCryptoX25519()!;
    await fc.assert(fc.asyncProperty(bytes(32), async (sessionSecret) => {
      const sessionPub = await web.publicKey(sessionSecret);
      const client = sessionKeyOf(await (await web.prepare(sessionSecret))(contract.publicKey), contract.publicKey, sessionPub, SALT);
      const clientNoble = sessionKeyOf(await (await nobleX25519.prepare(sessionSecret))(contract.publicKey), contract.publicKey, sessionPub, SALT);
      const enclave = sessionKeyOf(await contract.agree(sessionPub), contract.publicKey, sessionPub, SALT);
      expect(client.length).toBe(32);
      expect(clientNoble).toStrictEqual(client);
      expect(enclave).toStrictEqual(client);
    }), { numRuns: 30 });
  });

  test('the session id is 16 bytes, fixed by the session key, different for different keys', () => {
    fc.assert(fc.property(bytes(32), bytes(32), (a, b) => {
      expect(sessionIdOf(a).length).toBe(SESSION_ID_BYTES);
      expect(sessionIdOf(a)).toStrictEqual(sessionIdOf(a.slice()));
      if (Buffer.compare(a, b) !== 0) expect(sessionIdOf(a)).not.toStrictEqual(sessionIdOf(b));
    }));
  });
});

describe('session frames', () => {
  const direction = fc.constantFrom<Direction>('request', 'reply');
  const other = (d: Direction): Direction => (d === 'request' ? 'reply' : 'request');

  test('sealFrame / openFrame round trip; the header carries the session id and the counter', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 500 }), u64(), direction, (body, counter, dir) => {
      const frame = sealFrame(sessionKey, sessionId, counter, dir, body);
      expect(frame.length).toBe(SESSION_ID_BYTES + 8 + body.length + 16);
      expect(frameHeader(frame)).toStrictEqual({ sessionId, counter });
      expect(openFrame(sessionKey, frame, dir)).toStrictEqual(body);
    }), { numRuns: 300 });
  });

  test('a frame cannot be opened in the other direction (a request is never accepted as a reply)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), u64(), direction, (body, counter, dir) => {
      const frame = sealFrame(sessionKey, sessionId, counter, dir, body);
      expectThrows(() => openFrame(sessionKey, frame, other(dir)), 'DecryptFailed');
      expect(sealFrame(sessionKey, sessionId, counter, other(dir), body).subarray(24)).not.toStrictEqual(frame.subarray(24));
    }), { numRuns: 200 });
  });

  test('flipping any bit of a frame (header included) is DecryptFailed', () => {
    const frame = sealFrame(sessionKey, sessionId, 77n, 'request', new Uint8Array(50).fill(3));
    for (let pos = 0; pos < frame.length; pos++) {
      for (let bit = 0; bit < 8; bit++) {
        const bad = frame.slice();
        bad[pos] ^= 1 << bit;
        expectThrows(() => openFrame(sessionKey, bad, 'request'), 'DecryptFailed');
      }
    }
    expect(openFrame(sessionKey, frame, 'request')).toStrictEqual(new Uint8Array(50).fill(3));
  });

  test('a frame under another session key, or too short to hold header and tag, is refused', async () => {
    const frame = sealFrame(sessionKey, sessionId, 1n, 'request', Uint8Array.of(1, 2, 3));
    const otherKey = sessionKey.slice();
    otherKey[31] ^= 0x80;
    expectThrows(() => openFrame(otherKey, frame, 'request'), 'DecryptFailed');
    for (const n of [0, 23, 24, 39]) {
      expectThrows(() => openFrame(sessionKey, frame.subarray(0, n), 'request'), 'Truncated');
      expectThrows(() => frameHeader(frame.subarray(0, n)), 'Truncated');
    }
    const empty = sealFrame(sessionKey, sessionId, 2n, 'reply', new Uint8Array(0));
    expect(empty.length).toBe(40);
    expect(openFrame(sessionKey, empty, 'reply')).toStrictEqual(new Uint8Array(0));
  });

  test('frames read correctly from a view into a larger buffer (as a network read hands them over)', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 9 }), fc.uint8Array({ maxLength: 64 }), u64(), (prefix, body, counter) => {
      const frame = sealFrame(sessionKey, sessionId, counter, 'reply', body);
      const view = concat(prefix, frame, prefix).subarray(prefix.length, prefix.length + frame.length);
      expect(view.byteOffset).toBe(prefix.length);
      expect(frameHeader(view)).toStrictEqual({ sessionId, counter });
      expect(openFrame(sessionKey, view, 'reply')).toStrictEqual(body);
    }), { numRuns: 100 });
  });

  test('the counter is little-endian u64 in bytes 16..24; out-of-range counters and bad session ids are refused', () => {
    const frame = sealFrame(sessionKey, sessionId, 0x0102030405060708n, 'request', new Uint8Array(0));
    expect([...frame.subarray(16, 24)]).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(sealFrame(sessionKey, sessionId, U64_MAX, 'request', new Uint8Array(0)).subarray(16, 24).every((b) => b === 0xff)).toBe(true);
    expectThrows(() => sealFrame(sessionKey, sessionId, -1n, 'request', new Uint8Array(0)), 'OutOfRange');
    expectThrows(() => sealFrame(sessionKey, sessionId, U64_MAX + 1n, 'request', new Uint8Array(0)), 'OutOfRange');
    expectThrows(() => sealFrame(sessionKey, sessionId.subarray(0, 15), 1n, 'request', new Uint8Array(0)), 'BadLength');
    expectThrows(() => sealFrame(sessionKey, concat(sessionId, Uint8Array.of(0)), 1n, 'request', new Uint8Array(0)), 'BadLength');
  });

  test('a different counter changes the ciphertext of the same body (no nonce reuse across counters)', () => {
    const body = new Uint8Array(32);
    const a = sealFrame(sessionKey, sessionId, 1n, 'request', body);
    const b = sealFrame(sessionKey, sessionId, 2n, 'request', body);
    expect(a.subarray(24)).not.toStrictEqual(b.subarray(24));
  });
});

describe('account signatures over query and session messages', () => {
  let pairs: KeyringPair[];
  let target: QueryTarget;
  beforeAll(async () => {
    await cryptoWaitReady();
    pairs = [
      new Keyring({ type: 'sr25519' }).addFromUri('//Alice'),
      new Keyring({ type: 'ed25519' }).addFromUri('//Bob'),
    ];
    target = { genesisHash: new Uint8Array(32).fill(0x0b), contractId: 1 as ContractId, contractPub: contract.publicKey };
  });
  const acct = (p: KeyringPair): AccountId => accountId(p.publicKey);
  const names = ['sr25519', 'ed25519'];
  const sig = (p: KeyringPair): AccountSignature['scheme'] => (p.type === 'sr25519' ? 'Sr25519' : 'Ed25519');

  test.each(names.map((n, i) => [n, i]))('%s: an open-session signature verifies, and never as a signed query', async (_n, i) => {
    const pair = pairs[i as number];
    await fc.assert(fc.asyncProperty(bytes(32), u64(), queryArb(), async (sessionPub, expiresAt, q) => {
      const a = acct(pair);
      const sig = signAsAccount(pair, openSessionMessage(target, a, sessionPub, expiresAt));
      expect(sig.scheme).toBe(pair.type === 'sr25519' ? 'Sr25519' : 'Ed25519');
      expect(verifyAccountSignature(a, sig, openSessionMessage(target, a, sessionPub, expiresAt))).toBe(true);
      expect(verifyAccountSignature(a, sig, signedQueryMessage(target, a, expiresAt, q))).toBe(false);
    }), { numRuns: 8 });
  });

  test.each(names.map((n, i) => [n, i]))('%s: a signed-query signature verifies, and never as an open-session message', async (_n, i) => {
    const pair = pairs[i as number];
    await fc.assert(fc.asyncProperty(bytes(32), u64(), queryArb(), async (sessionPub, issuedAt, q) => {
      const a = acct(pair);
      const sig = signAsAccount(pair, signedQueryMessage(target, a, issuedAt, q));
      expect(verifyAccountSignature(a, sig, signedQueryMessage(target, a, issuedAt, q))).toBe(true);
      expect(verifyAccountSignature(a, sig, openSessionMessage(target, a, sessionPub, issuedAt))).toBe(false);
    }), { numRuns: 8 });
  });

  test.each(names.map((n, i) => [n, i]))('%s: every field is covered: chain, contract, contract key, account, session key, expiry, query', (_n, i) => {
    const pair = pairs[i as number];
    const a = acct(pair);
    const sessionPub = new Uint8Array(32).fill(5);
    const q: Query = { kind: 'History', from: 3, limit: 20 };
    const open = signAsAccount(pair, openSessionMessage(target, a, sessionPub, 1000n));
    const query = signAsAccount(pair, signedQueryMessage(target, a, 1000n, q));
    const otherPub = new Uint8Array(32).fill(6);
    const otherTargets: QueryTarget[] = [
      { ...target, genesisHash: new Uint8Array(32).fill(0x0c) },
      { ...target, contractId: 2 as ContractId },
      { ...target, contractPub: otherPub },
    ];
    const stranger = accountId(new Keyring({ type: 'sr25519' }).addFromUri('//Charlie').publicKey);
    for (const t of otherTargets) {
      expect(verifyAccountSignature(a, open, openSessionMessage(t, a, sessionPub, 1000n))).toBe(false);
      expect(verifyAccountSignature(a, query, signedQueryMessage(t, a, 1000n, q))).toBe(false);
    }
    expect(verifyAccountSignature(a, open, openSessionMessage(target, a, otherPub, 1000n))).toBe(false);
    expect(verifyAccountSignature(a, open, openSessionMessage(target, a, sessionPub, 1001n))).toBe(false);
    expect(verifyAccountSignature(a, query, signedQueryMessage(target, a, 1001n, q))).toBe(false);
    expect(verifyAccountSignature(a, query, signedQueryMessage(target, a, 1000n, { ...q, limit: 21 }))).toBe(false);
    expect(verifyAccountSignature(a, query, signedQueryMessage(target, a, 1000n, { kind: 'Balances' }))).toBe(false);
    // the message names the account, and the signature must come from that account's key
    expect(verifyAccountSignature(stranger, open, openSessionMessage(target, stranger, sessionPub, 1000n))).toBe(false);
    expect(verifyAccountSignature(stranger, open, openSessionMessage(target, a, sessionPub, 1000n))).toBe(false);
    expect(verifyAccountSignature(a, open, openSessionMessage(target, a, sessionPub, 1000n))).toBe(true);
  });

  test.each(names.map((n, i) => [n, i]))('%s: a signRaw signature of the permit (any wrapping) is never a permit', (_n, i) => {
    const pair = pairs[i as number];
    const a = acct(pair);
    const msg = openSessionMessage(target, a, new Uint8Array(32).fill(1), 5n);
    // what every Polkadot wallet's signRaw signs: the data <Bytes>-wrapped, whether sent as hex or bytes
    for (const signed of [u8aWrapBytes(msg), u8aWrapBytes(u8aToHex(msg))]) {
      expect(verifyAccountSignature(a, { scheme: sig(pair), bytes: pair.sign(signed) }, msg)).toBe(false);
    }
    expect(verifyAccountSignature(a, signAsAccount(pair, msg), msg)).toBe(true);
  });

  test.each(names.map((n, i) => [n, i]))('%s: a signPayload signature whose method is the permit is never a permit', (_n, i) => {
    const pair = pairs[i as number];
    const a = acct(pair);
    const msg = openSessionMessage(target, a, new Uint8Array(32).fill(1), 5n);
    const registry = new TypeRegistry();
    registry.setSignedExtensions([]);
    // the raw attack: no signed extensions, the page picks every byte of the method
    const zero = u8aToHex(new Uint8Array(32));
    const payload = registry.createType('ExtrinsicPayload', {
      method: u8aToHex(msg), era: '0x00', nonce: 0, tip: 0, specVersion: 0, transactionVersion: 0, genesisHash: zero, blockHash: zero,
    }, { version: 4 });
    const { signature } = payload.sign(pair);
    const bytes = hexToU8a(signature).subarray(1); // drop the key-type byte polkadot-js prepends
    expect(verifyAccountSignature(a, { scheme: sig(pair), bytes }, msg)).toBe(false);
  });

  test('account messages are longer than any bytes an extrinsic signature covers (256) and start 0xff "dark-wallet" 0x00', () => {
    const a = acct(pairs[0]);
    for (const m of [openSessionMessage(target, a, new Uint8Array(32), 0n), signedQueryMessage(target, a, 0n, { kind: 'Balances' })]) {
      expect(m.length).toBeGreaterThanOrEqual(ACCOUNT_MESSAGE_MIN_BYTES);
      expect(ACCOUNT_MESSAGE_MIN_BYTES).toBe(257);
      expect(m.subarray(0, ACCOUNT_DOMAIN.length)).toStrictEqual(Uint8Array.of(0xff, ...new TextEncoder().encode('dark-wallet'), 0));
      expect(isAccountDomainData(m)).toBe(true);
      expect(isAccountDomainData(u8aWrapBytes(m))).toBe(true);
    }
    // an accountMessage-shaped prefix that is too short (it could be an extrinsic payload) is not accepted for signing
    expectThrows(() => signAsAccount(pairs[0], ACCOUNT_DOMAIN), 'BadSignature');
  });

  test('a mislabelled scheme or a malformed signature is false, never an exception', () => {
    for (const pair of pairs) {
      const a = acct(pair);
      const msg = signedQueryMessage(target, a, 1n, { kind: 'Balances' });
      const sig = signAsAccount(pair, msg);
      const flipped: AccountSignature = { scheme: sig.scheme === 'Sr25519' ? 'Ed25519' : 'Sr25519', bytes: sig.bytes };
      expect(verifyAccountSignature(a, flipped, msg)).toBe(false);
      for (const bytes of [new Uint8Array(0), sig.bytes.subarray(0, 63), concat(sig.bytes, Uint8Array.of(0)), new Uint8Array(64)]) {
        expect(verifyAccountSignature(a, { scheme: sig.scheme, bytes }, msg)).toBe(false);
      }
    }
  });

  test('only sr25519 and ed25519 accounts can sign queries (ecdsa is refused with BadSignature)', () => {
    const ecdsa = new Keyring({ type: 'ecdsa' }).addFromUri('//Alice');
    expectThrows(() => signAsAccount(ecdsa, new Uint8Array(8)), 'BadSignature');
  });

  test('the two messages carry different fixed-width purpose tags, so no field values can make them equal', () => {
    const a = acct(pairs[0]);
    const tag = (m: Uint8Array) => new TextDecoder().decode(m.subarray(ACCOUNT_DOMAIN.length, ACCOUNT_DOMAIN.length + 16));
    expect(tag(openSessionMessage(target, a, new Uint8Array(32), 0n))).toBe('v2/open-session ');
    expect(tag(signedQueryMessage(target, a, 0n, { kind: 'Balances' }))).toBe('v2/query        ');
  });
});
