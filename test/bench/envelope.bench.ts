/**
 * `npm run bench -- envelope`: command envelopes opened per second, one at a time (sequential await):
 * `openCommand` = X25519 (WebCrypto) + HKDF-SHA256 + XChaCha20-Poly1305 + bucket decode, on
 * envelopes sealed beforehand (sealing is the client's cost).
 *
 * Bound, measured in the same run the same way: bare WebCrypto X25519 per envelope — importKey
 * (raw) of the envelope's ephemeral key + deriveBits with the contract key imported once — the one
 * step no opener can skip. Goal: ≥ 0.7 of it, i.e. everything else in opening costs < 43% extra.
 *
 * The 2 cores are shared with other work, whose load swings within a second, so separate loops for
 * the two sides measure the load as much as the code. Instead `opsPerSecond` drives pairs (one open,
 * then one bare agreement, alternately over the same envelopes) and each operation is timed: value and
 * bound are the rates at the median latency of each side. Mean-latency rates and separate-loop
 * `opsPerSecond` figures are printed beside them for reference.
 */
import { contractKeyFromSecret, openCommand, sealCommand, type CommandBinding } from '../../shared/crypto/envelope';
import { randomSecret, x25519Backend } from '../../shared/crypto/x25519';
import type { SecretCommand } from '../../shared/protocol/command';
import { accountIdFromBytes, type AccountId, type Amount, type AssetId, type ContractId } from '../../shared/types';
import { opsPerSecond, report } from './lib';

const ENVELOPES = 512;
const MS = 8000;
const GOAL = 0.7;
const subtle = globalThis.crypto.subtle;
const ALG = { name: 'X25519' } as const;
const PKCS8_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20]);

const backend = await x25519Backend();
if (backend.name !== 'webcrypto') throw new Error('This runtime has no WebCrypto X25519: the bound would not be what the enclave uses.');

const secret = randomSecret();
const contract = await contractKeyFromSecret(secret);
const account = (n: number): AccountId => accountIdFromBytes(new Uint8Array(32).fill(n));
const binding: CommandBinding = { genesisHash: new Uint8Array(32).fill(0x42), contractId: 1 as ContractId, signer: account(1) };
const amount = (n: bigint) => n as Amount;
const asset = (n: number) => n as AssetId;
const kinds: SecretCommand[] = [
  { kind: 'Transfer', asset: asset(0), dest: account(2), amount: amount(10n ** 12n) },
  { kind: 'Withdraw', dest: account(3), amount: amount(5n) },
  { kind: 'Issue', symbol: 'DARK', name: 'Dark Token', decimals: 12, supply: amount(10n ** 20n) },
  { kind: 'Mint', asset: asset(1), amount: amount(7n) },
  { kind: 'Burn', asset: asset(1), amount: amount(3n) },
];
const envelopes: Uint8Array[] = [];
for (let i = 0; i < ENVELOPES; i++) envelopes.push(await sealCommand(contract.publicKey, binding, kinds[i % kinds.length]));

// Every envelope must really open to what was sealed, or the rate below means nothing.
for (let i = 0; i < ENVELOPES; i++) {
  const c = await openCommand(contract, binding, envelopes[i]);
  if (c.kind !== kinds[i % kinds.length].kind) throw new Error(`envelope ${i} opened to ${c.kind}`);
}

const pkcs8 = new Uint8Array(48);
pkcs8.set(PKCS8_PREFIX);
pkcs8.set(secret, 16);
const contractPrivate = await subtle.importKey('pkcs8', pkcs8, ALG, false, ['deriveBits']);
const ephemeralPubs = envelopes.map((e) => e.slice(1, 33));

let i = 0;
const open = () => openCommand(contract, binding, envelopes[i++ % ENVELOPES]);
let j = 0;
const derive = async () => {
  const pub = await subtle.importKey('raw', ephemeralPubs[j++ % ENVELOPES], ALG, false, []);
  return subtle.deriveBits({ name: 'X25519', public: pub }, contractPrivate, 256);
};

const openMs: number[] = [];
const boundMs: number[] = [];
const pair = async () => {
  const t0 = performance.now();
  await open();
  const t1 = performance.now();
  await derive();
  openMs.push(t1 - t0);
  boundMs.push(performance.now() - t1);
};
await opsPerSecond(pair, 1000); // warm-up: JIT, thread pool
openMs.length = 0;
boundMs.length = 0;
const pairsPerSecond = await opsPerSecond(pair, MS);

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const separate = { opens: Math.round(await opsPerSecond(open, 1500)), bound: Math.round(await opsPerSecond(derive, 1500)) };

report({
  name: 'envelope-open',
  value: 1000 / median(openMs),
  unit: 'opens/s (openCommand, sequential, at median latency)',
  bound: 1000 / median(boundMs),
  boundName: 'WebCrypto X25519 importKey(raw) + deriveBits, sequential, at median latency',
  goal: GOAL,
  samples: openMs.length,
  atMeanLatency: { opens: Math.round(1000 / mean(openMs)), bound: Math.round(1000 / mean(boundMs)) },
  separateLoops: separate,
  pairsPerSecond: Math.round(pairsPerSecond),
  envelopeBytes: envelopes[0].length,
});
