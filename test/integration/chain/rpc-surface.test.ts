/**
 * The RPC surface tools built on @polkadot/api 16.5.6 expect from a Substrate node: the singular
 * `chain_subscribeNewHead` behind `subscribeNewHeads` and the derives, peer id, pending pool,
 * dry run, InBlock before Finalized, and plain HTTP POST JSON-RPC (single and batch) on the
 * WebSocket's port. No promise may be left rejected unhandled on the way.
 */
import type { ApiPromise } from '@polkadot/api';
import { startChain, type RunningChain } from '../../../contract/chain/index';
import { connect, devKeys, finalize, freeBalance, PHA } from './helpers';
import { shutdown } from '../../helpers/teardown';

let node: RunningChain;
let api: ApiPromise;
let keys: Awaited<ReturnType<typeof devKeys>>;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  // polkadot-js drops an InBlock whose events it is still fetching when Finalized arrives; on a loaded
  // CI machine that fetch can outlast the default 200 ms lag, so give it room: the order is what is tested.
  node = await startChain({ port: 0, finalityLagMs: 2_000 });
  api = await connect(node.url);
  keys = await devKeys();
});

afterAll(async () => {
  await shutdown(api, async () => node?.close());
  process.off('unhandledRejection', onUnhandled);
});

afterEach(() => expect(unhandled).toEqual([]));

/** One HTTP POST to the node's port, as curl would send it. */
async function post(body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(node.url.replace(/^ws/, 'http'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

/** Resolves with the first `count` values a subscription callback receives. */
function firstValues<T>(subscribe: (cb: (v: T) => void) => Promise<() => void>, count: number): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const seen: T[] = [];
    const subscribed = subscribe((v) => {
      seen.push(v);
      if (seen.length === count) void subscribed.then((unsub) => { unsub(); resolve(seen); });
    });
    subscribed.catch(reject);
  });
}

test('HTTP POST: single and batch requests answer like the WebSocket; subscriptions get an error', async () => {
  const single = await post({ id: 1, jsonrpc: '2.0', method: 'chain_getHeader', params: [] });
  expect(single.status).toBe(200);
  const head = await api.rpc.chain.getHeader();
  expect(single.json).toMatchObject({ id: 1, jsonrpc: '2.0', result: { number: `0x${head.number.toNumber().toString(16)}`, parentHash: head.parentHash.toHex() } });

  const batch = await post([
    { id: 'a', jsonrpc: '2.0', method: 'system_chain', params: [] },
    { id: 'b', jsonrpc: '2.0', method: 'chain_subscribeNewHeads', params: [] },
    { id: 'c', jsonrpc: '2.0', method: 'no_such_method', params: [] },
    { id: 'd', jsonrpc: '2.0', method: 'chain_getBlockHash', params: [0] },
  ]);
  expect(batch.json).toEqual([
    { jsonrpc: '2.0', id: 'a', result: 'Dark Wallet Dev' },
    { jsonrpc: '2.0', id: 'b', error: { code: -32603, message: expect.stringMatching(/not supported over HTTP/) } },
    { jsonrpc: '2.0', id: 'c', error: { code: -32601, message: 'Method not found' } },
    { jsonrpc: '2.0', id: 'd', result: node.genesisHash },
  ]);
  const bad = await fetch(node.url.replace(/^ws/, 'http'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"id":' });
  expect(await bad.json()).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
  expect((await fetch(node.url.replace(/^ws/, 'http'))).status).toBe(405);
});

test('subscribeNewHeads (rpc and derive) and derive.balances.all', async () => {
  const heads = firstValues<{ number: { toNumber(): number } }>((cb) => api.rpc.chain.subscribeNewHeads(cb), 2);
  const derived = firstValues<{ number: { toNumber(): number }; author?: unknown }>((cb) => api.derive.chain.subscribeNewHeads(cb), 2);
  const before = (await api.rpc.chain.getHeader()).number.toNumber();
  await finalize(api.tx.balances.transferKeepAlive(keys.bob.address, PHA), keys.alice);
  expect((await heads).map((h) => h.number.toNumber())).toEqual([before, before + 1]);
  expect((await derived).map((h) => h.number.toNumber())).toEqual([before, before + 1]);

  const all = await api.derive.balances.all(keys.bob.address);
  expect(all.freeBalance.toBigInt()).toBe(await freeBalance(api, keys.bob.address));
  expect(all.accountNonce.toNumber()).toBe(0);
});

test('system_localPeerId is a libp2p ed25519 PeerId; author_pendingExtrinsics lists the pool', async () => {
  expect((await api.rpc.system.localPeerId()).toString()).toMatch(/^12D3KooW[1-9A-HJ-NP-Za-km-z]{44}$/);
  // Sealing follows every submission at once, so the pool is empty between blocks.
  expect((await api.rpc.author.pendingExtrinsics()).toArray()).toEqual([]);
  const rpcMethods = (await api.rpc.rpc.methods()).methods.map((m) => m.toString());
  expect(rpcMethods).toEqual(expect.arrayContaining(['chain_subscribeNewHead', 'chain_unsubscribeNewHead', 'system_dryRun', 'author_pendingExtrinsics', 'grandpa_subscribeJustifications']));
});

test('author_pendingExtrinsics shows a queued transaction of a chain that seals on an interval', async () => {
  const slow = await startChain({ port: 0, blockTimeMs: 60_000 });
  const slowApi = await connect(slow.url);
  try {
    const tx = await slowApi.tx.system.remark('0x07').signAsync(keys.charlie);
    await slowApi.rpc.author.submitExtrinsic(tx.toHex());
    expect((await slowApi.rpc.author.pendingExtrinsics()).map((x) => x.toHex())).toEqual([tx.toHex()]);
  } finally {
    await slowApi.disconnect();
    await slow.close();
  }
});

test('system_dryRun answers ApplyExtrinsicResult: Ok(Ok), Ok(Err(dispatch error)), Err(validity)', async () => {
  const ok = await api.tx.balances.transferKeepAlive(keys.bob.address, PHA).signAsync(keys.dave);
  const okResult = await api.rpc.system.dryRun(ok.toHex());
  expect(okResult.isOk && okResult.asOk.isOk).toBe(true);
  // Nothing was kept: the same transaction still goes through.
  expect((await finalize(ok)).names).toContain('system.ExtrinsicSuccess');

  const tooMuch = await api.tx.balances.transferKeepAlive(keys.bob.address, 10n ** 9n * PHA).signAsync(keys.dave);
  const failed = await api.rpc.system.dryRun(tooMuch.toHex());
  expect(failed.isOk && failed.asOk.isErr).toBe(true);
  expect(failed.asOk.asErr.isToken || failed.asOk.asErr.isModule || failed.asOk.asErr.isArithmetic).toBe(true);

  const stale = await api.tx.balances.transferKeepAlive(keys.bob.address, PHA).signAsync(keys.dave, { nonce: 0 });
  const refused = await api.rpc.system.dryRun(stale.toHex());
  expect(refused.isErr && refused.asErr.isInvalid && refused.asErr.asInvalid.isStale).toBe(true);
});

test('signAndSend callbacks see Ready, InBlock, Finalized — InBlock with its events', async () => {
  const seen: Array<{ status: string; events: string[] }> = [];
  await new Promise<void>((resolve, reject) => {
    api.tx.balances.transferKeepAlive(keys.bob.address, PHA).signAndSend(keys.eve, (r) => {
      seen.push({ status: r.status.type, events: r.events.map((e) => `${e.event.section}.${e.event.method}`) });
      if (r.status.isFinalized) resolve();
    }).catch(reject);
  });
  expect(seen.map((s) => s.status)).toEqual(['Ready', 'InBlock', 'Finalized']);
  expect(seen[1].events).toContain('balances.Transfer');
  expect(seen[2].events).toEqual(seen[1].events);
});
