/**
 * Checkpoints inside the enclave (DESIGN.md §11): two workers of one contract fed the same verified
 * blocks sign equal checkpoints; a worker that applied one command wrongly (the test-only faulty
 * enclave) signs a different root, and once a verified CheckpointMismatch names the other ledger as
 * the reference, it signs no receipt — neither for its host nor for a Receipt query — and the
 * verdict survives sealing.
 */
import { Enclave, type SignedCheckpoint } from '../../../contract/enclave';
import { verifyIdentitySignature } from '../../../shared/crypto/identity';
import { checkpointMessage } from '../../../shared/protocol/checkpoint';
import { withKnownContractSecret } from '../../helpers/known-secret';
import { EnclaveSecret } from '../../../contract/enclave';
import { TEST_GENESIS } from '../../helpers/test-chain';
import { accounts, amt, asset, BlockBuilder, CONFIG, Feeder, GENESIS, idOf, NATIVE, seal, signedQuery, thrown, type Accounts } from './helpers';

const INTERVAL = 2;
const config = { ...CONFIG, checkpointInterval: INTERVAL };
const createConfig = { ...config, native: NATIVE, genesis: TEST_GENESIS };

let acc: Accounts;
beforeAll(async () => {
  acc = await accounts();
});

const only = (checkpoints: SignedCheckpoint[]): SignedCheckpoint => {
  expect(checkpoints).toHaveLength(1);
  return checkpoints[0];
};

test('an agreeing and a divergent worker: equal checkpoints until the wrong command, then the divergent one stops signing receipts', async () => {
  const { secret, contractSecret } = withKnownContractSecret();
  const honest = await Enclave.create(secret, createConfig);
  const faulty = await Enclave.testOnlyFaulty(EnclaveSecret.devOnlyWithContractSecret(contractSecret), createConfig, { skipFirstCommandOf: 'Transfer' });
  const both = [honest, faulty];
  const feed = new Feeder();
  const alice = idOf(acc.alice);

  const [r1] = await feed.feed(both, new BlockBuilder().deposit(alice, 100));
  expect(r1.checkpoints).toEqual([]); // block 1 is not a checkpoint block
  const at2 = await feed.feed(both, []);
  const [h2, f2] = at2.map((r) => only(r.checkpoints));
  expect(h2.checkpoint.blockNumber).toBe(2);
  expect([f2.checkpoint.blockHash, f2.checkpoint.stateRoot]).toEqual([h2.checkpoint.blockHash, h2.checkpoint.stateRoot]);
  for (const [e, c] of [[honest, h2], [faulty, f2]] as const) {
    expect(c.checkpoint.worker).toEqual(e.identityPub);
    expect(verifyIdentitySignature(c.signature, checkpointMessage(GENESIS, c.checkpoint), e.identityPub)).toBe(true);
  }

  // Block 3: the transfer the faulty worker skips. Block 4: the roots differ.
  await feed.feed(both, new BlockBuilder().push(alice, await seal(honest, alice, { kind: 'Transfer', asset: asset(0), dest: idOf(acc.bob), amount: amt(10) })));
  const [h4, f4] = (await feed.feed(both, [])).map((r) => only(r.checkpoints));
  expect(f4.checkpoint.blockHash).toBe(h4.checkpoint.blockHash);
  expect(f4.checkpoint.stateRoot).not.toBe(h4.checkpoint.stateRoot);
  expect(honest.health().checkpoints).toEqual({ state: 'agreeing' });

  // Block 5: the chain names the honest ledger the reference of block 4; alice withdraws in the same block.
  const reference = { contractId: 1, blockNumber: 4, blockHash: h4.checkpoint.blockHash, stateRoot: h4.checkpoint.stateRoot, worker: idOf(acc.charlie) };
  const withdraw = await seal(honest, alice, { kind: 'Withdraw', dest: idOf(acc.bob), amount: amt(5) });
  const [h5, f5] = await feed.feed(both, new BlockBuilder().push(alice, withdraw).items.concat([{ kind: 'mismatch', ...reference }]));
  expect(h5.receipts.map((r) => r.receipt.seq)).toEqual([1n]);
  expect(f5.receipts).toEqual([]);
  expect(honest.health().checkpoints).toEqual({ state: 'agreeing' });
  expect(faulty.health().checkpoints).toEqual({ state: 'diverged', reason: 'CheckpointMismatch', block: 4 });
  expect(faulty.unpaidReceipts()).toEqual([]);
  expect(honest.unpaidReceipts().map((r) => r.receipt.seq)).toEqual([1n]);
  // The owner asking the divergent worker for the receipt gets it unsigned; the agreeing one signs it.
  const fromFaulty = await signedQuery(faulty, acc.alice, { kind: 'Receipt', seq: 1n });
  expect(fromFaulty).toMatchObject({ kind: 'Receipt', signature: null });
  const fromHonest = await signedQuery(honest, acc.alice, { kind: 'Receipt', seq: 1n });
  expect(fromHonest.kind === 'Receipt' && fromHonest.signature).toBeInstanceOf(Uint8Array);
});

test('the verdict is sealed: the restored worker is still diverged; verdicts about other contracts or unknown blocks change nothing', async () => {
  const secret = EnclaveSecret.generate();
  const e = await Enclave.create(secret, createConfig);
  const feed = new Feeder();
  await feed.feed(e, []);
  const [r2] = await feed.feed(e, []);
  const own = only(r2.checkpoints).checkpoint;
  await feed.feed(e, [{ kind: 'mismatch', contractId: 1, blockNumber: 2, blockHash: own.blockHash, stateRoot: own.blockHash, worker: idOf(acc.charlie) }]);
  expect(e.checkpointStatus).toEqual({ state: 'diverged', reason: 'CheckpointMismatch', block: 2 });
  const restored = await Enclave.restore(secret, config, e.seal());
  expect(restored.checkpointStatus).toEqual({ state: 'diverged', reason: 'CheckpointMismatch', block: 2 });
  // A verdict about another contract, or a block this worker has no checkpoint of, changes nothing.
  const fresh = await Enclave.create(EnclaveSecret.generate(), createConfig);
  const feed2 = new Feeder();
  await feed2.feed(fresh, [{ kind: 'mismatch', contractId: 2, blockNumber: 0, blockHash: own.blockHash, stateRoot: own.blockHash, worker: idOf(acc.charlie) }]);
  await feed2.feed(fresh, [{ kind: 'mismatch', contractId: 1, blockNumber: 1, blockHash: own.blockHash, stateRoot: own.blockHash, worker: idOf(acc.charlie) }]);
  expect(fresh.checkpointStatus).toEqual({ state: 'agreeing' });
});

test('the checkpoint interval is checked like the cadence', async () => {
  for (const bad of [0, 1.5, -2]) {
    expect((await thrown(() => Enclave.create(EnclaveSecret.generate(), { ...createConfig, checkpointInterval: bad }))).message).toMatch(/checkpoint interval/);
  }
});

test('a run ingested without checkpoints (history a joiner replays) signs none and records none; the next checkpoint block signs again', async () => {
  const e = await Enclave.create(EnclaveSecret.generate(), createConfig);
  const feed = new Feeder();
  const history = [feed.block([]), feed.block([]), feed.block([]), feed.block([])]; // blocks 1–4: two checkpoint blocks
  const replayed = await e.ingest(history, { checkpoints: false });
  expect(replayed.checkpoints).toEqual([]);
  // A verdict about a replayed block finds no own checkpoint to judge: nothing changes.
  const [r5] = await feed.feed(e, [{ kind: 'mismatch', contractId: 1, blockNumber: 4, blockHash: history[3].hash, stateRoot: history[3].hash, worker: idOf(acc.charlie) }]);
  expect(r5.checkpoints).toEqual([]);
  expect(e.checkpointStatus).toEqual({ state: 'agreeing' });
  // Caught up: block 6 is a checkpoint block and is signed; a verdict against it is judged.
  const [r6] = await feed.feed(e, []);
  const own = only(r6.checkpoints).checkpoint;
  expect(own.blockNumber).toBe(6);
  await feed.feed(e, [{ kind: 'mismatch', contractId: 1, blockNumber: 6, blockHash: own.blockHash, stateRoot: own.blockHash, worker: idOf(acc.charlie) }]);
  expect(e.checkpointStatus).toEqual({ state: 'diverged', reason: 'CheckpointMismatch', block: 6 });
});
