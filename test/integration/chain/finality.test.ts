/**
 * GRANDPA finality of the dev chain, checked by an independent follower (grandpaFollower.ts): every
 * block's justification verifies against the authority set its parent's state names, through a
 * root-scheduled set change; `grandpa_subscribeJustifications` streams the same bytes; a restart
 * serves identical justifications.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { startChain, type RunningChain } from '../../../contract/chain/index';
import { connect, devKeys, finalize } from './helpers';
import { authoritySetAt, followChain, justificationOf, scheduledChanges, verifyJustification } from './grandpaFollower';
import { shutdown } from '../../helpers/teardown';

let dir: string;
let node: RunningChain | undefined;
let api: ApiPromise | undefined;
let keys: Awaited<ReturnType<typeof devKeys>>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dark-wallet-grandpa-test-'));
  keys = await devKeys();
  node = await startChain({ port: 0, basePath: dir, grandpaAuthorities: 3 });
  api = await connect(node.url);
});

afterAll(async () => {
  await shutdown(api, async () => node?.close());
  rmSync(dir, { recursive: true, force: true });
});

const remark = (n: number) => finalize(api!.tx.system.remark(`0x${n.toString(16).padStart(2, '0')}`), keys.alice);

test('three genesis authorities: seeds beside the chain data (0600), the set in :grandpa_authorities, set id 0', async () => {
  const seeds = readdirSync(node!.grandpaKeyDir);
  expect(seeds).toHaveLength(3);
  for (const name of seeds) expect(statSync(join(node!.grandpaKeyDir, name)).mode & 0o777).toBe(0o600);
  const set = await authoritySetAt(api!, node!.genesisHash);
  expect(set.setId).toBe(0n);
  expect(set.authorities.map((a) => a.id.slice(2)).sort()).toEqual(seeds.map((s) => s.replace('.seed', '')).sort());
  expect(set.authorities.every((a) => a.weight === 1n)).toBe(true);
  expect(await justificationOf(api!, node!.genesisHash)).toBeNull();
});

test('every block carries a FRNK justification; grandpa_subscribeJustifications streams the same bytes', async () => {
  const streamed = new Map<string, string>();
  // polkadot-js resolves a subscription with its first notification, and a node sends none before a block.
  const subscribed = api!.rpc.grandpa.subscribeJustifications((j) => {
    const target = api!.createType('GrandpaJustification', j.toU8a(true)).commit.targetHash.toHex();
    streamed.set(target, j.toHex());
  });
  const { blockHash } = await remark(1);
  (await subscribed)();
  const served = await justificationOf(api!, blockHash);
  expect(streamed.get(blockHash)).toBe(u8aToHex(served!));
  const number = (await api!.rpc.chain.getHeader(blockHash)).number.toNumber();
  verifyJustification(api!, served!, blockHash, number, await authoritySetAt(api!, (await api!.rpc.chain.getHeader(blockHash)).parentHash.toHex()));

  // Any flipped byte of a signature fails the independent check.
  const forged = served!.slice();
  forged[forged.length - 40] ^= 1;
  expect(() => verifyJustification(api!, forged, blockHash, number, { setId: 0n, authorities: [] })).toThrow();
});

test('a root-scheduled change: digest in its block, enacted at +delay (still justified by the old set), new set after', async () => {
  // Two new authorities; the test hands their seeds to the node through its key directory.
  const newSeeds = [ed25519.utils.randomSecretKey(), ed25519.utils.randomSecretKey()];
  const next = newSeeds.map((seed) => ({ id: ed25519.getPublicKey(seed), weight: 1n }));
  for (const seed of newSeeds) {
    writeFileSync(join(node!.grandpaKeyDir, `${u8aToHex(ed25519.getPublicKey(seed)).slice(2)}.seed`), `${u8aToHex(seed)}\n`, { mode: 0o600 });
  }
  const delay = 2;
  const change = api!.tx.grandpa.scheduleChange(next.map((a) => [a.id, a.weight]), delay);
  const scheduled = await finalize(api!.tx.sudo.sudo(change), keys.alice);
  expect(scheduled.names).toContain('sudo.Sudid');
  const sudid = scheduled.events.find((e) => e.event.method === 'Sudid')!;
  expect(sudid.event.data[0].toJSON()).toEqual({ ok: null });

  const header = await api!.rpc.chain.getHeader(scheduled.blockHash);
  const at = header.number.toNumber();
  expect(scheduledChanges(api!, header)).toEqual([{ at, delay, next: next.map((a) => ({ id: u8aToHex(a.id), weight: 1n })) }]);
  // A second change while one is pending is refused.
  const again = await finalize(api!.tx.sudo.sudo(change), keys.alice);
  expect(again.events.find((e) => e.event.method === 'Sudid')!.event.data[0].toJSON()).toMatchObject({ err: { module: { index: 18 } } });

  let head = (await api!.rpc.chain.getHeader()).number.toNumber();
  for (let i = 0; head < at + delay + 2; i++) head = (await api!.rpc.chain.getHeader((await remark(10 + i)).blockHash)).number.toNumber();

  const setIds = await followChain(api!, head);
  expect(setIds.slice(0, at + delay)).toEqual(Array(at + delay).fill(0n)); // blocks 1..at+delay: the old set
  expect(setIds.slice(at + delay)).toEqual(Array(head - at - delay).fill(1n));
  const enacted = (await api!.rpc.chain.getBlockHash(at + delay)).toHex();
  expect((await api!.query.grandpa.currentSetId.at(enacted)).toString()).toBe('1');
  const events = await (await api!.at(enacted)).query.system.events();
  expect(events.map((e) => `${e.event.section}.${e.event.method}`)).toContain('grandpa.NewAuthorities');
});

test('the same justifications after a restart', async () => {
  const head = (await api!.rpc.chain.getHeader()).number.toNumber();
  const before = await Promise.all(Array.from({ length: head }, async (_, i) => u8aToHex((await justificationOf(api!, (await api!.rpc.chain.getBlockHash(i + 1)).toHex()))!)));
  await api!.disconnect();
  await node!.close();
  node = await startChain({ port: 0, basePath: dir });
  api = await connect(node.url);
  const after = await Promise.all(Array.from({ length: head }, async (_, i) => u8aToHex((await justificationOf(api!, (await api!.rpc.chain.getBlockHash(i + 1)).toHex()))!)));
  expect(after).toEqual(before);
  await expect(followChain(api!, head)).resolves.toHaveLength(head);
});

test('a base path keeps its authority set: asking for another size there is refused', async () => {
  await expect(startChain({ port: 0, basePath: dir, grandpaAuthorities: 2 })).rejects.toThrow(/created with 3 GRANDPA authorities/);
});
