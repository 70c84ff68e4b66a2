/**
 * The two X25519 backends (WebCrypto and @noble/curves) must give the same bytes: the extension may
 * seal with one and the enclave open with the other. Checked against RFC 7748 and node:crypto too.
 */
import { createPrivateKey, createPublicKey, diffieHellman } from 'node:crypto';
import fc from 'fast-check';
import { nobleX25519, webCryptoX25519, x25519Backend, type X25519Backend } from '../../../shared/crypto/x25519';
import { fromHex, toHex } from '../../../shared/types';
import { expectRejects } from './expect-error';

const web = webCryptoX25519();
if (!web) throw new Error('Node 20 has WebCrypto: webCryptoX25519() must not be null here');
const BACKENDS: X25519Backend[] = [web, nobleX25519];
const agree = async (b: X25519Backend, secret: Uint8Array, peer: Uint8Array) => (await b.prepare(secret))(peer);

/** node:crypto (OpenSSL) as a third opinion, independent of our wrappers. */
function nodeAgree(secret: Uint8Array, peer: Uint8Array): Uint8Array {
  const privateKey = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), secret]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b656e032100', 'hex'), peer]), format: 'der', type: 'spki' });
  return new Uint8Array(diffieHellman({ privateKey, publicKey }));
}
function nodePublic(secret: Uint8Array): Uint8Array {
  const privateKey = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), secret]), format: 'der', type: 'pkcs8' });
  const der = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(der.length - 32));
}

const P = (1n << 255n) - 19n;
const le32 = (v: bigint) => {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((v >> BigInt(8 * i)) & 0xffn);
  return out;
};
/**
 * The small-order u-coordinates of Curve25519 (0, 1, the two points of order 8, p-1) plus their
 * non-canonical encodings (u+p where it fits in 255 bits) and all of those with the ignored top bit set.
 */
const fromLe = (hex: string) => fromHex(hex).reduceRight((v, byte) => (v << 8n) | BigInt(byte), 0n);
/** The two points of order 8, as the little-endian byte strings usually quoted (e.g. libsodium's blocklist). */
const ORDER8 = [
  fromLe('0xe0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800'),
  fromLe('0x5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157'),
];
const SMALL_ORDER = [0n, 1n, ...ORDER8, P - 1n, P, P + 1n];
const LOW_ORDER_KEYS = SMALL_ORDER.flatMap((u) => [le32(u), le32(u | (1n << 255n))]);

describe('RFC 7748 test vectors on both backends', () => {
  // §6.1 Diffie-Hellman
  const a = fromHex('0x77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
  const A = fromHex('0x8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
  const b = fromHex('0x5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
  const B = fromHex('0xde9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
  const K = '0x4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';

  test.each(BACKENDS.map((x) => [x.name, x] as const))('%s: §6.1 public keys and shared secret', async (_n, x) => {
    expect(await x.publicKey(a)).toStrictEqual(A);
    expect(await x.publicKey(b)).toStrictEqual(B);
    expect(toHex(await agree(x, a, B))).toBe(K);
    expect(toHex(await agree(x, b, A))).toBe(K);
  });

  // §5.2 scalar multiplication; the second input u has its top bit set, which must be ignored
  test.each(BACKENDS.map((x) => [x.name, x] as const))('%s: §5.2 scalar multiplication vectors', async (_n, x) => {
    expect(toHex(await agree(x,
      fromHex('0xa546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4'),
      fromHex('0xe6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c'))))
      .toBe('0xc3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552');
    expect(toHex(await agree(x,
      fromHex('0x4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d'),
      fromHex('0xe5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493'))))
      .toBe('0x95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957');
  });
});

describe('WebCrypto and noble agree', () => {
  test('on public keys and shared secrets for random key pairs (and with node:crypto)', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), async (s1, s2) => {
      const [p1w, p1n, p2w, p2n] = await Promise.all([web.publicKey(s1), nobleX25519.publicKey(s1), web.publicKey(s2), nobleX25519.publicKey(s2)]);
      expect(p1w).toStrictEqual(p1n);
      expect(p2w).toStrictEqual(p2n);
      expect(p1w).toStrictEqual(nodePublic(s1));
      const k = await agree(web, s1, p2w);
      expect(await agree(nobleX25519, s1, p2w)).toStrictEqual(k);
      expect(await agree(web, s2, p1w)).toStrictEqual(k);
      expect(await agree(nobleX25519, s2, p1w)).toStrictEqual(k);
      expect(nodeAgree(s1, p2w)).toStrictEqual(k);
    }), { numRuns: 100 });
  });

  test('on arbitrary 32-byte peer keys (top bit set, u >= p): same secret, or both refuse with BadKey', async () => {
    const peer = fc.oneof(
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.bigInt({ min: P, max: (1n << 255n) - 1n }).map(le32),
      fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => { const c = b.slice(); c[31] |= 0x80; return c; }),
    );
    await fc.assert(fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), peer, async (s, pub) => {
      let viaWeb: Uint8Array | Error;
      let viaNoble: Uint8Array | Error;
      try { viaWeb = await agree(web, s, pub); } catch (e) { viaWeb = e as Error; }
      try { viaNoble = await agree(nobleX25519, s, pub); } catch (e) { viaNoble = e as Error; }
      expect(viaWeb).toStrictEqual(viaNoble);
    }), { numRuns: 100 });
  });
});

describe('invalid keys are BadKey on both backends', () => {
  test('the list holds 14 distinct encodings', () => {
    expect(new Set(LOW_ORDER_KEYS.map(toHex)).size).toBe(14);
  });

  test.each(BACKENDS.map((x) => [x.name, x] as const))('%s: every low-order public key is refused (all-zero shared secret)', async (_n, x) => {
    const secrets = [new Uint8Array(32).fill(1), fromHex('0x77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a')];
    for (const secret of secrets) {
      const derive = await x.prepare(secret);
      for (const pub of LOW_ORDER_KEYS) await expectRejects(() => derive(pub), 'BadKey');
    }
  });

  test.each(BACKENDS.map((x) => [x.name, x] as const))('%s: keys that are not 32 bytes are refused', async (_n, x) => {
    for (const n of [0, 31, 33, 64]) {
      await expectRejects(() => x.publicKey(new Uint8Array(n).fill(7)), 'BadKey');
      await expectRejects(() => x.prepare(new Uint8Array(n).fill(7)), 'BadKey');
      const derive = await x.prepare(new Uint8Array(32).fill(7));
      await expectRejects(() => derive(new Uint8Array(n).fill(9)), 'BadKey');
    }
    await expectRejects(() => x.publicKey('0x01' as unknown as Uint8Array), 'BadKey');
  });
});

describe('backend selection', () => {
  test('Node 20 performs X25519 in WebCrypto, so the fast backend is chosen', async () => {
    expect((await x25519Backend()).name).toBe('webcrypto');
  });

  test('without WebCrypto the noble backend is chosen, and it still produces RFC 7748 bytes', async () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'crypto')!;
    let isolated!: typeof import('../../../shared/crypto/x25519');
    Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true, writable: true });
    try {
      jest.isolateModules(() => {
        isolated = require('../../../shared/crypto/x25519');
      });
      expect(isolated.webCryptoX25519()).toBeNull();
      const chosen = await isolated.x25519Backend();
      expect(chosen.name).toBe('noble');
      expect(toHex(await chosen.publicKey(fromHex('0x77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'))))
        .toBe('0x8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    } finally {
      Object.defineProperty(globalThis, 'crypto', saved);
    }
  });
});

describe('ephemeral key pairs', () => {
  test('both backends: an ephemeral pair agrees with the peer on the same secret, and every pair is fresh', async () => {
    const peerSecret = new Uint8Array(32).fill(0x42);
    for (const backend of [nobleX25519, webCryptoX25519()!]) {
      const peerAgree = await backend.prepare(peerSecret);
      const peerPub = await backend.publicKey(peerSecret);
      const a = await backend.ephemeral();
      const b = await backend.ephemeral();
      expect(a.publicKey).toHaveLength(32);
      expect(a.publicKey).not.toEqual(b.publicKey);
      expect(await a.agree(peerPub)).toEqual(await peerAgree(a.publicKey));
    }
  });
});
