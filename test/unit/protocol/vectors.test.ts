/**
 * The committed wire-protocol vectors (test/vectors/protocol.json) are the contract between the
 * extension and the enclave. Here they are (1) recomputed with the current code on both X25519
 * backends and compared byte for byte, (2) opened and decoded with the committed keys, and
 * (3) re-derived independently of our code with node:crypto (X25519, HKDF, ChaCha20-Poly1305, ed25519)
 * plus a hand-written HChaCha20 checked against its draft's test vector.
 */
import { decodeSignedPermit, encodeSignedPermit, permitMessage } from '../../../shared/protocol/permit';
import { permitFromFile } from '../../../shared/protocol/permit-file';
import { createCipheriv, createDecipheriv, createHash, createPrivateKey, createPublicKey, diffieHellman, hkdfSync, sign as nodeSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';
import { verifyAccountSignature } from '../../../shared/crypto/account-signature';
import { verifyDevAttestation } from '../../../shared/crypto/attestation';
import { openBody, openCommand, openEnvelope, openReply, queryAad, type ContractKey } from '../../../shared/crypto/envelope';
import { verifyIdentitySignature } from '../../../shared/crypto/identity';
import { frameHeader, openFrame, sessionIdOf, sessionKeyOf, type Direction } from '../../../shared/crypto/session';
import { nobleX25519, webCryptoX25519, type X25519Backend } from '../../../shared/crypto/x25519';
import { decodeAttestation, encodeAttestation } from '../../../shared/protocol/attestation';
import { COMMAND_BUCKET, decodeCommand, encodeCommand, unpadCommand } from '../../../shared/protocol/command';
import {
  decodeAssetInfo, decodeHistoryEntry, decodeReceipt, encodeAssetInfo, encodeHistoryEntry, encodeReceipt,
} from '../../../shared/protocol/ledger';
import {
  decodeQuery, decodeQueryRequest, decodeQueryResponse, encodeQuery, encodeQueryRequest, encodeQueryResponse,
  type AccountSignature,
} from '../../../shared/protocol/query';
import { depositRef } from '../../../shared/protocol/refs';
import { fromHex, toHex, type AccountId, type Amount, type ContractId, type Hash } from '../../../shared/types';
import { computeVectors, toJson, type Json } from '../../vectors/compute';
import { concat } from './codecs';

// ------------------------------------------------------------------ the committed reference
interface Envelope {
  ephemeralSecret: string; ephemeralPub: string; nonce: string; sharedSecret: string; key: string;
  aad: string; plaintext: string; envelope: string; replyKey?: string;
}
interface Vectors {
  inputs: {
    contractSecret: string; contractPub: string; genesisHash: string; contractId: number; signer: string; accountSeed: string;
    identitySeed: string; identityPub: string; authoritySeed: string; authorityPub: string; sessionSecret: string; sessionPub: string;
  };
  commands: (Envelope & { name: string; command: Json; scale: string })[];
  relayed: (Envelope & { name: string; relayer: string; message?: string; body: Json })[];
  structures: { type: string; name: string; value: Json; scale: string }[];
  deposits: { name: string; blockHash: string; index: number; who: string; amount: string; preimage: string; ref: string }[];
  signatures: {
    signedQuery: { message: string; signature: { scheme: string; bytes: string } };
    openSession: { message: string; signature: { scheme: string; bytes: string } };
    viewPermit: { permit: Json; message: string; signature: { scheme: string; bytes: string }; file: Json };
    receipt: { message: string; signature: string };
    attestation: { message: string; signature: string; report: string };
    workerReportData: string;
  };
  query: Envelope & { request: Json; response: Json; responseScale: string; replyNonce: string; reply: string; replyKey: string };
  session: Envelope & {
    request: Json; replyKey: string; sessionId: string; sessionSalt: string; sessionSharedSecret: string; sessionKey: string;
    frames: { direction: Direction; counter: string; body: string; frame: string }[];
  };
}
const RAW = readFileSync(join(__dirname, '..', '..', 'vectors', 'protocol.json'), 'utf8');
const V = JSON.parse(RAW) as Vectors;
const h = fromHex;
const utf8 = (s: string) => new TextEncoder().encode(s);
const I = V.inputs;
const binding = { genesisHash: h(I.genesisHash), contractId: I.contractId as ContractId, signer: I.signer as AccountId };
const sig = (s: { scheme: string; bytes: string }): AccountSignature => ({ scheme: s.scheme as AccountSignature['scheme'], bytes: h(s.bytes) });

// ------------------------------------------------------------------ independent primitives (node:crypto + HChaCha20)
const X25519_PKCS8 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const X25519_SPKI = Buffer.from('302a300506032b656e032100', 'hex');
const ED25519_PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
const nodeX25519 = (secret: Uint8Array, pub: Uint8Array) => new Uint8Array(diffieHellman({
  privateKey: createPrivateKey({ key: Buffer.concat([X25519_PKCS8, secret]), format: 'der', type: 'pkcs8' }),
  publicKey: createPublicKey({ key: Buffer.concat([X25519_SPKI, pub]), format: 'der', type: 'spki' }),
}));
const nodeX25519Pub = (secret: Uint8Array) => {
  const der = createPublicKey(createPrivateKey({ key: Buffer.concat([X25519_PKCS8, secret]), format: 'der', type: 'pkcs8' }))
    .export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(der.length - 32));
};
const ed25519Key = (seed: Uint8Array) => createPrivateKey({ key: Buffer.concat([ED25519_PKCS8, seed]), format: 'der', type: 'pkcs8' });
const nodeEd25519Pub = (seed: Uint8Array) => {
  const der = createPublicKey(ed25519Key(seed)).export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(der.length - 32));
};
const nodeEd25519Sign = (seed: Uint8Array, msg: Uint8Array) => new Uint8Array(nodeSign(null, msg, ed25519Key(seed)));
/** HKDF-SHA256 with no salt and info = "dark-wallet/v1/<purpose>" | contractPub | peerPub, as DESIGN.md §3 states it. */
const nodeKdf = (purpose: string, shared: Uint8Array, contractPub: Uint8Array, peerPub: Uint8Array, salt: Uint8Array = new Uint8Array(0)) =>
  new Uint8Array(hkdfSync('sha256', shared, salt, concat(utf8(`dark-wallet/v1/${purpose}`), contractPub, peerPub), 32));

function hchacha20(key: Uint8Array, nonce16: Uint8Array): Uint8Array {
  const s = new Uint32Array(16);
  s.set([0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]);
  const kv = new DataView(key.buffer, key.byteOffset, 32);
  const nv = new DataView(nonce16.buffer, nonce16.byteOffset, 16);
  for (let i = 0; i < 8; i++) s[4 + i] = kv.getUint32(4 * i, true);
  for (let i = 0; i < 4; i++) s[12 + i] = nv.getUint32(4 * i, true);
  const rotl = (x: number, n: number) => (x << n) | (x >>> (32 - n));
  const qr = (a: number, b: number, c: number, d: number) => {
    s[a] += s[b]; s[d] = rotl(s[d] ^ s[a], 16);
    s[c] += s[d]; s[b] = rotl(s[b] ^ s[c], 12);
    s[a] += s[b]; s[d] = rotl(s[d] ^ s[a], 8);
    s[c] += s[d]; s[b] = rotl(s[b] ^ s[c], 7);
  };
  for (let i = 0; i < 10; i++) {
    qr(0, 4, 8, 12); qr(1, 5, 9, 13); qr(2, 6, 10, 14); qr(3, 7, 11, 15);
    qr(0, 5, 10, 15); qr(1, 6, 11, 12); qr(2, 7, 8, 13); qr(3, 4, 9, 14);
  }
  const out = new Uint8Array(32);
  const ov = new DataView(out.buffer);
  [0, 1, 2, 3, 12, 13, 14, 15].forEach((w, i) => ov.setUint32(4 * i, s[w], true));
  return out;
}
/** XChaCha20-Poly1305 = ChaCha20-Poly1305 (RFC 8439, node:crypto) under HChaCha20(key, nonce[0..16]). */
function nodeXChaCha(key: Uint8Array, nonce: Uint8Array) {
  const sub = hchacha20(key, nonce.subarray(0, 16));
  const n12 = concat(new Uint8Array(4), nonce.subarray(16, 24));
  return {
    seal(aad: Uint8Array, pt: Uint8Array): Uint8Array {
      const c = createCipheriv('chacha20-poly1305', sub, n12, { authTagLength: 16 });
      c.setAAD(aad, { plaintextLength: pt.length });
      const ct = concat(c.update(pt), c.final());
      return concat(ct, c.getAuthTag());
    },
    open(aad: Uint8Array, sealed: Uint8Array): Uint8Array {
      const d = createDecipheriv('chacha20-poly1305', sub, n12, { authTagLength: 16 });
      d.setAAD(aad, { plaintextLength: sealed.length - 16 });
      d.setAuthTag(sealed.subarray(sealed.length - 16));
      return concat(d.update(sealed.subarray(0, sealed.length - 16)), d.final());
    },
  };
}

const web = webCryptoX25519()!;
const BACKENDS: X25519Backend[] = [web, nobleX25519];
const contractKeyOn = async (b: X25519Backend): Promise<ContractKey> =>
  ({ publicKey: await b.publicKey(h(I.contractSecret)), agree: await b.prepare(h(I.contractSecret)) });

beforeAll(() => cryptoWaitReady());

// ------------------------------------------------------------------ 1. recomputation
describe('recomputed with the current code equals the committed vectors', () => {
  const sections = ['inputs', 'commands', 'relayed', 'structures', 'deposits', 'signatures', 'query', 'session'] as const;

  test('WebCrypto X25519 (the backend Node and Chromium pick)', async () => {
    const now = (await computeVectors()) as Record<string, Json>;
    const committed = JSON.parse(RAW) as Record<string, Json>;
    for (const s of sections) expect([s, now[s]]).toStrictEqual([s, committed[s]]);
    expect(now).toStrictEqual(committed);
  });

  test('noble X25519 (the backend of runtimes without WebCrypto X25519)', async () => {
    let now: Json = null;
    await jest.isolateModulesAsync(async () => {
      const saved = Object.getOwnPropertyDescriptor(globalThis, 'crypto')!;
      Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true, writable: true });
      try {
        const x25519: typeof import('../../../shared/crypto/x25519') = require('../../../shared/crypto/x25519');
        expect((await x25519.x25519Backend()).name).toBe('noble');
      } finally {
        Object.defineProperty(globalThis, 'crypto', saved);
      }
      // A second, isolated copy of @polkadot/* is expected here; its duplicate-package warning is not.
      const warn = console.warn;
      const spy = jest.spyOn(console, 'warn').mockImplementation((...a: unknown[]) => {
        if (!String(a[0]).includes('has multiple versions')) warn(...a);
      });
      let compute: typeof import('../../vectors/compute');
      try {
        compute = require('../../vectors/compute');
      } finally {
        spy.mockRestore();
      }
      const x25519: typeof import('../../../shared/crypto/x25519') = require('../../../shared/crypto/x25519');
      expect((await x25519.x25519Backend()).name).toBe('noble'); // the very module instance compute uses
      now = await compute.computeVectors();
    });
    expect(now).toStrictEqual(JSON.parse(RAW));
  });

  test('the committed file is exactly what generate.ts prints (no hand edits)', () => {
    expect(RAW).toBe(`${JSON.stringify(JSON.parse(RAW), null, 2)}\n`);
  });
});

// ------------------------------------------------------------------ 2. independent checks of the primitives used
describe('independent primitives agree with their published vectors', () => {
  test('HChaCha20 (draft-irtf-cfrg-xchacha §2.2.1)', () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => i);
    expect(toHex(hchacha20(key, h('0x000000090000004a0000000031415927'))))
      .toBe('0x82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc');
  });

  test('RFC 7748 §6.1 through node:crypto and both backends', async () => {
    const a = h('0x77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    const B = h('0xde9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    const K = '0x4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
    expect(toHex(nodeX25519(a, B))).toBe(K);
    for (const b of BACKENDS) expect(toHex(await (await b.prepare(a))(B))).toBe(K);
  });

  test('node XChaCha20-Poly1305 and @noble/ciphers agree on random inputs', () => {
    for (let i = 0; i < 50; i++) {
      const [key, nonce, aad, pt] = [32, 24, i % 70, i * 7].map((n) => new Uint8Array(n).map(() => Math.floor(Math.random() * 256)));
      const viaNode = nodeXChaCha(key, nonce).seal(aad, pt);
      expect(viaNode).toStrictEqual(xchacha20poly1305(key, nonce, aad).encrypt(pt));
    }
  });
});

describe('committed inputs are consistent', () => {
  test('public keys follow from the committed secrets (node:crypto and both backends)', async () => {
    expect(toHex(nodeX25519Pub(h(I.contractSecret)))).toBe(I.contractPub);
    expect(toHex(nodeX25519Pub(h(I.sessionSecret)))).toBe(I.sessionPub);
    for (const b of BACKENDS) expect(toHex(await b.publicKey(h(I.contractSecret)))).toBe(I.contractPub);
    expect(toHex(nodeEd25519Pub(h(I.identitySeed)))).toBe(I.identityPub);
    expect(toHex(nodeEd25519Pub(h(I.authoritySeed)))).toBe(I.authorityPub);
    expect(toHex(nodeEd25519Pub(h(I.accountSeed)))).toBe(I.signer);
  });
});

// ------------------------------------------------------------------ 3a. relayed commands and dummies
describe.each(V.relayed.map((c) => [c.name, c] as const))('envelope form %s', (_name, v) => {
  const relayBinding = { ...binding, signer: v.relayer as AccountId };

  test.each(BACKENDS.map((b) => [b.name, b] as const))('has the one envelope size and opens (%s), bound to the relayer, to the committed body', async (_b, backend) => {
    expect(h(v.envelope).length).toBe(329);
    expect(toJson(await openBody(await contractKeyOn(backend), relayBinding, h(v.envelope)))).toStrictEqual(v.body);
    await expect(openBody(await contractKeyOn(backend), binding, h(v.envelope))).rejects.toMatchObject({ code: 'DecryptFailed' });
  });

  test('the user signature verifies over the committed relay message', () => {
    const body = v.body as { kind: string; relayed?: { user: string; signature: { scheme: string; bytes: string } } };
    if (body.relayed === undefined) return expect(v.message).toBeUndefined();
    expect(verifyAccountSignature(body.relayed.user as AccountId, sig(body.relayed.signature), h(v.message!))).toBe(true);
  });
});

// ------------------------------------------------------------------ 3. commands
describe.each(V.commands.map((c) => [c.name, c] as const))('command %s', (_name, v) => {
  test('is a 329-byte envelope: version 1 | ephemeralPub | nonce | 256-byte ciphertext | tag', () => {
    const env = h(v.envelope);
    expect(env.length).toBe(329);
    expect(env[0]).toBe(1);
    expect(toHex(env.subarray(1, 33))).toBe(v.ephemeralPub);
    expect(toHex(env.subarray(33, 57))).toBe(v.nonce);
    expect(h(v.plaintext).length).toBe(COMMAND_BUCKET);
  });

  test.each(BACKENDS.map((b) => [b.name, b] as const))('opens with the committed contract key (%s) to the committed command', async (_b, backend) => {
    const cmd = await openCommand(await contractKeyOn(backend), binding, h(v.envelope));
    expect(toJson(cmd)).toStrictEqual(v.command);
  });

  test('its SCALE bytes and padded plaintext decode to the command', () => {
    expect(toJson(decodeCommand(h(v.scale)))).toStrictEqual(v.command);
    expect(toJson(unpadCommand(h(v.plaintext)))).toStrictEqual(v.command);
    expect(toHex(encodeCommand(decodeCommand(h(v.scale))))).toBe(v.scale);
    expect(h(v.plaintext)).toStrictEqual(concat(h(v.scale), new Uint8Array(COMMAND_BUCKET - h(v.scale).length)));
  });

  test('re-derived with node:crypto alone: X25519 both ways, HKDF, AAD, XChaCha20-Poly1305 ciphertext', () => {
    const shared = nodeX25519(h(v.ephemeralSecret), h(I.contractPub));
    expect(toHex(shared)).toBe(v.sharedSecret);
    expect(nodeX25519(h(I.contractSecret), h(v.ephemeralPub))).toStrictEqual(shared);
    expect(toHex(nodeX25519Pub(h(v.ephemeralSecret)))).toBe(v.ephemeralPub);
    const key = nodeKdf('command', shared, h(I.contractPub), h(v.ephemeralPub));
    expect(toHex(key)).toBe(v.key);
    const cid = new Uint8Array(4);
    new DataView(cid.buffer).setUint32(0, I.contractId, true);
    const aad = concat(Uint8Array.of(1), h(I.genesisHash), cid, h(I.signer));
    expect(toHex(aad)).toBe(v.aad);
    const env = h(v.envelope);
    expect(nodeXChaCha(key, h(v.nonce)).seal(aad, h(v.plaintext))).toStrictEqual(env.subarray(57));
    expect(nodeXChaCha(key, h(v.nonce)).open(aad, env.subarray(57))).toStrictEqual(h(v.plaintext));
  });
});

// ------------------------------------------------------------------ 4. structures
const DECODE: Record<string, [(b: Uint8Array) => unknown, (v: never) => Uint8Array]> = {
  HistoryEntry: [decodeHistoryEntry, encodeHistoryEntry],
  AssetInfo: [decodeAssetInfo, encodeAssetInfo],
  WithdrawReceipt: [decodeReceipt, encodeReceipt],
  AttestationReport: [decodeAttestation, encodeAttestation],
  Query: [decodeQuery, encodeQuery],
  QueryRequest: [decodeQueryRequest, encodeQueryRequest],
  QueryResponse: [decodeQueryResponse, encodeQueryResponse],
  SignedPermit: [decodeSignedPermit, encodeSignedPermit],
};

describe('structures', () => {
  test('every wire type and every kind has a committed vector', () => {
    const names = new Set(V.structures.map((s) => `${s.type}.${(s.value as { kind?: string }).kind ?? ''}`));
    for (const k of ['Balances', 'History', 'Receipt', 'AssetInfo', 'Assets', 'AuditBalances', 'AuditHistory']) expect(names).toContain(`Query.${k}`);
    for (const k of ['Public', 'Signed', 'OpenSession']) expect(names).toContain(`QueryRequest.${k}`);
    for (const k of ['Balances', 'History', 'Receipt', 'AssetInfo', 'Assets', 'Session', 'Error']) expect(names).toContain(`QueryResponse.${k}`);
    const types = new Set(V.structures.map((s) => s.type));
    for (const t of ['HistoryEntry', 'AssetInfo', 'WithdrawReceipt', 'AttestationReport', 'SignedPermit']) expect(types).toContain(t);
    expect(new Set(V.commands.map((c) => (c.command as { kind: string }).kind))).toEqual(new Set(['Transfer', 'Withdraw', 'Issue', 'Mint', 'Burn', 'RevokePermit']));
  });

  test.each(V.structures.map((s) => [`${s.type} ${s.name}`, s] as const))('%s decodes to the committed value and re-encodes identically', (_n, s) => {
    const [decode, encode] = DECODE[s.type];
    const value = decode(h(s.scale));
    expect(toJson(value)).toStrictEqual(s.value);
    expect(toHex(encode(value as never))).toBe(s.scale);
  });
});

// ------------------------------------------------------------------ 4b. deposit refs
describe.each(V.deposits.map((d) => [d.name, d] as const))('deposit ref %s', (_name, d) => {
  test('is blake2-256("dark-wallet/v1/deposit" | blockHash | index u32 LE | who | amount u128 LE), re-derived with @polkadot/util-crypto', () => {
    const index = new Uint8Array(4);
    new DataView(index.buffer).setUint32(0, d.index, true);
    const amount = new Uint8Array(16);
    for (let i = 0, v = BigInt(d.amount); i < 16; i++, v >>= 8n) amount[i] = Number(v & 0xffn);
    const preimage = concat(utf8('dark-wallet/v1/deposit'), h(d.blockHash), index, h(d.who), amount);
    expect(toHex(preimage)).toBe(d.preimage);
    expect(toHex(blake2AsU8a(preimage, 256))).toBe(d.ref);
  });

  test('the shared function both the enclave and the extension call gives the committed ref', () => {
    expect(depositRef(d.blockHash as Hash, d.index, d.who as AccountId, BigInt(d.amount) as Amount)).toBe(d.ref);
  });
});

// ------------------------------------------------------------------ 5. signatures
describe('signatures', () => {
  test('signed query and open session: ed25519 signatures over the bare account message, reproduced by node:crypto', () => {
    // 0xff "dark-wallet" 0x00, then a 16-byte purpose tag; never "<Bytes>", and longer than any extrinsic payload signature covers
    const domain = h('0xff6461726b2d77616c6c657400');
    const tags = { signedQuery: 'v2/query        ', openSession: 'v2/open-session ', viewPermit: 'v2/view-permit  ' };
    for (const [name, s] of [['signedQuery', V.signatures.signedQuery], ['openSession', V.signatures.openSession], ['viewPermit', V.signatures.viewPermit]] as const) {
      const message = h(s.message);
      expect(message.subarray(0, domain.length)).toStrictEqual(domain);
      expect(new TextDecoder().decode(message.subarray(domain.length, domain.length + 16))).toBe(tags[name]);
      expect(message.length).toBeGreaterThan(256);
      expect(verifyAccountSignature(I.signer as AccountId, sig(s.signature), message)).toBe(true);
      expect(s.signature.scheme).toBe('Ed25519');
      expect(nodeEd25519Sign(h(I.accountSeed), message)).toStrictEqual(h(s.signature.bytes));
    }
    expect(verifyAccountSignature(I.signer as AccountId, sig(V.signatures.openSession.signature), h(V.signatures.signedQuery.message))).toBe(false);
    expect(verifyAccountSignature(I.signer as AccountId, sig(V.signatures.viewPermit.signature), h(V.signatures.openSession.message))).toBe(false);
  });

  test('view permit: message = account domain | "v2/view-permit" | genesis | u32 length | SCALE(permit); its file reads back to the signed permit', () => {
    const p = V.signatures.viewPermit;
    const scale = V.structures.find((s) => s.type === 'SignedPermit')!.scale;
    const signed = decodeSignedPermit(h(scale));
    expect(toJson(signed.permit)).toStrictEqual(p.permit);
    expect(toHex(permitMessage(signed.permit))).toBe(p.message);
    expect(toJson(permitFromFile(JSON.stringify(p.file)))).toStrictEqual(toJson(signed));
  });

  test('receipt: message = "dark-wallet/v1/receipt" | genesis | SCALE(receipt), signed by the enclave identity', () => {
    const r = V.signatures.receipt;
    const scale = V.structures.find((s) => s.type === 'WithdrawReceipt')!.scale;
    expect(h(r.message)).toStrictEqual(concat(utf8('dark-wallet/v1/receipt'), h(I.genesisHash), h(scale)));
    expect(verifyIdentitySignature(h(r.signature), h(r.message), h(I.identityPub))).toBe(true);
    expect(nodeEd25519Sign(h(I.identitySeed), h(r.message))).toStrictEqual(h(r.signature));
  });

  test('attestation: the committed report verifies for this chain and authority, and its message is domain | genesis | body', () => {
    const a = V.signatures.attestation;
    const report = decodeAttestation(h(a.report));
    if (report.provider !== 'Dev') throw new Error('the committed attestation is a Dev report');
    expect(verifyDevAttestation(report, h(I.genesisHash), h(I.authorityPub))).toBe(true);
    expect(verifyDevAttestation(report, new Uint8Array(32), h(I.authorityPub))).toBe(false);
    expect(toHex(report.signature)).toBe(a.signature);
    expect(toHex(report.ecdhPub)).toBe(I.contractPub);
    expect(toHex(report.identityPub)).toBe(I.identityPub);
    const body = h(a.report).subarray(0, h(a.report).length - 2 - 64); // SCALE body, then compact(64) = 0x0101 | evidence
    expect([...h(a.report).subarray(body.length, body.length + 2)]).toEqual([0x01, 0x01]);
    expect(h(a.message)).toStrictEqual(concat(utf8('dark-wallet/v1/attestation'), h(I.genesisHash), body));
    expect(nodeEd25519Sign(h(I.authoritySeed), h(a.message))).toStrictEqual(h(a.signature));
    expect(encodeAttestation(report)).toStrictEqual(h(a.report));
  });

  test('hardware report data: SHA-512("dark-wallet/v1/worker" | genesis | contract id u32 LE | identityPub | ecdhPub), by node:crypto', () => {
    const cid = Buffer.alloc(4);
    cid.writeUInt32LE(I.contractId);
    const expected = createHash('sha512').update(concat(utf8('dark-wallet/v1/worker'), h(I.genesisHash), cid, h(I.identityPub), h(I.contractPub))).digest();
    expect(V.signatures.workerReportData).toBe(toHex(expected));
  });
});

// ------------------------------------------------------------------ 6. query envelope and reply
describe('query envelope and reply', () => {
  const q = V.query;
  test.each(BACKENDS.map((b) => [b.name, b] as const))('opens with the contract key (%s) to the signed request, with the committed reply key', async (_b, backend) => {
    const opened = await openEnvelope('query', await contractKeyOn(backend), queryAad(h(I.genesisHash), I.contractId as ContractId), h(q.envelope));
    expect(toHex(opened.plaintext)).toBe(q.plaintext);
    expect(toHex(opened.replyKey)).toBe(q.replyKey);
    expect(toJson(decodeQueryRequest(opened.plaintext))).toStrictEqual(q.request);
  });

  test('the reply opens under the reply key to the committed response', () => {
    const body = openReply(h(q.replyKey), h(q.reply));
    expect(toHex(body)).toBe(q.responseScale);
    expect(toJson(decodeQueryResponse(body))).toStrictEqual(q.response);
  });

  test('re-derived with node:crypto: query key, reply key, AAD, envelope and reply ciphertexts', () => {
    const shared = nodeX25519(h(I.contractSecret), h(q.ephemeralPub));
    expect(toHex(shared)).toBe(q.sharedSecret);
    expect(toHex(nodeKdf('query', shared, h(I.contractPub), h(q.ephemeralPub)))).toBe(q.key);
    expect(toHex(nodeKdf('reply', shared, h(I.contractPub), h(q.ephemeralPub)))).toBe(q.replyKey);
    const cid = new Uint8Array(4);
    new DataView(cid.buffer).setUint32(0, I.contractId, true);
    const aad = concat(Uint8Array.of(1), h(I.genesisHash), cid);
    expect(toHex(aad)).toBe(q.aad);
    const env = h(q.envelope);
    expect(env.subarray(0, 57)).toStrictEqual(concat(Uint8Array.of(1), h(q.ephemeralPub), h(q.nonce)));
    expect(nodeXChaCha(h(q.key), h(q.nonce)).seal(aad, h(q.plaintext))).toStrictEqual(env.subarray(57));
    const reply = h(q.reply);
    expect(toHex(reply.subarray(0, 24))).toBe(q.replyNonce);
    expect(toHex(nodeXChaCha(h(q.replyKey), reply.subarray(0, 24)).open(utf8('dark-wallet/v1/reply'), reply.subarray(24)))).toBe(q.responseScale);
  });
});

// ------------------------------------------------------------------ 7. session
describe('session', () => {
  const s = V.session;
  test('the open-session envelope opens to the committed request, whose signature verifies', async () => {
    for (const backend of BACKENDS) {
      const opened = await openEnvelope('query', await contractKeyOn(backend), queryAad(h(I.genesisHash), I.contractId as ContractId), h(s.envelope));
      expect(toJson(decodeQueryRequest(opened.plaintext))).toStrictEqual(s.request);
    }
    const req = decodeQueryRequest(h(s.plaintext));
    if (req.kind !== 'OpenSession') throw new Error('expected an OpenSession request');
    expect(toHex(req.sessionPub)).toBe(I.sessionPub);
    expect(verifyAccountSignature(req.account, req.signature, h(V.signatures.openSession.message))).toBe(true);
  });

  test('both sides derive the committed session id and key', async () => {
    expect(toHex(sessionIdOf(h(I.sessionPub)))).toBe(s.sessionId);
    for (const backend of BACKENDS) {
      const enclaveShared = await (await contractKeyOn(backend)).agree(h(I.sessionPub));
      expect(toHex(enclaveShared)).toBe(s.sessionSharedSecret);
      expect(toHex(sessionKeyOf(enclaveShared, h(I.contractPub), h(I.sessionPub), h(s.sessionSalt)))).toBe(s.sessionKey);
    }
    expect(toHex(nodeX25519(h(I.sessionSecret), h(I.contractPub)))).toBe(s.sessionSharedSecret);
    expect(toHex(nodeKdf('session', h(s.sessionSharedSecret), h(I.contractPub), h(I.sessionPub), h(s.sessionSalt)))).toBe(s.sessionKey);
  });

  test.each(V.session.frames.map((f) => [f.direction, f] as const))('the %s frame opens to its body, and only in its direction', (_d, f) => {
    const frame = h(f.frame);
    expect(frameHeader(frame)).toStrictEqual({ sessionId: h(s.sessionId), counter: BigInt(f.counter) });
    expect(toHex(openFrame(h(s.sessionKey), frame, f.direction))).toBe(f.body);
    expect(() => openFrame(h(s.sessionKey), frame, f.direction === 'request' ? 'reply' : 'request')).toThrow(expect.objectContaining({ code: 'DecryptFailed' }));
  });

  test.each(V.session.frames.map((f) => [f.direction, f] as const))('the %s frame re-derived with node:crypto: nonce = dir | counter | 0…, AAD = header | dir', (_d, f) => {
    const frame = h(f.frame);
    const header = frame.subarray(0, 24);
    const dir = f.direction === 'request' ? 0 : 1;
    const counter = new Uint8Array(8);
    new DataView(counter.buffer).setBigUint64(0, BigInt(f.counter), true);
    expect(header).toStrictEqual(concat(h(s.sessionId), counter));
    const nonce = concat(Uint8Array.of(dir), counter, new Uint8Array(15));
    expect(nodeXChaCha(h(s.sessionKey), nonce).seal(concat(header, Uint8Array.of(dir)), h(f.body))).toStrictEqual(frame.subarray(24));
  });
});
