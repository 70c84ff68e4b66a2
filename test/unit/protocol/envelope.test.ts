/**
 * Command and query envelopes: fixed 329-byte commands, tamper evidence on every byte, binding to
 * chain / contract / signer, purpose separation, replies, and interop between the X25519 backends.
 */
import fc from 'fast-check';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { COMMAND_ENVELOPE_SIZE, ENVELOPE_VERSION } from '../../../shared/constants';
import {
  commandAad, contractKeyFromSecret, openCommand, openEnvelope, openReply, queryAad, sealCommand, sealEnvelope, sealReply,
  type CommandBinding, type ContractKey,
} from '../../../shared/crypto/envelope';
import { nobleX25519, randomSecret, webCryptoX25519, type X25519Backend } from '../../../shared/crypto/x25519';
import { padCommand, type SecretCommand } from '../../../shared/protocol/command';
import { decodeQueryRequest, encodeQueryRequest } from '../../../shared/protocol/query';
import { accountIdFromBytes, type ContractId } from '../../../shared/types';
import { accountArb, bytes, commandArb, commandArbs, contractIdArb, queryRequestArb } from './arbitraries';
import { concat } from './codecs';
import { expectRejects } from './expect-error';

const bindingArb = (): fc.Arbitrary<CommandBinding> =>
  fc.record({ genesisHash: bytes(32), contractId: contractIdArb(), signer: accountArb() }, { noNullPrototype: true });

let key: ContractKey;
let otherKey: ContractKey;
const binding: CommandBinding = {
  genesisHash: new Uint8Array(32).fill(0x42), contractId: 1 as ContractId, signer: accountIdFromBytes(new Uint8Array(32).fill(0xd4)),
};
beforeAll(async () => {
  key = await contractKeyFromSecret(randomSecret());
  otherKey = await contractKeyFromSecret(randomSecret());
});

const keyOn = async (backend: X25519Backend, secret: Uint8Array): Promise<ContractKey> =>
  ({ publicKey: await backend.publicKey(secret), agree: await backend.prepare(secret) });

describe('command envelopes', () => {
  test(`every command kind seals to exactly ${COMMAND_ENVELOPE_SIZE} bytes and opens to the same command`, async () => {
    await fc.assert(fc.asyncProperty(commandArb(), bindingArb(), async (c, b) => {
      const env = await sealCommand(key.publicKey, b, c);
      expect(env.length).toBe(COMMAND_ENVELOPE_SIZE);
      expect(env[0]).toBe(ENVELOPE_VERSION);
      expect(await openCommand(key, b, env)).toStrictEqual(c);
    }), { numRuns: 150 });
  });

  test.each(Object.keys(commandArbs))('%s: the smallest and the largest encodings give the same envelope size', async (kind) => {
    const samples = fc.sample(commandArbs[kind as keyof typeof commandArbs] as fc.Arbitrary<SecretCommand>, { numRuns: 30, seed: 1 });
    const sizes = new Set<number>();
    for (const c of samples) sizes.add((await sealCommand(key.publicKey, binding, c)).length);
    expect([...sizes]).toEqual([COMMAND_ENVELOPE_SIZE]);
  });

  test('sealing the same command twice gives unrelated envelopes (fresh ephemeral key and nonce)', async () => {
    const c: SecretCommand = { kind: 'Burn', asset: 3 as never, amount: 5n as never };
    const [a, b] = await Promise.all([sealCommand(key.publicKey, binding, c), sealCommand(key.publicKey, binding, c)]);
    expect(a.subarray(1, 33)).not.toStrictEqual(b.subarray(1, 33));
    expect(a.subarray(33, 57)).not.toStrictEqual(b.subarray(33, 57));
    expect(a.subarray(57)).not.toStrictEqual(b.subarray(57));
  });

  test('flipping any single bit of the envelope is refused: BadVersion at byte 0, DecryptFailed elsewhere (exhaustive)', async () => {
    const c: SecretCommand = { kind: 'Transfer', asset: 0 as never, dest: binding.signer, amount: 10n as never };
    const env = await sealCommand(key.publicKey, binding, c);
    const codes = new Map<string, number>();
    for (let pos = 0; pos < env.length; pos++) {
      for (let bit = 0; bit < 8; bit++) {
        const bad = env.slice();
        bad[pos] ^= 1 << bit;
        await expectRejects(() => openCommand(key, binding, bad), pos === 0 ? 'BadVersion' : 'DecryptFailed');
        codes.set(pos === 0 ? 'version' : 'rest', (codes.get(pos === 0 ? 'version' : 'rest') ?? 0) + 1);
      }
    }
    expect(codes.get('rest')).toBe((COMMAND_ENVELOPE_SIZE - 1) * 8);
    expect(await openCommand(key, binding, env)).toStrictEqual(c);
  });

  test('any byte changed to any value, for any command: a ProtocolError, never another error', async () => {
    await fc.assert(fc.asyncProperty(commandArb(), fc.integer({ min: 0, max: COMMAND_ENVELOPE_SIZE - 1 }), fc.integer({ min: 1, max: 255 }), async (c, pos, x) => {
      const env = await sealCommand(key.publicKey, binding, c);
      env[pos] ^= x;
      await expectRejects(() => openCommand(key, binding, env), 'DecryptFailed', 'BadVersion', 'BadKey', 'BadPadding');
    }), { numRuns: 200 });
  });

  test('a low-order ephemeral key is BadKey, not a decryption attempt', async () => {
    const env = await sealCommand(key.publicKey, binding, { kind: 'Mint', asset: 1 as never, amount: 1n as never });
    env.fill(0, 1, 33);
    await expectRejects(() => openCommand(key, binding, env), 'BadKey');
  });

  test('another genesis, contract id or signer in the binding: DecryptFailed', async () => {
    await fc.assert(fc.asyncProperty(
      commandArb(), bindingArb(), bytes(32), contractIdArb(), accountArb(), fc.integer({ min: 0, max: 255 }),
      async (c, b, genesis, cid, signer, bit) => {
        const env = await sealCommand(key.publicKey, b, c);
        const flipped = b.genesisHash.slice();
        flipped[bit >> 3] ^= 1 << (bit & 7);
        const others: CommandBinding[] = [{ ...b, genesisHash: flipped }];
        if (toHexStr(genesis) !== toHexStr(b.genesisHash)) others.push({ ...b, genesisHash: genesis });
        if (cid !== b.contractId) others.push({ ...b, contractId: cid });
        if (signer !== b.signer) others.push({ ...b, signer });
        others.push({ ...b, contractId: ((b.contractId + 1) % 2 ** 32) as ContractId });
        for (const o of others) await expectRejects(() => openCommand(key, o, env), 'DecryptFailed');
        expect(await openCommand(key, b, env)).toStrictEqual(c);
      }), { numRuns: 60 });
  });

  test('sealed to another contract key: DecryptFailed', async () => {
    const env = await sealCommand(otherKey.publicKey, binding, { kind: 'Withdraw', dest: binding.signer, amount: 1n as never });
    await expectRejects(() => openCommand(key, binding, env), 'DecryptFailed');
    expect((await openCommand(otherKey, binding, env)).kind).toBe('Withdraw');
  });

  test('an envelope of the wrong size is BadLength, whatever it holds', async () => {
    const env = await sealCommand(key.publicKey, binding, { kind: 'Mint', asset: 1 as never, amount: 1n as never });
    for (const bad of [new Uint8Array(0), env.subarray(0, 57), env.subarray(0, 200), concat(env, Uint8Array.of(0)), concat(env, env)]) {
      await expectRejects(() => openCommand(key, binding, bad), 'BadLength');
    }
    await expectRejects(() => openCommand(key, binding, Array.from(env) as unknown as Uint8Array), 'BadLength');
  });

  test('a query-purpose envelope of command size, with the command AAD, does not open as a command', async () => {
    const { envelope } = await sealEnvelope('query', key.publicKey, commandAad(binding), padCommand({ kind: 'Burn', asset: 1 as never, amount: 1n as never }));
    expect(envelope.length).toBe(COMMAND_ENVELOPE_SIZE);
    await expectRejects(() => openCommand(key, binding, envelope), 'DecryptFailed');
  });

  test('a bucket with non-zero padding under a valid seal is BadPadding', async () => {
    const bucket = padCommand({ kind: 'Mint', asset: 1 as never, amount: 1n as never });
    bucket[127] = 1;
    const { envelope } = await sealEnvelope('command', key.publicKey, commandAad(binding), bucket);
    await expectRejects(() => openCommand(key, binding, envelope), 'BadPadding');
  });

  test('envelopes sealed with one X25519 backend open with the other', async () => {
    const web = webCryptoX25519()!;
    const secret = randomSecret();
    const [viaWeb, viaNoble] = await Promise.all([keyOn(web, secret), keyOn(nobleX25519, secret)]);
    expect(viaWeb.publicKey).toStrictEqual(viaNoble.publicKey);
    const nobleSeal = await sealWithNobleOnly();
    await fc.assert(fc.asyncProperty(commandArb(), async (c) => {
      const fromWeb = await sealCommand(viaWeb.publicKey, binding, c);
      const fromNoble = await nobleSeal(viaWeb.publicKey, binding, c);
      expect(await openCommand(viaNoble, binding, fromWeb)).toStrictEqual(c);
      expect(await openCommand(viaWeb, binding, fromNoble)).toStrictEqual(c);
      expect(await openCommand(viaNoble, binding, fromNoble)).toStrictEqual(c);
    }), { numRuns: 40 });
  });
});

describe('query envelopes and replies', () => {
  const genesis = new Uint8Array(32).fill(7);
  const cid = 9 as ContractId;

  test('a query opens to the same request, and both sides hold the same reply key', async () => {
    await fc.assert(fc.asyncProperty(queryRequestArb(), async (q) => {
      const sealed = await sealEnvelope('query', key.publicKey, queryAad(genesis, cid), encodeQueryRequest(q));
      const opened = await openEnvelope('query', key, queryAad(genesis, cid), sealed.envelope);
      expect(decodeQueryRequest(opened.plaintext)).toStrictEqual(q);
      expect(opened.replyKey).toStrictEqual(sealed.replyKey);
      expect(opened.replyKey.length).toBe(32);
    }), { numRuns: 60 });
  });

  test('a query is bound to chain and contract, and a command envelope never opens as a query', async () => {
    const sealed = await sealEnvelope('query', key.publicKey, queryAad(genesis, cid), Uint8Array.of(0, 0));
    await expectRejects(() => openEnvelope('query', key, queryAad(new Uint8Array(32), cid), sealed.envelope), 'DecryptFailed');
    await expectRejects(() => openEnvelope('query', key, queryAad(genesis, 10 as ContractId), sealed.envelope), 'DecryptFailed');
    await expectRejects(() => openEnvelope('command', key, queryAad(genesis, cid), sealed.envelope), 'DecryptFailed');
    const cmd = await sealCommand(key.publicKey, binding, { kind: 'Mint', asset: 1 as never, amount: 1n as never });
    await expectRejects(() => openEnvelope('query', key, commandAad(binding), cmd), 'DecryptFailed');
  });

  test('a tampered query envelope is refused with a ProtocolError', async () => {
    const sealed = await sealEnvelope('query', key.publicKey, queryAad(genesis, cid), new Uint8Array(40).fill(1));
    await fc.assert(fc.asyncProperty(fc.nat(), fc.integer({ min: 1, max: 255 }), async (at, x) => {
      const bad = sealed.envelope.slice();
      bad[at % bad.length] ^= x;
      await expectRejects(() => openEnvelope('query', key, queryAad(genesis, cid), bad), 'DecryptFailed', 'BadVersion', 'BadKey');
    }), { numRuns: 200 });
    for (const n of [0, 1, 56, 72]) await expectRejects(() => openEnvelope('query', key, queryAad(genesis, cid), sealed.envelope.subarray(0, n)), 'Truncated');
  });

  test('replies round-trip under the reply key only; tampering and truncation are typed', async () => {
    const { replyKey } = await sealEnvelope('query', key.publicKey, queryAad(genesis, cid), Uint8Array.of(0, 0));
    await fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (body, at, x) => {
      const reply = sealReply(replyKey, body);
      expect(reply.length).toBe(24 + body.length + 16);
      expect(openReply(replyKey, reply)).toStrictEqual(body);
      const bad = reply.slice();
      bad[at % bad.length] ^= x;
      expect(() => openReply(replyKey, bad)).toThrow(expect.objectContaining({ code: 'DecryptFailed' }));
      const wrongKey = replyKey.slice();
      wrongKey[0] ^= 1;
      expect(() => openReply(wrongKey, reply)).toThrow(expect.objectContaining({ code: 'DecryptFailed' }));
    }), { numRuns: 200 });
    expect(() => openReply(replyKey, new Uint8Array(39))).toThrow(expect.objectContaining({ code: 'Truncated' }));
  });

  test('a reply is nonce 24 | XChaCha20-Poly1305(body) with AAD "dark-wallet/v1/reply", a fresh nonce each time', async () => {
    const { replyKey } = await sealEnvelope('query', key.publicKey, queryAad(genesis, cid), Uint8Array.of(0, 0));
    const body = new TextEncoder().encode('balances');
    const a = sealReply(replyKey, body);
    const b = sealReply(replyKey, body);
    expect(a.subarray(0, 24)).not.toStrictEqual(b.subarray(0, 24));
    const aad = new TextEncoder().encode('dark-wallet/v1/reply');
    expect(xchacha20poly1305(replyKey, a.subarray(0, 24), aad).decrypt(a.subarray(24))).toStrictEqual(body);
  });

  test('different queries get different reply keys', async () => {
    const a = await sealEnvelope('query', key.publicKey, queryAad(genesis, cid), Uint8Array.of(0, 0));
    const b = await sealEnvelope('query', key.publicKey, queryAad(genesis, cid), Uint8Array.of(0, 0));
    expect(a.replyKey).not.toStrictEqual(b.replyKey);
    expect(() => openReply(b.replyKey, sealReply(a.replyKey, Uint8Array.of(1)))).toThrow(expect.objectContaining({ code: 'DecryptFailed' }));
  });
});

const toHexStr = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The envelope module as a runtime without WebCrypto X25519 loads it: its backend detection picks noble. */
async function sealWithNobleOnly(): Promise<typeof sealCommand> {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'crypto')!;
  let envelope!: typeof import('../../../shared/crypto/envelope');
  let x25519!: typeof import('../../../shared/crypto/x25519');
  Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true, writable: true });
  // The @polkadot packages are handed in as loaded: loading them a second time in one process makes
  // each warn that it "has multiple versions" (its version check sees itself twice).
  const shared = ['@polkadot/util', '@polkadot/util-crypto'].map((name) => [name, require(name)] as const);
  try {
    jest.isolateModules(() => {
      for (const [name, module] of shared) jest.doMock(name, () => module);
      x25519 = require('../../../shared/crypto/x25519');
      envelope = require('../../../shared/crypto/envelope');
    });
    expect((await x25519.x25519Backend()).name).toBe('noble');
  } finally {
    for (const [name] of shared) jest.dontMock(name);
    Object.defineProperty(globalThis, 'crypto', saved);
  }
  return envelope.sealCommand;
}
