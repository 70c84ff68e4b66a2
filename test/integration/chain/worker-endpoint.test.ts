/**
 * `phalaModule.setWorkerEndpoint` through the real @polkadot/api on the in-process dev chain: a
 * registered worker publishes its URL signed by its identity key; a URL signed by anyone else, for an
 * unregistered worker, of a removed measurement or not a plain http(s) URL is refused at submission.
 * The SDK then reads every worker of the contract from chain (`readContractState`) and trusts exactly
 * those whose attestation and endpoint verify.
 */
import { readFileSync } from 'node:fs';
import { u8aToHex } from '@polkadot/util';
import { randomAsU8a } from '@polkadot/util-crypto';
import { readContractState, trustContract } from '../../../shared/client/contract';
import { trustWorkers } from '../../../shared/client/worker-set';
import { signDevAttestation } from '../../../shared/crypto/attestation';
import { generateIdentitySeed, identityFromSeed, type IdentityKey } from '../../../shared/crypto/identity';
import { DEV_MEASUREMENT, encodeAttestation } from '../../../shared/protocol/attestation';
import { workerEndpointMessage } from '../../../shared/protocol/worker-endpoint';
import { contractId, fromHex, hash32, toHex } from '../../../shared/types';
import { chainSuite, finalize } from './helpers';

const suite = chainSuite();
const contractPub = randomAsU8a(32);
let authority: IdentityKey;

beforeAll(() => {
  authority = identityFromSeed(fromHex(readFileSync(suite.node.devAuthoritySeedPath, 'utf8').trim()));
  jest.spyOn(console, 'error').mockImplementation(() => undefined); // polkadot-js logs each refusal
});
afterAll(() => jest.restoreAllMocks());

const genesis = () => fromHex(suite.node.genesisHash);
const utf8 = (s: string) => toHex(new TextEncoder().encode(s));

async function registered(measurement = DEV_MEASUREMENT): Promise<IdentityKey> {
  const identity = identityFromSeed(generateIdentitySeed());
  const report = signDevAttestation(authority, genesis(), {
    provider: 'Dev', contractId: contractId(1), measurement, identityPub: identity.publicKey, ecdhPub: contractPub, issuedAt: BigInt(Date.now()),
  });
  await finalize(suite.api.tx.phalaModule.registerWorker(identity.publicKey, contractPub, u8aToHex(encodeAttestation(report))), suite.keys.bob);
  return identity;
}

const setEndpoint = (identityPub: Uint8Array, url: string, signer: IdentityKey) =>
  suite.api.tx.phalaModule.setWorkerEndpoint(identityPub, utf8(url), signer.sign(workerEndpointMessage(genesis(), identityPub, url)));

async function refusal(tx: ReturnType<typeof setEndpoint>): Promise<string> {
  try {
    await tx.signAndSend(suite.keys.ferdie);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the transaction was accepted');
}

const storedUrl = async (identityPub: Uint8Array) => {
  const e = await suite.api.query.phalaModule.workerEndpoint(identityPub);
  return e.isSome ? new TextDecoder().decode(e.unwrap().url.toU8a(true)) : null;
};

test('a registered worker publishes its endpoint, signed by its identity key; anyone may submit it', async () => {
  const w = await registered();
  const result = await finalize(setEndpoint(w.publicKey, 'http://127.0.0.1:8100', w), suite.keys.charlie);
  expect(result.names).toContain('phalaModule.WorkerEndpointSet');
  const event = result.events.find((e) => e.event.method === 'WorkerEndpointSet')!.event.data.toJSON() as unknown[];
  expect(event).toEqual([1, u8aToHex(w.publicKey), utf8('http://127.0.0.1:8100')]);
  expect(await storedUrl(w.publicKey)).toBe('http://127.0.0.1:8100');
  // Its own attestation is on chain for clients to check, whichever worker it is.
  expect((await suite.api.query.phalaModule.workerAttestation(w.publicKey)).isSome).toBe(true);

  await finalize(setEndpoint(w.publicKey, 'https://worker.example:8443', w), suite.keys.charlie); // it moved
  expect(await storedUrl(w.publicKey)).toBe('https://worker.example:8443');
});

test('an endpoint not signed by the identity it is set for is refused: nobody can redirect a worker', async () => {
  const w = await registered();
  const other = identityFromSeed(generateIdentitySeed());
  expect(await refusal(setEndpoint(w.publicKey, 'http://attacker.example', other))).toMatch(/^1010: .*BadEndpointSignature/);
  // A signature for another URL, or replayed on another worker, is no better.
  const signed = w.sign(workerEndpointMessage(genesis(), w.publicKey, 'http://127.0.0.1:8101'));
  expect(await refusal(suite.api.tx.phalaModule.setWorkerEndpoint(w.publicKey, utf8('http://attacker.example'), signed))).toMatch(/BadEndpointSignature/);
  const v = await registered();
  expect(await refusal(suite.api.tx.phalaModule.setWorkerEndpoint(v.publicKey, utf8('http://127.0.0.1:8101'), signed))).toMatch(/BadEndpointSignature/);
  expect(await storedUrl(w.publicKey)).toBeNull();
});

test('an unregistered worker, or one whose measurement governance removed, cannot publish', async () => {
  const stranger = identityFromSeed(generateIdentitySeed());
  expect(await refusal(setEndpoint(stranger.publicKey, 'http://127.0.0.1:8102', stranger))).toMatch(/^1010: .*WorkerNotRegistered/);

  const m2 = hash32(randomAsU8a(32));
  await finalize(suite.api.tx.sudo.sudo(suite.api.tx.phalaModule.addMeasurement(m2)), suite.keys.alice);
  const w = await registered(m2);
  await finalize(suite.api.tx.sudo.sudo(suite.api.tx.phalaModule.removeMeasurement(m2)), suite.keys.alice);
  expect(await refusal(setEndpoint(w.publicKey, 'http://127.0.0.1:8103', w))).toMatch(/^1010: .*MeasurementNotAllowed/);
});

test.each(['ftp://worker.example', 'http://', `http://${'a'.repeat(200)}`, 'https://u:p@worker.example', 'http://worker.example/?a', 'not a url'])(
  'the URL %j is refused even when properly signed',
  async (url) => {
    const w = await registered();
    // Signed over the raw bytes (workerEndpointMessage itself refuses to sign a bad URL).
    const body = new Uint8Array([...w.publicKey, ...new Uint8Array(new Uint32Array([url.length]).buffer), ...new TextEncoder().encode(url)]);
    const message = new Uint8Array([...new TextEncoder().encode('dark-wallet/v1/worker-endpoint'), ...genesis(), ...body]);
    expect(await refusal(suite.api.tx.phalaModule.setWorkerEndpoint(w.publicKey, utf8(url), w.sign(message)))).toMatch(/^1010: .*BadWorkerEndpoint/);
  },
);

test('the SDK reads the contract\'s workers from chain and trusts exactly those attested with a signed endpoint', async () => {
  const serving = await registered();
  await finalize(setEndpoint(serving.publicKey, 'http://127.0.0.1:8200', serving), suite.keys.charlie);
  const state = await readContractState(suite.api, 1);
  const set = trustWorkers(state, trustContract(state));
  expect(set.trusted.map((w) => w.url)).toContain('http://127.0.0.1:8200');
  expect(set.trusted.map((w) => w.url)).toContain('https://worker.example:8443');
  // Registered without an endpoint (or with a removed measurement): named, with why, never asked.
  expect(set.excluded.length).toBeGreaterThan(0);
  expect(set.excluded.every((x) => /no endpoint|no longer allowed/.test(x.why))).toBe(true);
  expect(set.trusted.length + set.excluded.length).toBe(state.workers.length);
});
