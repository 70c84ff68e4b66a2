/**
 * Disaster (issue 18, DESIGN.md §11), with the real chain and worker processes: after secret
 * transfers, an issue and pending withdrawals on worker A, worker B joins (`--join`), receives the
 * contract keys from A through `phalaModule.handoverKey` and replays the contract from genesis. Then
 * A's data directory is deleted for good and A is killed. B answers every balance and history entry
 * exactly as A did and pays every pending withdrawal exactly once.
 *
 * A pays receipts only every 100,000 blocks, so its withdrawals are still pending when it dies; B's
 * cadence is the test one (the cadence is operator configuration, not contract state).
 */
import { rmSync } from 'node:fs';
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { DarkClient } from '../../../shared/client';
import { DEFAULT_CONTRACT_ID } from '../../../shared/constants';
import { custodyAccount } from '../../../shared/protocol/custody';
import { accountId, amount, NATIVE_ASSET, type ContractId } from '../../../shared/types';
import { freeBalance } from '../../helpers/chain';
import { until } from '../../helpers/until';
import { freePort, launch, workerArgs, type Proc } from '../helpers/processes';
import { startProcessSystem, stopProcessSystem, type ProcessSystem } from '../helpers/system';

const UNIT = 10n ** 12n;
const pha = (n: number) => amount(BigInt(n) * UNIT);
const CONTRACT = DEFAULT_CONTRACT_ID as ContractId;

let sys: ProcessSystem;
let b: Proc | undefined;
let alice: KeyringPair, bob: KeyringPair, charlie: KeyringPair, dave: KeyringPair;

beforeAll(async () => {
  sys = await startProcessSystem('handover', ['--receipt-cadence', '100000']);
  const keyring = new Keyring({ type: 'sr25519' });
  [alice, bob, charlie, dave] = ['//Alice', '//Bob', '//Charlie', '//Dave'].map((s) => keyring.addFromUri(s));
}, 120_000);

afterAll(async () => {
  await b?.kill();
  await stopProcessSystem(sys);
});

async function snapshot(client: DarkClient) {
  const out: Record<string, unknown> = {};
  for (const who of [alice, bob, charlie, dave]) {
    out[who.address] = { balances: await client.balances(who), history: await client.fullHistory(who) };
  }
  return out;
}

test('worker B receives the keys, and after worker A is lost for good answers and pays as A would have', async () => {
  const api: ApiPromise = sys.api;
  const onA = await DarkClient.connect({ api, workerUrl: sys.worker.url, contractId: DEFAULT_CONTRACT_ID });

  // Secret activity on A: deposits, a transfer, an issue and its transfer, two withdrawals left pending.
  await onA.waitFor(alice, await onA.convertToSecret(alice, pha(100)), { throwOnFailure: true });
  await onA.waitFor(alice, await onA.transfer(alice, { asset: NATIVE_ASSET, dest: accountId(bob.publicKey), amount: pha(30) }), { throwOnFailure: true });
  const gold = (await onA.waitFor(alice, await onA.issue(alice, { symbol: 'GOLD', name: 'Gold', decimals: 12, supply: pha(1000) }), { throwOnFailure: true })).asset;
  await onA.waitFor(alice, await onA.transfer(alice, { asset: gold, dest: accountId(charlie.publicKey), amount: pha(250) }), { throwOnFailure: true });
  await onA.waitFor(bob, await onA.convertToPublic(bob, { dest: accountId(bob.publicKey), amount: pha(10) }), { throwOnFailure: true });
  await onA.waitFor(alice, await onA.convertToPublic(alice, { dest: accountId(dave.publicKey), amount: pha(5) }), { throwOnFailure: true });
  const before = await snapshot(onA);
  const custody = custodyAccount(CONTRACT);
  const [bobPublic, davePublic, custodyBefore] = await Promise.all([freeBalance(api, bob.address), freeBalance(api, dave.address), freeBalance(api, custody)]);
  expect((await api.query.phalaModule.usedReceipts(CONTRACT, 1)).isTrue).toBe(false); // still pending on A

  // A new worker without --join would create a second, conflicting key: it refuses to start instead.
  const stray = launch('contract/host/main.ts', workerArgs(sys.chain, `${sys.dir.path}/worker-stray`, await freePort(), ['--relayer-suri', '//Eve']));
  await stray.waitFor(/already has keys on this chain: start this worker with --join/, 90_000);
  await until(() => stray.proc.exitCode === 1, { what: 'the stray worker to exit 1' });

  // B joins: registers with its own keys, receives the contract keys from A, replays, catches up.
  const port = await freePort();
  b = launch('contract/host/main.ts', workerArgs(sys.chain, `${sys.dir.path}/worker-b`, port, ['--join', '--relayer-suri', '//Eve']));
  await b.waitFor(/waiting for a keyholder/, 90_000);
  await sys.worker.waitFor(/handed the contract keys to worker/, 90_000);
  await b.waitFor(/received the contract keys/, 90_000);
  await b.waitFor(/caught up at block/, 90_000);
  const bIdentity = /"identityPub":"(0x[0-9a-f]{64})"/.exec(await (await fetch(`http://127.0.0.1:${port}/health`)).text())![1];
  expect((await api.query.phalaModule.handedOverKeys(bIdentity)).isSome).toBe(true);
  expect((await api.query.phalaModule.contractWorkers(CONTRACT)).map((w) => w.toHex())).toContain(bIdentity);

  // A is lost for good: its process killed (first: a running worker writes into the directory being deleted), its data directory deleted.
  await sys.worker.kill('SIGKILL');
  rmSync(`${sys.dir.path}/worker`, { recursive: true, force: true });

  const onB = await DarkClient.connect({ api, workerUrl: `http://127.0.0.1:${port}`, contractId: DEFAULT_CONTRACT_ID });
  expect(await snapshot(onB)).toEqual(before);

  // Every pending withdrawal paid exactly once, by B: destinations up by exactly their amounts, custody down by their sum.
  await until(async () => (await api.query.phalaModule.usedReceipts(CONTRACT, 1)).isTrue && (await api.query.phalaModule.usedReceipts(CONTRACT, 2)).isTrue,
    { what: 'both pending receipts paid', timeoutMs: 60_000, intervalMs: 200 });
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  // Two more of B's cadence boundaries (3 blocks): a second payment would have come by then.
  await until(async () => (await api.rpc.chain.getHeader()).number.toNumber() >= head + 2 * 3, { what: 'two more cadence boundaries', intervalMs: 200 });
  expect(await freeBalance(api, bob.address) - bobPublic).toBe(pha(10));
  expect(await freeBalance(api, dave.address) - davePublic).toBe(pha(5));
  expect(custodyBefore - await freeBalance(api, custody)).toBe(pha(15));
  expect((await api.query.phalaModule.usedReceipts(CONTRACT, 3)).isTrue).toBe(false);
}, 300_000);
