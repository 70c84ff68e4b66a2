/**
 * One contract, two worker processes sharing its key (dev provisioning), on a real chain: the SDK,
 * given no worker URL, finds both on chain (each verified, each endpoint signed by its identity),
 * spreads its queries over them — each worker opens its own session — and, once one worker is
 * killed, every balance, history and asset query and a new transfer still complete within the same
 * call, answered by the other.
 */
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { DarkClient } from '../../../shared/client';
import { accountId, amount, NATIVE_ASSET } from '../../../shared/types';
import { PHA } from '../../helpers/chain';
import { runDarkCli } from '../helpers/dark-cli';
import { operatorStatus } from '../helpers/processes';
import { startSharedContractSystem, stopProcessSystem, type SharedContractSystem } from '../helpers/system';

let sys: SharedContractSystem;
let client: DarkClient;
let alice: KeyringPair, bob: KeyringPair;

beforeAll(async () => {
  sys = await startSharedContractSystem('failover', 2);
  [alice, bob] = ['//Alice', '//Bob'].map((s) => new Keyring({ type: 'sr25519' }).addFromUri(s));
  client = await DarkClient.connect({ api: sys.api, contractId: 1 });
}, 240_000);

afterAll(() => stopProcessSystem(sys ?? {}));

test('the SDK reads both workers from chain and verifies each', () => {
  expect(client.workerSet.excluded).toEqual([]);
  expect(client.workerSet.trusted.map((w) => w.url).sort()).toEqual(sys.workers.map((w) => w.url).sort());
  expect(client.pool.members).toHaveLength(2);
});

test('the CLI without --worker lists both workers from chain, each with the block it processed', async () => {
  const { code, out } = await runDarkCli(['workers'], { chain: sys.chain.url });
  expect(code).toBe(0);
  expect(out).toMatch(/^Contract 1: 2 verified worker\(s\) on chain \(development attestation/m);
  for (const w of sys.workers) expect(out).toMatch(new RegExp(`^${w.url}\\tidentity 0x[0-9a-f]{16}…\\tprocessed block #\\d+$`, 'm'));
}, 60_000);

test('a CLI transfer with neither --relay, --worker nor --direct is refused when no worker on chain relays, and the account signs nothing', async () => {
  const nonce = (await sys.api.rpc.system.accountNextIndex(alice.address)).toNumber();
  const { code, out } = await runDarkCli(['transfer', '--to', bob.address, '--amount', '1', '--suri', '//Alice'], { chain: sys.chain.url, relayChosenByCli: true });
  expect(code).toBe(1);
  expect(out).toMatch(/None of the contract's verified workers on chain answers as a command relayer\. Pass --relay URL, or --direct/);
  expect((await sys.api.rpc.system.accountNextIndex(alice.address)).toNumber()).toBe(nonce);
}, 60_000);

test('queries are spread over both workers, each with its own session; after one is killed every query still answers in the same call', async () => {
  const deposit = await client.convertToSecret(alice, amount(100n * PHA));
  await client.waitFor(alice, deposit, { throwOnFailure: true });
  const sent = await client.transfer(alice, { asset: NATIVE_ASSET, dest: accountId(bob.publicKey), amount: amount(30n * PHA) });
  await client.waitFor(alice, sent, { throwOnFailure: true });
  const balances = { alice: await client.balances(alice), bob: await client.balances(bob) };
  const histories = { alice: await client.fullHistory(alice), bob: await client.fullHistory(bob) };
  expect(balances.alice).toEqual([{ asset: 0, amount: 70n * PHA }]);
  expect(balances.bob).toEqual([{ asset: 0, amount: 30n * PHA }]);
  for (let i = 0; i < 4; i++) await client.balances(alice); // round-robin: both workers see alice
  for (const w of sys.workers) expect((await operatorStatus(w)).sessions).toBeGreaterThanOrEqual(1);

  await sys.workers[0].kill('SIGKILL');
  // Each of these calls may be routed to the dead worker first; the call itself moves on to the other.
  for (let i = 0; i < 3; i++) {
    expect(await client.balances(alice)).toEqual(balances.alice);
    expect(await client.balances(bob)).toEqual(balances.bob);
    expect(await client.fullHistory(alice)).toEqual(histories.alice);
    expect(await client.fullHistory(bob)).toEqual(histories.bob);
    expect((await client.assets()).map((a) => a.symbol)).toEqual(['PHA']);
  }
  const after = await client.transfer(bob, { asset: NATIVE_ASSET, dest: accountId(alice.publicKey), amount: amount(5n * PHA) });
  const entry = await client.waitFor(bob, after, { throwOnFailure: true });
  expect(entry).toMatchObject({ kind: 'Transfer', direction: 'Out', amount: 5n * PHA });
  expect(await client.balances(alice)).toEqual([{ asset: 0, amount: 75n * PHA }]);
  expect((await client.health()).url).toBe(sys.workers[1].url);

  // The CLI, given no worker, answers from the one still up.
  const cliBalances = await runDarkCli(['balances', '--suri', '//Alice'], { chain: sys.chain.url });
  expect(cliBalances).toMatchObject({ code: 0, out: expect.stringMatching(/^PHA \(asset 0\): 75$/m) });
}, 180_000);
