/**
 * Upgrade, end to end with the CLI (issue 18, DESIGN.md §11), with the real chain and worker
 * processes: worker A runs dev build 1 (measurement M1) and holds secret activity — deposits,
 * transfers, an issued token and a withdrawal left pending (custody drained by root, so it cannot be
 * paid yet). Governance allows M2; worker B starts as dev build 2 with `--join`, receives the keys
 * from A and catches up; governance removes M1; A is stopped. A loop of reads (balances, history,
 * assets), with a client that finds its workers on chain as a user's would, runs the whole time and
 * none may fail. A, still running after the removal, tries to pay the pending receipt and the
 * chain refuses its signature; B pays it, exactly once. At the end a CLI transfer, given neither
 * --worker nor --relay, finds B's relayer through the chain alone, and the CLI reads balances,
 * histories and assets equal to the model kept here.
 */
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { DarkClient } from '../../../shared/client';
import { submitAndWatch } from '../../../shared/client/submit';
import { DEFAULT_CONTRACT_ID } from '../../../shared/constants';
import { custodyAccount } from '../../../shared/protocol/custody';
import { DEV_MEASUREMENT, devMeasurement } from '../../../shared/protocol/attestation';
import type { HistoryEntry, HistoryKind, Direction } from '../../../shared/protocol/ledger';
import { accountId, amount, contractId, NATIVE_ASSET, type AssetId } from '../../../shared/types';
import { freeBalance, PHA } from '../../helpers/chain';
import { until } from '../../helpers/until';
import { RELAY_FEE_DEFAULT } from '../../../contract/host/command-relay';
import { formatUnits } from '../../../shared/units';
import { runDarkCli } from '../helpers/dark-cli';
import { freePort, launch, operatorStatus, workerArgs, type WorkerProc } from '../helpers/processes';
import { startProcessSystem, stopProcessSystem, type ProcessSystem } from '../helpers/system';

const CONTRACT = contractId(DEFAULT_CONTRACT_ID);
const CUSTODY = custodyAccount(CONTRACT);
const M2 = devMeasurement(2);

let sys: ProcessSystem;
let b: WorkerProc | undefined;
let api: ApiPromise;
let alice: KeyringPair, bob: KeyringPair, charlie: KeyringPair, dave: KeyringPair;

beforeAll(async () => {
  sys = await startProcessSystem('upgrade');
  api = sys.api;
  [alice, bob, charlie, dave] = ['//Alice', '//Bob', '//Charlie', '//Dave'].map((s) => new Keyring({ type: 'sr25519' }).addFromUri(s));
}, 120_000);

afterAll(async () => {
  await b?.kill();
  await stopProcessSystem(sys ?? {});
});

const sudo = (call: Parameters<typeof api.tx.sudo.sudo>[0]) => submitAndWatch(api, api.tx.sudo.sudo(call), alice);
const isPaid = async (seq: bigint) => (await api.query.phalaModule.usedReceipts(CONTRACT, seq)).isTrue;
const stuck = async (w: WorkerProc, seq: bigint) => (await operatorStatus(w)).stuckReceipts.find((s) => s.seq === seq.toString());

/** What each account's secret state must be, kept here from what the test did (not from what a worker said). */
type ModelEntry = { kind: HistoryKind; direction: Direction; asset: AssetId; amount: bigint };
const model = { balances: new Map<string, Map<AssetId, bigint>>(), history: new Map<string, ModelEntry[]>() };
function note(who: KeyringPair, kind: HistoryKind, direction: Direction, asset: AssetId, value: bigint, delta: bigint): void {
  const held = model.balances.get(who.address) ?? new Map<AssetId, bigint>();
  held.set(asset, (held.get(asset) ?? 0n) + delta);
  model.balances.set(who.address, held);
  model.history.set(who.address, [...(model.history.get(who.address) ?? []), { kind, direction, asset, amount: value }]);
}
const expectedBalances = (who: KeyringPair) =>
  [...(model.balances.get(who.address) ?? new Map<AssetId, bigint>())].filter(([, v]) => v > 0n).sort(([a], [z]) => a - z).map(([asset, v]) => ({ asset, amount: v }));
const projected = (entries: HistoryEntry[]): ModelEntry[] => entries.map((e) => {
  expect(e.outcome.ok).toBe(true);
  return { kind: e.kind, direction: e.direction, asset: e.asset, amount: e.amount };
});

/**
 * One round of the reads a user makes, with a client that found the contract's workers on chain and
 * follows the chain's list (as the wallet does on each head): workers join it, removed ones leave it.
 */
async function readRound(client: DarkClient): Promise<void> {
  await client.refreshWorkers();
  for (const who of [alice, bob, charlie]) {
    expect(await client.balances(who)).toEqual(expectedBalances(who));
    expect(projected(await client.fullHistory(who))).toEqual(model.history.get(who.address) ?? []);
  }
  expect((await client.assets()).map((a) => a.symbol)).toEqual(['PHA', 'GOLD']);
}

test('governance allows M2, B joins as M2 and takes over, M1 is removed and A stopped: no read fails, B pays, A is refused', async () => {
  const onA = await DarkClient.connect({ api, workerUrl: sys.worker.url, contractId: DEFAULT_CONTRACT_ID });
  expect(JSON.parse(await (await fetch(`${sys.worker.url}/health`)).text()).attestation.measurement).toBe(DEV_MEASUREMENT);

  // Secret activity on A.
  await onA.waitFor(alice, await onA.convertToSecret(alice, amount(100n * PHA)), { throwOnFailure: true });
  note(alice, 'Deposit', 'In', NATIVE_ASSET, 100n * PHA, 100n * PHA);
  await onA.waitFor(alice, await onA.transfer(alice, { asset: NATIVE_ASSET, dest: accountId(bob.publicKey), amount: amount(30n * PHA) }), { throwOnFailure: true });
  note(alice, 'Transfer', 'Out', NATIVE_ASSET, 30n * PHA, -30n * PHA);
  note(bob, 'Transfer', 'In', NATIVE_ASSET, 30n * PHA, 30n * PHA);
  const gold = (await onA.waitFor(alice, await onA.issue(alice, { symbol: 'GOLD', name: 'Gold', decimals: 12, supply: amount(1000n * PHA) }), { throwOnFailure: true })).asset!;
  note(alice, 'Issue', 'Self', gold, 1000n * PHA, 1000n * PHA);
  await onA.waitFor(alice, await onA.transfer(alice, { asset: gold, dest: accountId(charlie.publicKey), amount: amount(250n * PHA) }), { throwOnFailure: true });
  note(alice, 'Transfer', 'Out', gold, 250n * PHA, -250n * PHA);
  note(charlie, 'Transfer', 'In', gold, 250n * PHA, 250n * PHA);

  // A withdrawal left pending: root drains the custody first, so A's receipt waits as CustodyShort.
  const custodyFull = await freeBalance(api, CUSTODY);
  const ed = api.consts.balances.existentialDeposit.toBigInt();
  await sudo(api.tx.balances.forceSetBalance(CUSTODY, ed + PHA));
  const { outcome } = await onA.waitFor(alice, await onA.convertToPublic(alice, { dest: accountId(dave.publicKey), amount: amount(5n * PHA) }), { throwOnFailure: true });
  note(alice, 'Withdraw', 'Out', NATIVE_ASSET, 5n * PHA, -5n * PHA);
  const seq = outcome.ok ? outcome.receiptSeq! : -1n;
  expect(await until(() => stuck(sys.worker, seq), { what: "A's receipt listed as stuck" })).toMatchObject({ reason: 'CustodyShort' });
  const daveBefore = await freeBalance(api, dave.address);
  const reader = await DarkClient.connect({ api, contractId: DEFAULT_CONTRACT_ID });
  await readRound(reader);

  // Reads run through the whole switch; every one must succeed and equal the model.
  let switching = true;
  let rounds = 0;
  const reads = (async () => {
    while (switching) {
      await readRound(reader);
      rounds += 1;
    }
  })();

  // Governance allows M2; B joins as dev build 2, receives the keys from A and catches up.
  await sudo(api.tx.phalaModule.addMeasurement(M2));
  const port = await freePort();
  const proc = launch('contract/host/main.ts', workerArgs(sys.chain, `${sys.dir.path}/worker-b`, port, ['--join', '--relayer-suri', '//Eve', '--dev-enclave-version', '2', '--relay-interval', '500']));
  await proc.waitFor(/waiting for a keyholder/, 90_000);
  await sys.worker.waitFor(/handed the contract keys to worker/, 90_000);
  await proc.waitFor(/caught up at block/, 90_000);
  await proc.waitFor(/worker ready/, 90_000);
  b = { ...proc, url: `http://127.0.0.1:${port}`, operatorUrl: /operator status (http:\/\/\S+)/.exec(proc.output())![1] };
  expect(JSON.parse(await (await fetch(`${b.url}/health`)).text()).attestation.measurement).toBe(M2);

  // Governance removes M1. A, still running, retries the pending receipt: the chain refuses its signature.
  await sudo(api.tx.phalaModule.removeMeasurement(DEV_MEASUREMENT));
  const refused = await until(async () => {
    const s = await stuck(sys.worker, seq);
    return s?.reason === 'WorkerNotAccepted' ? s : undefined;
  }, { what: "A's retry refused by the chain", timeoutMs: 60_000 });
  expect(refused).toMatchObject({ chainError: 'PhalaModule.BadReceiptSignature' });
  expect(await isPaid(seq)).toBe(false);

  // Root refills the custody; B (the only worker still allowed) pays the receipt. A is stopped.
  await sudo(api.tx.balances.forceSetBalance(CUSTODY, custodyFull));
  await until(() => isPaid(seq), { what: 'the pending receipt paid', timeoutMs: 60_000 });
  await sys.worker.kill();
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  await until(async () => (await api.rpc.chain.getHeader()).number.toNumber() >= head + 6, { what: 'two more cadence boundaries', intervalMs: 200 });
  switching = false;
  await reads;
  expect(rounds).toBeGreaterThanOrEqual(2);
  expect(reader.workerSet.trusted.map((w) => w.url)).toEqual([b.url]);
  expect(b.output().match(new RegExp(`withdraw receipt #${seq} paid`, 'g'))).toHaveLength(1);
  expect(await freeBalance(api, dave.address) - daveBefore).toBe(5n * PHA);
  expect(await freeBalance(api, CUSTODY)).toBe(custodyFull - 5n * PHA);

  // End to end with the CLI, given neither --worker nor --relay: it finds B on chain as the contract's
  // relaying worker, and its relayed transfer pays B's relayer the fee in secret PHA.
  const chain = { chain: sys.chain.url };
  const sent = await runDarkCli(['transfer', '--to', bob.address, '--amount', '7', '--suri', '//Alice'], { ...chain, relayChosenByCli: true });
  expect(sent).toMatchObject({ code: 0, out: expect.stringMatching(/^Sent 7 PHA \(asset 0\) to \S+: applied in block #\d+\.$/m) });
  note(alice, 'RelayFee', 'Out', NATIVE_ASSET, RELAY_FEE_DEFAULT, -RELAY_FEE_DEFAULT);
  note(alice, 'Transfer', 'Out', NATIVE_ASSET, 7n * PHA, -7n * PHA);
  note(bob, 'Transfer', 'In', NATIVE_ASSET, 7n * PHA, 7n * PHA);

  const symbol = (asset: AssetId) => (asset === gold ? 'GOLD' : 'PHA');
  for (const [who, suri] of [[alice, '//Alice'], [bob, '//Bob'], [charlie, '//Charlie']] as const) {
    const balances = await runDarkCli(['balances', '--suri', suri], chain);
    expect(balances.code).toBe(0);
    expect(balances.out.trim().split('\n')).toEqual(expectedBalances(who).map((x) => `${symbol(x.asset)} (asset ${x.asset}): ${formatUnits(x.amount, 12)}`));
    const history = await runDarkCli(['history', '--suri', suri], chain);
    expect(history.code).toBe(0);
    const lines = history.out.trim().split('\n').map((l) => /^#\d+ (\w+) ([\d.]+) (\w+)(?: (?:to|from) \S+)? \(ok\)$/.exec(l)?.slice(1).join(' ') ?? l);
    expect(lines).toEqual((model.history.get(who.address) ?? []).map((e) => `${e.kind} ${formatUnits(e.amount, 12)} ${symbol(e.asset)}`));
  }
  // GOLD's supply is what its holders have, all of it issued once.
  const goldHeld = [alice, bob, charlie].reduce((sum, who) => sum + (model.balances.get(who.address)?.get(gold) ?? 0n), 0n);
  expect(goldHeld).toBe(1000n * PHA);
  const assets = await runDarkCli(['assets'], chain);
  expect(assets.code).toBe(0);
  expect(assets.out).toMatch(new RegExp(`^${gold}\\tGOLD\\tGold\\t12 decimals`, 'm'));
  const workers = await runDarkCli(['workers'], chain);
  expect(workers.out).toMatch(/^Contract 1: 1 verified worker\(s\) on chain/m);
  expect(workers.out).toMatch(/its code measurement is no longer allowed on chain\./);
}, 300_000);
