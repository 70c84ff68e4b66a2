/**
 * Which of a contract's workers a client may ask (worker-set.ts), judged on their own really signed
 * storage: only those registered for this contract and key, with an allowed measurement, a report
 * that verifies for their own identity and an endpoint their identity key signed. Every other worker
 * is left out with the reason, and the rest still serve.
 */
import { trustContract, type ContractState } from '../../../shared/client/contract';
import { trustWorkers, type WorkerRecord } from '../../../shared/client/worker-set';
import { DEFAULT_TCB_POLICY } from '../../../shared/crypto/attestation';
import { devMeasurement } from '../../../shared/protocol/attestation';
import { identityFromSeed } from '../../../shared/crypto/identity';
import { contractId, toHex } from '../../../shared/types';
import { attestedWorker, type WorkerSpec } from '../../helpers/worker-records';

const AUTHORITY = identityFromSeed(new Uint8Array(32).fill(1));
const GENESIS = new Uint8Array(32).fill(3);
const CONTRACT_PUB = new Uint8Array(32).fill(7);
const spec = (identitySeed: number, over: Partial<WorkerSpec> = {}): WorkerSpec => ({
  authority: AUTHORITY, genesisHash: GENESIS, contract: 1, ecdhPub: CONTRACT_PUB, identitySeed, url: `http://127.0.0.1:${8000 + identitySeed}`, ...over,
});

/** Contract 1 whose first worker (seed 10) holds the key; `workers` as chain storage names them. */
function stateWith(workers: WorkerRecord[]): ContractState {
  const first = attestedWorker(spec(10));
  return {
    genesisHash: GENESIS, contractId: contractId(1),
    key: { ecdhPub: CONTRACT_PUB, identityPub: first.identityPub, measurement: first.info!.measurement },
    attestation: first.attestation, devAuthority: AUTHORITY.publicKey, measurementAllowed: true, workers, tcbPolicy: DEFAULT_TCB_POLICY,
  };
}

function judged(workers: WorkerRecord[]) {
  const state = stateWith(workers);
  const set = trustWorkers(state, trustContract(state));
  return { trusted: set.trusted.map((w) => w.url), excluded: set.excluded.map((x) => x.why) };
}

test('every attested worker with a signed endpoint is trusted, with its attestation label', () => {
  const state = stateWith([attestedWorker(spec(10)), attestedWorker(spec(11))]);
  const set = trustWorkers(state, trustContract(state));
  expect(set.excluded).toEqual([]);
  expect(set.trusted).toMatchObject([
    { url: 'http://127.0.0.1:8010', hardwareProtected: false, attestationLabel: expect.stringMatching(/development attestation/) },
    { url: 'http://127.0.0.1:8011', identityPub: identityFromSeed(new Uint8Array(32).fill(11)).publicKey },
  ]);
});

test.each<[string, (w: WorkerRecord) => WorkerRecord, RegExp]>([
  ['registered for another contract', (w) => ({ ...w, info: { ...w.info!, contractId: 2 } }), /not registered for this contract/],
  ['not registered at all', (w) => ({ ...w, info: null }), /not registered for this contract/],
  ['holding another contract key', (w) => ({ ...w, info: { ...w.info!, ecdhPub: new Uint8Array(32).fill(8) } }), /another contract key/],
  ['whose measurement governance removed', (w) => ({ ...w, measurementAllowed: false }), /no longer allowed/],
  ['with no attestation on chain', (w) => ({ ...w, attestation: null }), /no attestation report/],
  ['with a malformed attestation', (w) => ({ ...w, attestation: new Uint8Array([9, 9, 9]) }), /malformed/],
  ['presenting another worker\'s report', (w) => ({ ...w, attestation: attestedWorker(spec(10)).attestation }), /other keys or code/],
  ['attested by another authority', () => attestedWorker(spec(11, { authority: identityFromSeed(new Uint8Array(32).fill(2)) })), /signature does not verify/],
  ['with no endpoint', (w) => ({ ...w, endpoint: null }), /no endpoint/],
  ['with an endpoint that is not a URL', (w) => ({ ...w, endpoint: { ...w.endpoint!, url: new TextEncoder().encode('ftp://x') } }), /not a valid URL/],
  ['with an endpoint someone else signed (a lying RPC node redirecting it)',
    (w) => ({ ...w, endpoint: { url: new TextEncoder().encode('http://attacker.example'), signature: w.endpoint!.signature } }), /not signed by its identity/],
])('a worker %s is left out with the reason, and the others still serve', (_, spoil, why) => {
  const { trusted, excluded } = judged([attestedWorker(spec(10)), spoil(attestedWorker(spec(11)))]);
  expect(trusted).toEqual(['http://127.0.0.1:8010']);
  expect(excluded).toHaveLength(1);
  expect(excluded[0]).toMatch(why);
});

test('the excluded worker is named by its identity key', () => {
  const state = stateWith([{ ...attestedWorker(spec(12)), endpoint: null }]);
  const set = trustWorkers(state, trustContract(state));
  expect(set.trusted).toEqual([]);
  expect(toHex(set.excluded[0].identityPub)).toBe(toHex(identityFromSeed(new Uint8Array(32).fill(12)).publicKey));
});

describe('after an upgrade (governance allowed M2, then removed the first worker\'s M1)', () => {
  const M2 = devMeasurement(2);
  const removedFirst = { ...attestedWorker(spec(10)), measurementAllowed: false };
  const upgraded = (workers: WorkerRecord[]): ContractState => ({ ...stateWith(workers), measurementAllowed: false });

  test('the key stays trusted while an M2 worker attested for it holds it, and only that worker is asked', () => {
    const state = upgraded([removedFirst, attestedWorker(spec(11, { measurement: M2 }))]);
    const set = trustWorkers(state, trustContract(state));
    expect(set.trusted.map((w) => [w.url, w.measurement])).toEqual([['http://127.0.0.1:8011', M2]]);
    expect(set.excluded.map((x) => x.why)).toEqual(['its code measurement is no longer allowed on chain.']);
  });

  test.each<[string, WorkerRecord]>([
    ['every measurement removed', { ...attestedWorker(spec(11, { measurement: M2 })), measurementAllowed: false }],
    ['the only allowed worker attested by another authority', attestedWorker(spec(11, { measurement: M2, authority: identityFromSeed(new Uint8Array(32).fill(2)) }))],
    ['the only allowed worker holding another key', attestedWorker(spec(11, { measurement: M2, ecdhPub: new Uint8Array(32).fill(8) }))],
  ])('with %s, nothing may be sealed to the key', (_, other) => {
    expect(() => trustContract(upgraded([removedFirst, other]))).toThrow(/no longer allowed on chain/);
  });
});
