/**
 * The enclave believes only the chain, end to end: the real dev chain, and workers that read it
 * through a lying RPC proxy (what a hostile operator controls). The attack that once made the enclave
 * sign a 510-PHA receipt for a 1-PHA depositor: invent a 500-PHA deposit into the block carrying her
 * withdrawal, feed her real command ten times, or under another signer. Each lie about that block is
 * refused twice (the worker fetches it again once), following stops with the typed reason on
 * /health, nothing of the block is applied and no receipt exists; an honest worker then applies the
 * same block and her withdrawal fails for want of balance, so the chain pays nothing.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiPromise } from '@polkadot/api';
import { startChain, type RunningChain } from '../../../contract/chain';
import { SYSTEM_EVENTS_KEY } from '../../../contract/enclave';
import { startWorker, type RunningWorker } from '../../../contract/host/worker';
import { dispatchInfo } from '../../../contract/chain/runtime/fees';
import { sealCommand } from '../../../shared/crypto/envelope';
import { Trie } from '../../../shared/trie';
import { accountId, amount, contractId, fromHex, toHex } from '../../../shared/types';
import { httpRpc } from '../../helpers/http-rpc';
import { startRpcProxy, type Rewrite } from '../../helpers/rpc-proxy';
import { codec } from '../../helpers/test-chain';
import { until } from '../../helpers/until';
import { connect, devKeys, finalize } from '../chain/helpers';
import { tempDir } from '../helpers/processes';
import { shutdown } from '../../helpers/teardown';

const PHA = 10n ** 12n;
interface BlockJson { block: { header: { number: string }; extrinsics: string[] }; justifications: [string, string][] | null }

let chain: RunningChain;
let api: ApiPromise;
let dir: ReturnType<typeof tempDir>;
let template: string;
/** The block with Eve's 510-PHA withdrawal, the block before it, and what the chain says about both. */
let target: { hash: string; number: number; json: BlockJson; evePosition: number };
let previous: { hash: string; json: BlockJson; proof: { at: string; proof: string[] } };
let eveHex: string, aliceHex: string;

const rpc = <T>(method: string, params: unknown[]) => httpRpc(chain.url)<T>(method, params);

const workerOptions = (chainUrl: string, basePath: string) => ({
  chainUrl, basePath, port: 0, contractId: 1, log: () => {},
  attestation: { kind: 'dev' as const, seedPath: chain.devAuthoritySeedPath },
});

/** A new worker with the template's enclave secret (the registered contract key) and no state yet. */
function workerDir(name: string): string {
  const path = join(dir.path, name);
  mkdirSync(path);
  for (const f of ['enclave.key', 'enclave.secret']) copyFileSync(join(template, f), join(path, f));
  return path;
}

async function health(w: RunningWorker): Promise<{ lastBlock: number; following: { state: string; reason?: string; block?: number } }> {
  return (await fetch(`${w.url}/health`)).json() as never;
}

beforeAll(async () => {
  chain = await startChain({ port: 0 });
  api = await connect(chain.url);
  dir = tempDir('lying-host');
  template = join(dir.path, 'template');
  const first = await startWorker(workerOptions(chain.url, template)); // registers the contract key
  const contractPub = first.enclave.contractPub;
  await first.close();

  const { alice, eve } = await devKeys();
  [eveHex, aliceHex] = [toHex(eve.publicKey).slice(2), toHex(alice.publicKey).slice(2)];
  await finalize(api.tx.phalaModule.transferToTee(1, PHA), eve);
  const withdraw = await sealCommand(contractPub, { genesisHash: fromHex(chain.genesisHash), contractId: contractId(1), signer: accountId(eve.publicKey) },
    { kind: 'Withdraw', dest: accountId(eve.publicKey), amount: amount(510n * PHA) });
  const pushed = await finalize(api.tx.phalaModule.pushCommand(1, toHex(withdraw)), eve);
  await finalize(api.tx.system.remark('0x00'), alice); // a block after it, so the chain moves on

  const json = await rpc<BlockJson>('chain_getBlock', [pushed.blockHash]);
  const number = Number(json.block.header.number);
  const prevHash = await rpc<string>('chain_getBlockHash', [number - 1]);
  target = { hash: pushed.blockHash, number, json, evePosition: json.block.extrinsics.findIndex((x) => x.includes(eveHex)) };
  previous = {
    hash: prevHash,
    json: await rpc<BlockJson>('chain_getBlock', [prevHash]),
    proof: await rpc<{ at: string; proof: string[] }>('state_getReadProof', [[SYSTEM_EVENTS_KEY], prevHash]),
  };
  expect(target.evePosition).toBeGreaterThan(0);
}, 120_000);

afterAll(async () => {
  await shutdown(api, async () => { await chain?.close(); });
  dir?.remove();
});

/** A proof of System.Events that credits Eve 500 PHA in the target block (from a trie of the liar's own). */
function inventedDepositProof(): { at: string; proof: string[] } {
  const ok = codec.event('System', 'ExtrinsicSuccess', { dispatchInfo: dispatchInfo(1000n, 'Normal') });
  const records = target.json.block.extrinsics.flatMap((_, i) => [
    ...(i === target.evePosition ? [{ phase: { ApplyExtrinsic: i }, event: codec.event('PhalaModule', 'TransferToTee', { contractId: 1, who: `0x${eveHex}`, amount: 500n * PHA }) }] : []),
    { phase: { ApplyExtrinsic: i }, event: ok },
  ]);
  const trie = Trie.empty(1).with([[SYSTEM_EVENTS_KEY, codec.eventRecords(records)]]);
  return { at: target.hash, proof: trie.readProof([SYSTEM_EVENTS_KEY]).map(toHex) };
}

const isTarget = (hash: unknown) => typeof hash === 'string' && hash.toLowerCase() === target.hash.toLowerCase();
const bodyLie = (extrinsics: (xs: string[]) => string[]): Rewrite => (method, params, result) =>
  method === 'chain_getBlock' && isTarget(params[0]) ? { ...target.json, block: { ...target.json.block, extrinsics: extrinsics(target.json.block.extrinsics) } } : result;
const proofLie = (proof: () => { at: string; proof: string[] }): Rewrite => (method, params, result) =>
  method === 'state_getReadProof' && isTarget(params[1]) ? proof() : result;
const flipByte = (hex: string, at: number) => `${hex.slice(0, at)}${(parseInt(hex[at], 16) ^ 1).toString(16)}${hex.slice(at + 1)}`;

const lies: [string, () => Rewrite, string][] = [
  ['an invented 500-PHA deposit in the proven events', () => proofLie(inventedDepositProof), 'BadProof'],
  ['her real command fed ten times', () => bodyLie((xs) => [...xs, ...Array<string>(9).fill(xs[target.evePosition])]), 'ExtrinsicsRootMismatch'],
  ['her command under another signer', () => bodyLie((xs) => xs.map((x, i) => (i === target.evePosition ? x.replace(eveHex, aliceHex) : x))), 'ExtrinsicsRootMismatch'],
  ['a body from another block', () => bodyLie(() => previous.json.block.extrinsics), 'ExtrinsicsRootMismatch'],
  ['a stale proof (the block before)', () => proofLie(() => previous.proof), 'BadProof'],
  ['a forged justification', () => (method, params, result) => {
    if (method !== 'chain_getBlock' || !isTarget(params[0])) return result;
    const [[engine, j]] = target.json.justifications!;
    return { ...target.json, justifications: [[engine, flipByte(j, j.length - 70)]] }; // inside the last precommit's signature
  }, 'BadJustification'],
  ['the block before, replayed as this one', () => (method, params, result) => {
    if (method === 'chain_getBlock' && isTarget(params[0])) return previous.json;
    return method === 'state_getReadProof' && isTarget(params[1]) ? previous.proof : result;
  }, 'BrokenParentLink'],
];

it.each(lies)('%s: refused, following stops with the reason on /health, nothing applied', async (name, lie, reason) => {
  const proxy = await startRpcProxy(chain.url, lie());
  const worker = await startWorker(workerOptions(proxy.url, workerDir(name.replace(/\W+/g, '-'))));
  try {
    const h = await until(async () => { const x = await health(worker); return x.following.state === 'stopped' && x; }, { what: 'the worker to stop following' });
    expect(h.following).toEqual({ state: 'stopped', reason, block: target.number });
    expect(h.lastBlock).toBe(target.number - 1);
    expect(worker.enclave.counts()).toMatchObject({ heldReceipts: 0, unpaidReceipts: 0 });
    await expect(worker.processed(target.number)).rejects.toMatchObject({ code: 'FollowingStopped' });
  } finally {
    await worker.close();
    await proxy.close();
  }
}, 60_000);

it('an honest worker applies the same block: Eve holds 1 PHA, so her 510-PHA withdrawal signs no receipt and the chain pays nothing', async () => {
  const worker = await startWorker(workerOptions(chain.url, workerDir('honest')));
  try {
    await worker.processed(target.number + 1);
    const h = await health(worker);
    expect(h.following).toEqual({ state: 'following' });
    expect(worker.enclave.counts()).toMatchObject({ heldReceipts: 0, unpaidReceipts: 0 }); // none signed, none held
    expect(worker.enclave.unpaidReceipts()).toEqual([]);
    expect((await api.query.phalaModule.usedReceipts(1, 1)).isTrue).toBe(false);
  } finally {
    await worker.close();
  }
}, 60_000);
