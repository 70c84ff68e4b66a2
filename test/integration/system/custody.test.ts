/**
 * Custody per contract, with the real processes: one dev chain, and two workers serving two
 * contracts (1 from genesis, 2 created by governance). The attack this closes: one deposit credited
 * by every contract's enclave, then withdrawn once through each, paid out of other users' deposits.
 */
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { DarkClient } from '../../../shared/client';
import { submitAndWatch } from '../../../shared/client/submit';
import { custodyAccount } from '../../../shared/protocol/custody';
import { accountId, amount, contractId, NATIVE_ASSET } from '../../../shared/types';
import { freeBalance } from '../../helpers/chain';
import { until } from '../../helpers/until';
import { shutdown } from '../../helpers/teardown';
import { launch, startChainProcess, startWorkerProcess, tempDir, type ChainProc, type WorkerProc } from '../helpers/processes';

const UNIT = 10n ** 12n;
const pha = (n: number) => amount(BigInt(n) * UNIT);
const CUSTODY_A = custodyAccount(contractId(1));
const CUSTODY_B = custodyAccount(contractId(2));

let dir: ReturnType<typeof tempDir>;
let chain: ChainProc;
let workerA: WorkerProc;
let workerB: WorkerProc;
let api: ApiPromise;
let contractA: DarkClient;
let contractB: DarkClient;
let alice: KeyringPair, bob: KeyringPair;
let ed: bigint;

beforeAll(async () => {
  await cryptoWaitReady();
  dir = tempDir('custody');
  chain = await startChainProcess(`${dir.path}/chain`);
  api = await ApiPromise.create({ provider: new WsProvider(chain.url), noInitWarn: true });
  const keyring = new Keyring({ type: 'sr25519' });
  [alice, bob] = ['//Alice', '//Bob'].map((s) => keyring.addFromUri(s));
  ed = api.consts.balances.existentialDeposit.toBigInt();
  await submitAndWatch(api, api.tx.sudo.sudo(api.tx.phalaModule.createContract()), alice);
  // Each worker relays from its own account, so their nonces never race.
  [workerA, workerB] = await Promise.all([
    startWorkerProcess(chain, `${dir.path}/worker-a`),
    startWorkerProcess(chain, `${dir.path}/worker-b`, undefined, ['--contract', '2', '--relayer-suri', '//Eve']),
  ]);
  contractA = await DarkClient.connect({ api, workerUrl: workerA.url, contractId: 1 });
  contractB = await DarkClient.connect({ api, workerUrl: workerB.url, contractId: 2 });
}, 180_000);

afterAll(async () => {
  await shutdown(api, async () => {
    await Promise.all([workerA?.kill(), workerB?.kill()]);
    await chain?.kill();
  });
  dir?.remove();
});

describe('one deposit, two contracts', () => {
  test('a deposit to contract A lands in A\'s custody and only A credits it', async () => {
    const s = await contractA.convertToSecret(alice, pha(100));
    expect((await contractA.waitFor(alice, s)).outcome).toMatchObject({ ok: true });
    expect(await contractA.balanceOf(alice, NATIVE_ASSET)).toBe(pha(100));
    // B's worker has seen the same block and credits nothing.
    await contractB.waitFor(alice, (await contractB.convertToSecret(alice, pha(1))));
    expect(await contractB.balanceOf(alice, NATIVE_ASSET)).toBe(pha(1));
    expect(await freeBalance(api, CUSTODY_A)).toBe(ed + pha(100));
    expect(await freeBalance(api, CUSTODY_B)).toBe(ed + pha(1));
  });

  test('withdrawing the same 100 PHA through contract B is refused by B\'s ledger; no custody moves', async () => {
    // Pushed past the SDK's own balance check, as a hostile client would: B's ledger must refuse it.
    const s = await contractB.push(alice, { kind: 'Withdraw', dest: accountId(alice.publicKey), amount: pha(100) }, { preflight: false });
    expect((await contractB.waitFor(alice, s)).outcome).toEqual({ ok: false, error: 'InsufficientBalance' });
    expect(await contractB.balanceOf(alice, NATIVE_ASSET)).toBe(pha(1));
    expect(await freeBalance(api, CUSTODY_A)).toBe(ed + pha(100));
    expect(await freeBalance(api, CUSTODY_B)).toBe(ed + pha(1));
  });

  test('a user of B withdraws only what was deposited to B, paid from B\'s custody; A\'s custody is untouched', async () => {
    const deposit = await contractB.convertToSecret(bob, pha(40));
    await contractB.waitFor(bob, deposit, { throwOnFailure: true });
    expect(await contractA.balances(bob)).toEqual([]);
    const s = await contractB.convertToPublic(bob, { dest: accountId(bob.publicKey), amount: pha(40) });
    // As of the push's own block (its fee paid, the payout not yet): read at the head, the payout could
    // already be in, since the worker follows finality and may act before Finalized reaches us.
    const afterPush = await freeBalance(api, bob.address, s.blockHash);
    expect((await contractB.waitFor(bob, s)).outcome).toEqual({ ok: true, receiptSeq: 1n });
    await until(async () => (await api.query.phalaModule.usedReceipts(2, 1)).isTrue, { what: 'B\'s receipt paid', intervalMs: 100 });
    expect((await freeBalance(api, bob.address)) - afterPush).toBe(pha(40));
    expect(await freeBalance(api, CUSTODY_B)).toBe(ed + pha(1));
    expect(await freeBalance(api, CUSTODY_A)).toBe(ed + pha(100));
  });

  test('the 100 PHA come out once, through A, from A\'s custody', async () => {
    const s = await contractA.convertToPublic(alice, { dest: accountId(bob.publicKey), amount: pha(100) });
    expect((await contractA.waitFor(alice, s)).outcome).toEqual({ ok: true, receiptSeq: 1n });
    await until(async () => (await api.query.phalaModule.usedReceipts(1, 1)).isTrue, { what: 'A\'s receipt paid', intervalMs: 100 });
    expect(await freeBalance(api, CUSTODY_A)).toBe(ed);
    expect(await freeBalance(api, CUSTODY_B)).toBe(ed + pha(1));
    expect(await contractA.balanceOf(alice, NATIVE_ASSET)).toBe(pha(0));
  });
});

test('a worker for a contract governance never created does not start', async () => {
  const stray = launch('contract/host/main.ts', [
    '--chain', chain.url, '--base-path', `${dir.path}/worker-stray`, '--port', '0', '--attestation-seed', chain.seedPath,
    '--contract', '7', '--relayer-suri', '//Dave', '--no-relay',
  ]);
  try {
    await stray.waitFor(/Contract 7 does not exist on this chain/);
    await until(() => stray.proc.exitCode !== null, { what: 'the stray worker to exit' });
    expect(stray.proc.exitCode).toBe(1);
    expect((await api.query.phalaModule.contractKeys(7)).isNone).toBe(true);
  } finally {
    await stray.kill();
  }
});
