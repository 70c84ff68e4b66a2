/**
 * `phalaModule.submitCheckpoint` through the real @polkadot/api against the in-process dev chain:
 * agreeing checkpoints are recorded, disagreeing ones raise `CheckpointMismatch` (with the reference
 * ledger of DESIGN.md §11: the majority, a tie going to the earliest-registered worker), and every
 * checkpoint that would be useless is refused at submission (1010), so it never costs a fee.
 */
import { readFileSync } from 'node:fs';
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, randomAsU8a } from '@polkadot/util-crypto';
import { startChain, type RunningChain } from '../../../contract/chain/index';
import { signDevAttestation } from '../../../shared/crypto/attestation';
import { generateIdentitySeed, identityFromSeed, type IdentityKey } from '../../../shared/crypto/identity';
import { checkpointMessage, type Checkpoint } from '../../../shared/protocol/checkpoint';
import { DEV_MEASUREMENT, encodeAttestation } from '../../../shared/protocol/attestation';
import { contractId, fromHex, hash32, type Hash } from '../../../shared/types';
import { connect, devKeys, finalize, type DevKeys } from './helpers';
import { shutdown } from '../../helpers/teardown';

let node: RunningChain;
let api: ApiPromise;
let keys: DevKeys;
let authority: IdentityKey;

beforeAll(async () => {
  node = await startChain({ port: 0 });
  api = await connect(node.url);
  keys = await devKeys();
  authority = identityFromSeed(fromHex(readFileSync(node.devAuthoritySeedPath, 'utf8').trim()));
  jest.spyOn(console, 'error').mockImplementation(() => undefined); // polkadot-js logs each refusal
});

afterAll(async () => {
  jest.restoreAllMocks();
  await shutdown(api, async () => node?.close());
});

const genesis = () => fromHex(node.genesisHash);
const contractEcdh = randomAsU8a(32);

async function registeredWorker(contract = 1, measurement: Hash = DEV_MEASUREMENT): Promise<IdentityKey> {
  const identity = identityFromSeed(generateIdentitySeed());
  const report = signDevAttestation(authority, genesis(), {
    provider: 'Dev', contractId: contractId(contract), measurement, identityPub: identity.publicKey, ecdhPub: contractEcdh, issuedAt: BigInt(Date.now()),
  });
  await finalize(api.tx.phalaModule.registerWorker(identity.publicKey, contractEcdh, u8aToHex(encodeAttestation(report))), keys.bob);
  return identity;
}

const root = (label: string) => hash32(fromHex(blake2AsHex(label, 256)));

function checkpoint(worker: IdentityKey, blockNumber: number, stateRoot: Hash, contract = 1): Checkpoint {
  return { contractId: contractId(contract), blockNumber, blockHash: root(`block ${blockNumber}`), stateRoot, worker: worker.publicKey };
}

function submit(c: Checkpoint, signer: IdentityKey): SubmittableExtrinsic<'promise'> {
  return api.tx.phalaModule.submitCheckpoint(c, signer.sign(checkpointMessage(genesis(), c)));
}

async function refusal(tx: SubmittableExtrinsic<'promise'>): Promise<string> {
  try {
    await tx.send();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the checkpoint was accepted');
}

const votes = async (block: number) => (await api.query.phalaModule.checkpoints(1, block)).map((v) => ({ worker: v.worker.toHex(), stateRoot: v.stateRoot.toHex() }));

let a: IdentityKey;
let b: IdentityKey;

test('two workers that agree: both checkpoints recorded, no alarm', async () => {
  a = await registeredWorker();
  b = await registeredWorker();
  const agreed = root('ledger at 2');
  const first = await finalize(submit(checkpoint(a, 2, agreed), a));
  expect(first.names).toContain('phalaModule.CheckpointRecorded');
  const second = await finalize(submit(checkpoint(b, 2, agreed), b));
  expect(second.names).toContain('phalaModule.CheckpointRecorded');
  expect(second.names).not.toContain('phalaModule.CheckpointMismatch');
  expect(await votes(2)).toEqual([{ worker: u8aToHex(a.publicKey), stateRoot: agreed }, { worker: u8aToHex(b.publicKey), stateRoot: agreed }]);
  expect((await api.query.phalaModule.latestCheckpoint(1)).unwrap().toNumber()).toBe(2);
  expect((await api.query.phalaModule.checkpointAlarm(1)).isNone).toBe(true);
});

test('refused at submission: unregistered signer, other contract, forged signature, duplicate, future block, removed measurement', async () => {
  const stranger = identityFromSeed(generateIdentitySeed());
  expect(await refusal(submit(checkpoint(stranger, 2, root('x')), stranger))).toMatch(/^1010: .*NotContractWorker/);
  // A worker of contract 1 cannot vote on contract 2's ledger, nor on a contract that does not exist.
  const created = await finalize(api.tx.sudo.sudo(api.tx.phalaModule.createContract()), keys.alice);
  expect(created.names).toContain('phalaModule.ContractCreated');
  expect(await refusal(submit(checkpoint(a, 2, root('x'), 2), a))).toMatch(/^1010: .*NotContractWorker/);
  expect(await refusal(submit(checkpoint(a, 2, root('x'), 77), a))).toMatch(/^1010: .*UnknownContract/);
  // Signed by b but naming a; signed over another block.
  expect(await refusal(submit(checkpoint(a, 3, root('x')), b))).toMatch(/^1010: .*BadCheckpointSignature/);
  const c = checkpoint(a, 3, root('x'));
  expect(await refusal(api.tx.phalaModule.submitCheckpoint(c, a.sign(checkpointMessage(genesis(), { ...c, blockNumber: 4 }))))).toMatch(/^1010: .*BadCheckpointSignature/);
  expect(await refusal(submit(checkpoint(a, 2, root('ledger at 2')), a))).toMatch(/^1010: .*CheckpointAlreadySubmitted/);
  expect(await refusal(submit(checkpoint(a, 1_000_000, root('x')), a))).toMatch(/^1010: .*CheckpointOfFutureBlock/);
  expect(await refusal(submit(checkpoint(a, 0, root('x')), a))).toMatch(/^1010: .*CheckpointOfFutureBlock/);

  const m2 = hash32(fromHex(blake2AsHex('dark-wallet/enclave/checkpoint-test', 256)));
  await finalize(api.tx.sudo.sudo(api.tx.phalaModule.addMeasurement(m2)), keys.alice);
  const upgraded = await registeredWorker(1, m2);
  await finalize(api.tx.sudo.sudo(api.tx.phalaModule.removeMeasurement(m2)), keys.alice);
  expect(await refusal(submit(checkpoint(upgraded, 3, root('x')), upgraded))).toMatch(/^1010: .*MeasurementNotAllowed/);
  expect(await votes(3)).toEqual([]);
});

test('a tie goes to the earliest-registered worker; a majority outvotes it; the alarm names the block', async () => {
  const good = root('ledger at 4');
  const bad = root('diverged ledger at 4');
  // b (registered after a) votes first with a different root: a tie, a's side is the reference.
  await finalize(submit(checkpoint(b, 4, bad), b));
  const tie = await finalize(submit(checkpoint(a, 4, good), a));
  const mismatch = tie.events.map((e) => e.event).find((e) => api.events.phalaModule.CheckpointMismatch.is(e));
  if (!mismatch || !api.events.phalaModule.CheckpointMismatch.is(mismatch)) throw new Error('no CheckpointMismatch');
  expect([mismatch.data.contractId.toNumber(), mismatch.data.blockNumber.toNumber(), mismatch.data.stateRoot.toHex()]).toEqual([1, 4, good]);
  expect((await api.query.phalaModule.checkpointAlarm(1)).unwrap().toNumber()).toBe(4);

  // At block 5 a is the one that diverges, and two later workers outvote it.
  const c3 = await registeredWorker();
  await finalize(submit(checkpoint(a, 5, bad), a));
  await finalize(submit(checkpoint(b, 5, good), b));
  const outvoted = await finalize(submit(checkpoint(c3, 5, good), c3));
  const events = outvoted.events.map((e) => e.event).filter((e) => api.events.phalaModule.CheckpointMismatch.is(e));
  const last = events[events.length - 1];
  if (!last || !api.events.phalaModule.CheckpointMismatch.is(last)) throw new Error('no CheckpointMismatch');
  expect(last.data.stateRoot.toHex()).toBe(good);
  expect((await api.query.phalaModule.checkpointAlarm(1)).unwrap().toNumber()).toBe(5);
});
