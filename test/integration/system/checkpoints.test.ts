/**
 * Two worker processes of one contract on a real chain (DESIGN.md §11): they share the contract key
 * through the dev provisioning path (a wrapped secret written into each data directory), sign
 * checkpoints every 3 blocks and relay the same receipts. The second one runs the test-only faulty
 * enclave (test/integration/helpers/faulty-worker.ts), which skips its first Transfer — until then
 * both agree.
 *   - both record agreeing checkpoints;
 *   - each receipt is paid exactly once, and the other worker's signed copy is refused at validation
 *     (1010, never in a block, so nobody pays a fee);
 *   - after the Transfer, CheckpointMismatch names the first worker's ledger (a tie goes to the
 *     earlier-registered worker); the divergent one stops relaying, says why on /health, and its
 *     enclave signs no receipt, while the first keeps paying.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady, randomAsU8a } from '@polkadot/util-crypto';
import { EnclaveSecret } from '../../../contract/enclave';
import { DarkClient } from '../../../shared/client';
import { randomSecret } from '../../../shared/crypto/x25519';
import { accountId, amount, assetId, type AccountId } from '../../../shared/types';
import { freeBalance, PHA } from '../../helpers/chain';
import { shutdown } from '../../helpers/teardown';
import { until } from '../../helpers/until';
import {
  freePort, launch, operatorStatus, startChainProcess, startWorkerProcess, tempDir, workerArgs, type ChainProc, type Proc, type WorkerProc,
} from '../helpers/processes';

const CHECKPOINT_FLAGS = ['--checkpoint-interval', '3', '--receipt-turn-delay', '0'];

let dir: ReturnType<typeof tempDir>;
let chain: ChainProc;
let agreeing: WorkerProc;
let divergent: Proc & { url: string };
let api: ApiPromise;
let viaAgreeing: DarkClient;
let viaDivergent: DarkClient;
let alice: KeyringPair;

/** A worker data directory holding the contract secret every worker of the suite shares (dev provisioning). */
function provision(path: string, contractSecret: Uint8Array): string {
  mkdirSync(path, { recursive: true });
  const keyFile = EnclaveSecret.newDevKeyFile();
  writeFileSync(join(path, 'enclave.key'), keyFile);
  writeFileSync(join(path, 'enclave.secret'), EnclaveSecret.devOnlyWithContractSecret(contractSecret).wrapForDev(keyFile));
  return path;
}

const health = async (w: { url: string }) => (await fetch(`${w.url}/health`)).json() as Promise<{ identityPub: string; checkpoints: { state: string; reason?: string; block?: number } }>;

async function withdrawTo(dest: AccountId, value: bigint): Promise<bigint> {
  const { outcome } = await viaAgreeing.waitFor(alice, await viaAgreeing.convertToPublic(alice, { dest, amount: amount(value) }), { throwOnFailure: true });
  if (!outcome.ok || outcome.receiptSeq == null) throw new Error('the withdrawal made no receipt');
  return outcome.receiptSeq;
}

const isPaid = async (seq: bigint) => (await api.query.phalaModule.usedReceipts(1, seq)).isTrue;

beforeAll(async () => {
  await cryptoWaitReady();
  jest.spyOn(console, 'error').mockImplementation(() => undefined); // polkadot-js logs each refused submission
  dir = tempDir('checkpoints');
  const contractSecret = randomSecret();
  chain = await startChainProcess(`${dir.path}/chain`);
  agreeing = await startWorkerProcess(chain, provision(`${dir.path}/a`, contractSecret), undefined, CHECKPOINT_FLAGS);
  const port = await freePort();
  divergent = { ...launch('test/integration/helpers/faulty-worker.ts', workerArgs(chain, provision(`${dir.path}/b`, contractSecret), port, [...CHECKPOINT_FLAGS, '--relayer-suri', '//Dave'])), url: `http://127.0.0.1:${port}` };
  await divergent.waitFor(/worker ready/, 90_000);
  api = await ApiPromise.create({ provider: new WsProvider(chain.url), noInitWarn: true });
  alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
  viaAgreeing = await DarkClient.connect({ api, workerUrl: agreeing.url, contractId: 1 });
  viaDivergent = await DarkClient.connect({ api, workerUrl: divergent.url, contractId: 1 });
  await viaAgreeing.waitFor(alice, await viaAgreeing.convertToSecret(alice, amount(50n * PHA)), { throwOnFailure: true });
}, 240_000);

afterAll(async () => {
  jest.restoreAllMocks();
  await shutdown(api, async () => {
    await divergent?.kill();
    await agreeing?.kill();
    await chain?.kill();
  });
  dir?.remove();
});

test('both workers record agreeing checkpoints', async () => {
  const [a, b] = await Promise.all([health(agreeing), health(divergent)]);
  expect(a.identityPub).not.toBe(b.identityPub);
  const agreed = await until(async () => {
    const latest = (await api.query.phalaModule.latestCheckpoint(1)).unwrapOr(null)?.toNumber() ?? 0;
    for (let block = latest; block > 0; block -= 3) {
      const votes = await api.query.phalaModule.checkpoints(1, block);
      if (votes.length === 2) return { block, votes };
    }
    return null;
  }, { what: 'a block both workers checkpointed', timeoutMs: 60_000 });
  expect(new Set(agreed.votes.map((v) => v.worker.toHex()))).toEqual(new Set([a.identityPub, b.identityPub]));
  expect(agreed.votes[0].stateRoot.toHex()).toBe(agreed.votes[1].stateRoot.toHex());
  expect(agreed.votes[0].blockHash.toHex()).toBe((await api.rpc.chain.getBlockHash(agreed.block)).toHex());
  expect((await api.query.phalaModule.checkpointAlarm(1)).isNone).toBe(true);
  expect([a.checkpoints, b.checkpoints]).toEqual([{ state: 'agreeing' }, { state: 'agreeing' }]);
  expect(await viaAgreeing.checkpointStatus()).toMatchObject({ state: 'agree' }); // what clients show
});

test('a receipt both workers relay is paid exactly once; the other worker\'s copy is refused at validation', async () => {
  const dest = accountId(randomAsU8a(32));
  const value = 3n * PHA;
  const seq = await withdrawTo(dest, value);
  await until(() => isPaid(seq), { what: 'the receipt paid', timeoutMs: 60_000 });
  // Both enclaves signed it; whichever copy the chain did not take is now refused before any block.
  for (const client of [viaAgreeing, viaDivergent]) {
    const { receipt: r, signature } = await until(() => client.receipt(alice, seq), { what: 'each worker\'s signed copy of the receipt', timeoutMs: 90_000 });
    const tx = api.tx.phalaModule.transferToChainBatch([{ receipt: { contractId: r.contractId, seq: r.seq, dest: r.dest, amount: r.amount }, signature }]);
    await expect(tx.send()).rejects.toThrow(/^1010: .*ReceiptAlreadyUsed/);
  }
  expect(await freeBalance(api, dest)).toBe(value);
});

test('a divergent worker is flagged by CheckpointMismatch and stops relaying; the other keeps paying', async () => {
  const bob = new Keyring({ type: 'sr25519' }).addFromUri('//Bob');
  await viaAgreeing.waitFor(alice, await viaAgreeing.transfer(alice, { asset: assetId(0), dest: accountId(bob.publicKey), amount: amount(PHA) }), { throwOnFailure: true });
  await until(async () => (await api.query.phalaModule.checkpointAlarm(1)).isSome, { what: 'CheckpointMismatch recorded', timeoutMs: 90_000 });
  const flagged = await until(async () => {
    const h = await health(divergent);
    return h.checkpoints.state === 'diverged' && h.checkpoints;
  }, { what: 'the divergent worker saying why on /health', timeoutMs: 90_000 });
  expect(flagged).toMatchObject({ state: 'diverged', reason: 'CheckpointMismatch' });
  // The block it names is one where the two workers' checkpoints on chain really differ.
  const [a, b] = await Promise.all([health(agreeing), health(divergent)]);
  const votes = new Map((await api.query.phalaModule.checkpoints(1, flagged.block!)).map((v) => [v.worker.toHex() as string, v.stateRoot.toHex() as string]));
  expect(votes.get(b.identityPub)).toBeDefined();
  expect(votes.get(b.identityPub)).not.toBe(votes.get(a.identityPub));
  const shown = await viaAgreeing.checkpointStatus(); // what clients show: the latest split
  expect(shown.state === 'mismatch' && shown.block >= flagged.block!).toBe(true);
  expect(a.checkpoints).toEqual({ state: 'agreeing' });
  await divergent.waitFor(/stopped relaying receipts and commands/);

  const dest = accountId(randomAsU8a(32));
  const seq = await withdrawTo(dest, 2n * PHA);
  await until(() => isPaid(seq), { what: 'the agreeing worker paying a receipt after the split', timeoutMs: 90_000 });
  expect(await freeBalance(api, dest)).toBe(2n * PHA);
  expect(await viaDivergent.receipt(alice, seq)).toBeNull(); // its enclave signs no receipt any more
  expect((await operatorStatus(agreeing)).stuckReceipts).toEqual([]);
});
