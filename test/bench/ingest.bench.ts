/**
 * `npm run bench -- ingest`: secret transfers per second through the whole enclave path — the light
 * client's header, GRANDPA justification, body-root and event-proof checks, then opening and applying
 * each command — with 100k funded accounts in the ledger and blocks of 200 commands, and sealing
 * amortized as the worker does it (contract/host/seal-policy.ts).
 *
 * Bound (test/bench/ingest-bound.ts), measured in the same run with the same batching: per command
 * the X25519 agreement and AEAD open no enclave can skip, per block the hashes and signature check
 * verification cannot skip. Goal: ≥ 0.6 of it. Also prints the share of ingest time spent verifying (a second light client
 * verifying the same blocks). Sealing the envelopes and building the blocks happen before measuring.
 * Also reports the heap bytes per account of a 100k-account state (runner passes --expose-gc).
 */
import { blake2b } from '@noble/hashes/blake2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Enclave } from '../../contract/enclave';
import { LightClient } from '../../contract/enclave/light-client';
import { CHECKPOINT_INTERVAL_BLOCKS } from '../../shared/constants';
import { U32_MAX, accountId, type AccountId, type ContractId } from '../../shared/types';
import { TEST_GENESIS, TestChain, type TestBlock } from '../helpers/test-chain';
import { ingestBound, lastFailures, timed, transferBlock, withSealing, type TransferBlock } from './ingest-bound';
import { report } from './lib';
import { withKnownContractSecret } from '../helpers/known-secret';

const ACCOUNTS = 100_000;
const BLOCK = 200;
const FUNDING_BLOCK = 10_000;
const WARM_UP_BLOCKS = 3;
const MEASURED_BLOCKS = 30;
const GOAL = 0.6;
const CONTRACT = 1 as ContractId;
const GENESIS = TEST_GENESIS.hash;

const gc = (globalThis as { gc?: () => void }).gc;
const heapUsed = () => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
};
async function main(): Promise<void> {
  const { secret, contractSecret } = withKnownContractSecret();
  const heapBefore = heapUsed();
  const enclave = await Enclave.create(secret, {
    genesisHash: GENESIS, contractId: CONTRACT, native: { symbol: 'PHA', name: 'Secret PHA', decimals: 12 }, metadata: TEST_GENESIS.metadata, genesis: TEST_GENESIS,
    // Checkpoints (one state root per interval, whatever the blocks hold) are reported beside the
    // per-command rate below, amortized over the default interval, not mixed into it.
    checkpointInterval: U32_MAX,
  });
  // A second light client verifying the same blocks alone: the verifying share of the enclave's time.
  const verifier = new LightClient({ genesisHash: GENESIS, metadataHash: blake2b(TEST_GENESIS.metadata, { dkLen: 32 }) }, TEST_GENESIS.metadata);
  let verifierState = verifier.genesis(TEST_GENESIS.header, TEST_GENESIS.proof);
  const verify = (block: TestBlock) => { verifierState = verifier.ingest(verifierState, [block]).state; };
  await cryptoWaitReady();
  const chain = new TestChain();
  // One real keyring account among the random ones: it sends the first command of every block.
  const witness = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
  const people: AccountId[] = Array.from({ length: ACCOUNTS }, (_, i) => (i === 0 ? accountId(witness.publicKey) : accountId(randomBytes(32))));
  for (let i = 0; i < ACCOUNTS; i += FUNDING_BLOCK) {
    const block = chain.block(people.slice(i, i + FUNDING_BLOCK).map((who) => ({ kind: 'deposit', contractId: CONTRACT, who, amount: 10n ** 15n })));
    verify(block);
    await enclave.ingest([block]);
  }
  const heapPerAccount = (heapUsed() - heapBefore) / ACCOUNTS;

  // Clients' and the chain's work, not measured: seal transfers between random funded accounts into blocks.
  const contract = { id: CONTRACT, pub: enclave.contractPub, secret: contractSecret };
  const pick = () => people[Math.floor(Math.random() * ACCOUNTS)];
  const blocks: TransferBlock[] = [];
  for (let b = 0; b < WARM_UP_BLOCKS + MEASURED_BLOCKS; b++) {
    const senders = Array.from({ length: BLOCK }, (_, i) => (i === 0 ? people[0] : pick()));
    blocks.push(await transferBlock(chain, contract, senders, senders.map(pick)));
  }
  const bound = await ingestBound(contractSecret);

  const spent = { bound: 0, ingest: 0, verify: 0, blocks: 0 };
  // The machine is shared: bound, enclave and verifier alternate block by block so background load
  // falls on all alike, and each side's rate comes from the time spent in it alone.
  for (const [i, b] of blocks.entries()) {
    if (i === WARM_UP_BLOCKS) Object.assign(spent, { bound: 0, ingest: 0, verify: 0, blocks: 0 });
    spent.bound += await timed(() => bound(b));
    spent.ingest += await timed(() => enclave.ingest([b.block]));
    spent.verify += await timed(() => verify(b.block));
    spent.blocks++;
  }

  const witnessed = await lastFailures(enclave, CONTRACT, witness);
  if (witnessed.total < 10 || witnessed.failed > 0) throw new Error('The measured commands did not apply.');
  const timeOf = <T>(fn: () => T): [T, number] => {
    const t = performance.now();
    const r = fn();
    return [r, performance.now() - t];
  };
  const [, rootMs] = timeOf(() => enclave.stateRoot());
  const [sealed, sealMs] = timeOf(() => enclave.seal());
  // As the worker does (seal-policy.ts): one seal per `nextSealAfterMs` of ingesting.
  const ingestWithSealing = withSealing(spent.ingest, sealMs);
  const rate = (ms: number) => (spent.blocks * BLOCK * 1000) / ms;
  console.log(`verifying: ${(100 * spent.verify / spent.ingest).toFixed(1)}% of ingest time; sealing: ${(100 * (ingestWithSealing - spent.ingest) / ingestWithSealing).toFixed(1)}% (one ${Math.round(sealMs)} ms seal at a time)`);
  report({
    name: 'ingest',
    value: rate(ingestWithSealing),
    unit: 'secret transfers verified + opened + applied / s (sealing amortized)',
    bound: rate(spent.bound),
    goal: GOAL,
    accounts: ACCOUNTS,
    blockSize: BLOCK,
    withoutSealing: Math.round(rate(spent.ingest)),
    // A checkpoint costs one state root every CHECKPOINT_INTERVAL_BLOCKS blocks (DESIGN.md §11).
    withCheckpoints: Math.round(rate(ingestWithSealing + (rootMs * spent.blocks) / CHECKPOINT_INTERVAL_BLOCKS)),
    verifyingShare: Math.round((1000 * spent.verify) / spent.ingest) / 1000,
    heapBytesPerAccount: Math.round(heapPerAccount),
    stateRootMs: Math.round(rootMs),
    sealMs: Math.round(sealMs),
    sealedBytes: sealed.length,
    witnessHistory: witnessed.total,
    measuredBlocks: spent.blocks,
  });
}

await main();
