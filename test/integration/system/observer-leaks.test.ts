/**
 * What a chain observer or an anonymous caller could learn, closed (SECURITY.md "Receipt cadence",
 * "Who issued a token"), against the real chain and worker processes:
 * - withdrawal receipts are paid only after cadence boundaries, every receipt pending at a boundary in
 *   the same block, whatever block its withdrawal was pushed in, and a worker restart in between
 *   keeps them held;
 * - Assets/AssetInfo name a token's issuer only to the issuer's own session;
 * - the public `/health` shows no count; the counts are on the loopback-only operator status.
 */
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { DarkClient } from '../../../shared/client';
import { accountId, amount, type AssetId } from '../../../shared/types';
import { freeBalance, PHA } from '../../helpers/chain';
import { until } from '../../helpers/until';
import { operatorStatus, startWorkerProcess } from '../helpers/processes';
import { startProcessSystem, stopProcessSystem, type ProcessSystem } from '../helpers/system';

/** Long enough that three withdrawals, one after another, fit between two boundaries (an idle block comes every 200 ms). */
const CADENCE = 24;
const WORKER_ARGS = ['--receipt-cadence', String(CADENCE)];
const WITHDRAW = amount(3n * PHA);

let sys: ProcessSystem;
let client: DarkClient;
let alice: KeyringPair, bob: KeyringPair, charlie: KeyringPair, dave: KeyringPair;

const head = async () => (await sys.api.rpc.chain.getHeader()).number.toNumber();
const boundaryAfter = (block: number) => Math.ceil(block / CADENCE) * CADENCE;

/** The block that paid each receipt seq (its `TransferToChain` event), over blocks `from`..head. */
async function payouts(from: number): Promise<Map<bigint, number>> {
  const paid = new Map<bigint, number>();
  const to = await head();
  for (let n = from; n <= to; n++) {
    const at = await sys.api.at(await sys.api.rpc.chain.getBlockHash(n));
    const records = (await at.query.system.events()) as unknown as { event: { section: string; method: string; data: { toJSON(): unknown[] } } }[];
    for (const { event } of records) {
      if (event.section === 'phalaModule' && event.method === 'TransferToChain') paid.set(BigInt(event.data.toJSON()[2] as number), n);
    }
  }
  return paid;
}

beforeAll(async () => {
  sys = await startProcessSystem('observer-leaks', WORKER_ARGS);
  [alice, bob, charlie, dave] = ['//Alice', '//Bob', '//Charlie', '//Dave'].map((s) => new Keyring({ type: 'sr25519' }).addFromUri(s));
  client = await DarkClient.connect({ api: sys.api, workerUrl: sys.worker.url, contractId: 1 });
  for (const pair of [alice, bob, charlie]) await client.waitFor(pair, await client.convertToSecret(pair, amount(50n * PHA)), { throwOnFailure: true });
}, 180_000);

afterAll(() => stopProcessSystem(sys));

describe('unauthenticated endpoints reveal no counts', () => {
  test('/health says where the worker is and who it is, and counts nothing; the operator status, on loopback only, has the counts', async () => {
    await client.balances(alice); // opens a query session, so there is a count to hide
    const health = await (await fetch(`${sys.worker.url}/health`)).json() as Record<string, unknown>;
    expect(Object.keys(health).sort()).toEqual(
      ['attestation', 'authoritySetId', 'catchingUp', 'checkpoints', 'contractId', 'contractPub', 'following', 'identityPub', 'lastBlock', 'lastBlockHash'],
    );
    // Whether its ledger agrees with the contract's other workers, and whether it is still replaying, is public
    // (the chain shows both anyway); it counts nothing.
    expect(health.checkpoints).toEqual({ state: 'agreeing' });
    expect(health.catchingUp).toBe(false);
    expect(JSON.stringify(health)).not.toMatch(/session|receipt|pending|stuck|unpaid|held/i);

    const status = await operatorStatus(sys.worker);
    expect(status.sessions).toBeGreaterThanOrEqual(1);
    expect(status).toMatchObject({ heldReceipts: 0, unpaidReceipts: 0, pendingReceipts: 0, stuckReceipts: [] });
    // Not for web pages (an Origin) nor for a name that is not the loopback (DNS rebinding).
    expect((await fetch(sys.worker.operatorUrl, { headers: { origin: 'http://127.0.0.1:8080' } })).status).toBe(403);
    const url = new URL(sys.worker.operatorUrl);
    const rebound = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ get }) => get({ host: url.hostname, port: url.port, path: url.pathname, headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject), reject);
    });
    expect(rebound).toBe(403);
  });
});

describe('a token\'s issuer is shown to the issuer only', () => {
  let id: AssetId;
  beforeAll(async () => {
    const issued = await client.waitFor(bob, await client.issue(bob, { symbol: 'VEIL', name: 'Veil', decimals: 6, supply: amount(1_000_000n) }), { throwOnFailure: true });
    id = issued.asset;
  }, 60_000);

  test('Assets and AssetInfo without the issuer\'s own session return no issuer', async () => {
    const veil = { id, symbol: 'VEIL', name: 'Veil', decimals: 6, issuer: null };
    expect(await client.assets()).toContainEqual(veil); // anonymous
    expect(await client.assetInfo(id)).toEqual(veil);
    expect(await client.assets(alice)).toContainEqual(veil); // another account's session
    expect(await client.assetInfo(id, alice)).toEqual(veil);
  });

  test('through the issuer\'s own session they do', async () => {
    const veil = { id, symbol: 'VEIL', name: 'Veil', decimals: 6, issuer: accountId(bob.publicKey) };
    expect(await client.assets(bob)).toContainEqual(veil);
    expect(await client.assetInfo(id, bob)).toEqual(veil);
  });
});

describe('withdrawal receipts are paid on the cadence, in batches', () => {
  test('withdrawals pushed in different blocks are paid together after the next boundary, a worker restart in between notwithstanding', async () => {
    // Start just after a boundary, so all three withdrawals come before the next one.
    await until(async () => (await head()) % CADENCE === 1, { what: 'the block after a boundary', timeoutMs: 30_000, intervalMs: 50 });
    const from = await head();
    const daveBefore = await freeBalance(sys.api, dave.address);
    const senders = [alice, bob, charlie];
    const submitted = [];
    for (const pair of senders) submitted.push(await client.convertToPublic(pair, { dest: accountId(dave.publicKey), amount: WITHDRAW }));
    const pushed: { seq: bigint; block: number }[] = [];
    for (const [i, pair] of senders.entries()) {
      const { outcome } = await client.waitFor(pair, submitted[i], { throwOnFailure: true });
      pushed.push({ seq: outcome.ok ? outcome.receiptSeq! : -1n, block: submitted[i].blockNumber });
    }
    const boundary = boundaryAfter(pushed[0].block);
    expect(new Set(pushed.map((p) => p.block)).size).toBe(3);
    expect(pushed.map((p) => boundaryAfter(p.block))).toEqual([boundary, boundary, boundary]);

    // Held, not paid: the worker keeps them for the boundary, across a restart.
    expect(await operatorStatus(sys.worker)).toMatchObject({ heldReceipts: 3, unpaidReceipts: 0, pendingReceipts: 0 });
    await sys.worker.kill();
    expect(await head()).toBeLessThan(boundary);
    for (const { seq } of pushed) expect((await sys.api.query.phalaModule.usedReceipts(1, seq)).isTrue).toBe(false);
    sys.worker = await startWorkerProcess(sys.chain, `${sys.dir.path}/worker`, undefined, WORKER_ARGS);
    const restoredAt = Number(/restored sealed state at block #(\d+)/.exec(sys.worker.output())?.[1]);
    expect(restoredAt).toBeLessThan(boundary);

    await until(async () => (await Promise.all(pushed.map(({ seq }) => sys.api.query.phalaModule.usedReceipts(1, seq)))).every((u) => u.isTrue),
      { what: 'the three receipts paid', timeoutMs: 60_000, intervalMs: 100 });
    const paidIn = await payouts(from);
    const blocks = pushed.map(({ seq }) => paidIn.get(seq));
    expect(new Set(blocks).size).toBe(1); // one batch, one block (one transferToChainBatch extrinsic)
    expect(blocks[0]).toBeGreaterThan(boundary); // released at the boundary, paid after it
    // Nothing else was paid out since the withdrawals, and Dave got all three.
    expect([...paidIn.values()].every((b) => b === blocks[0])).toBe(true);
    expect((await freeBalance(sys.api, dave.address)) - daveBefore).toBe(3n * WITHDRAW);
    expect(sys.worker.output()).toMatch(/block #\d+: \d+ item\(s\), 3 receipt\(s\) released/);
    // The enclave itself saw the batch paid, from the verified block (a transferToChainBatch extrinsic).
    await until(async () => {
      const status = await operatorStatus(sys.worker);
      return status.heldReceipts === 0 && status.unpaidReceipts === 0 && status.pendingReceipts === 0;
    }, { what: 'the worker to see the batch paid', timeoutMs: 30_000, intervalMs: 100 });
  }, 180_000);
});
