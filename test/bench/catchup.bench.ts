/**
 * `npm run bench -- catchup`: a new worker of a contract replaying it from genesis (DESIGN.md §11) —
 * 100,000 secret transfers among 10,000 funded accounts, in blocks of 200 — through the real replay
 * path: `Enclave.ingest` of runs of verified blocks (light client: headers, GRANDPA justifications,
 * body roots, event proofs), as `--join` does after receiving the keys, with checkpoints off while
 * catching up (the worker would not vote on them) and sealing amortized as the worker does it while
 * catching up (contract/host/seal-policy.ts).
 * Value: commands/s over the whole replay (the funding block's time included, its deposits not
 * counted). Bound: the `ingest` bound (test/bench/ingest-bound.ts) on the same blocks, measured in
 * the same run, alternating with the replay run by run. Goal: ≥ 0.6.
 *
 * The new worker is given the contract secret in-process instead of through `phalaModule.handoverKey`
 * (the handover is proven by test/integration/system/handover*.test.ts; it costs one open, not a rate).
 * Also reports what the replay would cost if it signed a checkpoint every interval (one state root
 * each), the reason catching up leaves them out.
 */
import { randomBytes } from '@noble/hashes/utils.js';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Enclave, EnclaveSecret } from '../../contract/enclave';
import { CHECKPOINT_INTERVAL_BLOCKS } from '../../shared/constants';
import { randomSecret } from '../../shared/crypto/x25519';
import { accountId, type AccountId, type ContractId } from '../../shared/types';
import { TEST_GENESIS, TestChain } from '../helpers/test-chain';
import { ingestBound, lastFailures, timed, transferBlock, withSealing, type TransferBlock } from './ingest-bound';
import { report } from './lib';

const ACCOUNTS = 10_000;
const COMMANDS = 100_000;
const BLOCK = 200;
/** Blocks per `ingest` call: the block follower feeds runs (up to 256 blocks, shorter near the head). */
const RUN = 10;
const GOAL = 0.6;
const CONTRACT = 1 as ContractId;
const CREATE = {
  genesisHash: TEST_GENESIS.hash, contractId: CONTRACT, native: { symbol: 'PHA', name: 'Secret PHA', decimals: 12 }, metadata: TEST_GENESIS.metadata, genesis: TEST_GENESIS,
};

async function main(): Promise<void> {
  await cryptoWaitReady();
  const contractSecret = randomSecret();
  const newWorker = () => Enclave.create(EnclaveSecret.devOnlyWithContractSecret(contractSecret), CREATE);
  const contract = { id: CONTRACT, pub: (await newWorker()).contractPub, secret: contractSecret };

  // The contract's history on chain (clients' and the chain's work, not measured).
  const chain = new TestChain();
  const witness = new Keyring({ type: 'sr25519' }).addFromUri('//Alice'); // sends the first command of every block
  const people: AccountId[] = Array.from({ length: ACCOUNTS }, (_, i) => (i === 0 ? accountId(witness.publicKey) : accountId(randomBytes(32))));
  const funding = chain.block(people.map((who) => ({ kind: 'deposit', contractId: CONTRACT, who, amount: 10n ** 15n })));
  const pick = () => people[Math.floor(Math.random() * ACCOUNTS)];
  const blocks: TransferBlock[] = [];
  for (let b = 0; b < COMMANDS / BLOCK; b++) {
    const senders = Array.from({ length: BLOCK }, (_, i) => (i === 0 ? people[0] : pick()));
    blocks.push(await transferBlock(chain, contract, senders, senders.map(pick)));
  }
  const bound = await ingestBound(contractSecret);

  // The new worker replays from genesis; the bound works through the same blocks run by run, so
  // background load on this shared machine falls on both alike.
  const worker = await newWorker();
  const spent = { replay: await timed(() => worker.ingest([funding], { checkpoints: false })), bound: 0 };
  for (let i = 0; i < blocks.length; i += RUN) {
    const run = blocks.slice(i, i + RUN);
    spent.replay += await timed(() => worker.ingest(run.map((b) => b.block), { checkpoints: false }));
    spent.bound += await timed(async () => { for (const b of run) await bound(b); });
  }

  const witnessed = await lastFailures(worker, CONTRACT, witness);
  if (witnessed.total < blocks.length + 1 || witnessed.failed > 0) throw new Error('The replayed commands did not all apply.');
  const rootMs = await timed(() => worker.stateRoot());
  const sealMs = await timed(() => worker.seal());
  const replayMs = withSealing(spent.replay, sealMs, true);
  const rate = (ms: number) => (COMMANDS * 1000) / ms;
  report({
    name: 'catchup',
    value: rate(replayMs),
    unit: 'secret transfers replayed from genesis / s (verified, opened, applied; sealing amortized)',
    bound: rate(spent.bound),
    goal: GOAL,
    commands: COMMANDS,
    accounts: ACCOUNTS,
    blockSize: BLOCK,
    replaySeconds: Math.round(replayMs) / 1000,
    // Had it signed every checkpoint of history: one state root (of the final, largest ledger) per interval.
    withCheckpoints: Math.round(rate(replayMs + (rootMs * blocks.length) / CHECKPOINT_INTERVAL_BLOCKS)),
    stateRootMs: Math.round(rootMs),
    sealMs: Math.round(sealMs),
    witnessHistory: witnessed.total,
  });
}

await main();
