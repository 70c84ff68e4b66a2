/**
 * The running system for the end-to-end benchmarks: the real dev chain (`contract/chain/main.ts`)
 * and worker (`contract/host/main.ts`) as child processes on free ports, as `npm start` runs them,
 * plus what the benchmarks need around them: pre-signed extrinsics with explicit nonces, batches
 * submitted on one plain WebSocket (`author_submitAndWatchExtrinsic`) and timed until the chain
 * includes them, and accounts funded with secret balances.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { WebSocket } from 'ws';
import { DarkClient } from '../../shared/client';
import { startChainProcess, startWorkerProcess, tempDir, type Proc } from '../integration/helpers/processes';
import { DEFAULT_CONTRACT_ID } from '../../shared/constants';
import { provisionSharedContract } from '../integration/helpers/system';

export const UNIT = 10n ** 12n;
export const DEV = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'] as const;

export interface System {
  chainUrl: string;
  workerUrl: string;
  /** The worker's loopback-only operator status (session and receipt counts). */
  operatorUrl: string;
  api: ApiPromise;
  client: DarkClient;
  keyring: Keyring;
  chainPid: number;
  workerPid: number;
  /** The next nonce of every account this benchmark signs for (all its transactions go through `sign`). */
  nonces: Map<string, number>;
  /**
   * Starts another worker of the contract (its key provisioned beside the first's, as a second
   * `npm start` worker is): it registers, publishes its endpoint and replays. Needs `spareWorkers`.
   */
  startSpareWorker(): Promise<{ url: string; pid: number }>;
  stop(): Promise<void>;
}

/**
 * `workerArgs`: extra `npm run worker` flags (a bench that relays configures the worker's relayer);
 * `spareWorkers`: how many more workers of the contract `startSpareWorker` may start later.
 */
export async function startSystem(workerArgs: string[] = [], opts: { spareWorkers?: number } = {}): Promise<System> {
  await cryptoWaitReady();
  const dir = tempDir('bench');
  const started: Proc[] = [];
  const spares = Array.from({ length: opts.spareWorkers ?? 0 }, (_, i) => join(dir.path, `worker-${i + 1}`));
  if (spares.length) provisionSharedContract([join(dir.path, 'worker'), ...spares]);
  try {
    const chain = await startChainProcess(join(dir.path, 'chain'));
    started.push(chain);
    const worker = await startWorkerProcess(chain, join(dir.path, 'worker'), undefined, workerArgs);
    started.push(worker);
    const api = await ApiPromise.create({ provider: new WsProvider(chain.url), noInitWarn: true });
    const client = await DarkClient.connect({ api, workerUrl: worker.url, contractId: DEFAULT_CONTRACT_ID });
    return {
      chainUrl: chain.url, workerUrl: worker.url, operatorUrl: worker.operatorUrl, api, client, keyring: new Keyring({ type: 'sr25519' }), nonces: new Map(),
      chainPid: chain.proc.pid!, workerPid: worker.proc.pid!,
      async startSpareWorker() {
        const path = spares.shift();
        if (!path) throw new Error('No spare worker was provisioned: pass spareWorkers.');
        const spare = await startWorkerProcess(chain, path, undefined, workerArgs);
        started.push(spare);
        return { url: spare.url, pid: spare.proc.pid! };
      },
      async stop() {
        await api.disconnect();
        for (const p of started.slice(2)) await p.kill();
        await worker.kill();
        await chain.kill();
        dir.remove();
      },
    };
  } catch (e) {
    await Promise.all(started.map((p) => p.kill('SIGKILL')));
    dir.remove();
    throw e;
  }
}

/** Signs `tx` immortal with the account's next nonce (tracked here, so batches can be signed ahead). */
export async function sign(sys: System, pair: KeyringPair, tx: SubmittableExtrinsic<'promise'>): Promise<string> {
  let nonce = sys.nonces.get(pair.address);
  if (nonce === undefined) nonce = (await sys.api.rpc.system.accountNextIndex(pair.address)).toNumber();
  sys.nonces.set(pair.address, nonce + 1);
  return (await tx.signAsync(pair, { nonce, era: 0 })).toHex();
}

export interface Submission {
  /** ms from the first send to the last transaction's inclusion (the dev chain finalizes as it seals). */
  ms: number;
  /** Hash of the last block that included one of them. */
  lastBlockHash: string;
  /** Distinct blocks that carried them. */
  blocks: number;
  ws: WebSocket;
}

/**
 * Sends every extrinsic at once on one WebSocket (a sender's transactions in nonce order) and resolves
 * when all are included. The socket stays open so the caller can ask the chain more on it.
 */
export async function submitBatch(url: string, batch: readonly string[]): Promise<Submission> {
  const ws = new WebSocket(url);
  await new Promise((r, j) => { ws.once('open', r); ws.once('error', j); });
  let included = 0;
  let last = '';
  const hashes = new Set<string>();
  const done = new Promise<void>((resolve, reject) => {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data));
      if (msg.error) reject(new Error(`a transaction was refused: ${msg.error.data ?? msg.error.message}`));
      const status = msg.params?.result;
      if (status === 'invalid' || status === 'dropped') reject(new Error(`a transaction became ${status}`));
      // inBlock: the block is durable; `finalized` only follows by the node's fixed finality lag.
      if (status && typeof status === 'object' && 'inBlock' in status) {
        last = status.inBlock;
        hashes.add(last);
        if (++included === batch.length) resolve();
      }
    });
  });
  const start = performance.now();
  batch.forEach((hex, id) => ws.send(JSON.stringify({ jsonrpc: '2.0', id, method: 'author_submitAndWatchExtrinsic', params: [hex] })));
  await done;
  return { ms: performance.now() - start, lastBlockHash: last, blocks: hashes.size, ws };
}

/** One JSON-RPC call on an open socket whose other traffic is subscriptions (ids ≥ 1e9 are ours). */
let nextId = 1e9;
export function rpc<T>(ws: WebSocket, method: string, params: unknown[]): Promise<T> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const on = (data: unknown) => {
      const msg = JSON.parse(String(data));
      if (msg.id !== id) return;
      ws.off('message', on);
      if (msg.error) reject(new Error(msg.error.message));
      else resolve(msg.result as T);
    };
    ws.on('message', on);
    ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params: params }));
  });
}

export async function blockNumberOf(ws: WebSocket, hash: string): Promise<number> {
  const header = await rpc<{ number: string }>(ws, 'chain_getHeader', [hash]);
  return Number(header.number);
}

/** Resolves when the worker's /health reports `block` processed (polled every `everyMs`). */
export async function workerReached(workerUrl: string, block: number, everyMs = 5, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = (await (await fetch(`${workerUrl}/health`)).json()) as { lastBlock: number };
    if (health.lastBlock >= block) return;
    if (Date.now() > deadline) throw new Error(`the worker did not reach block #${block} (at #${health.lastBlock})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Dev accounts plus `//Alice//1…` derived ones, every derived account funded publicly by a dev account,
 * then each converting `secret` to a secret balance; resolves when the worker has applied the deposits.
 */
export async function fundSecretAccounts(sys: System, count: number, secret: bigint, publicEach = 10_000n * UNIT): Promise<KeyringPair[]> {
  const devs = DEV.map((n) => sys.keyring.addFromUri(`//${n}`));
  const pairs = Array.from({ length: count }, (_, i) => (i < devs.length ? devs[i] : sys.keyring.addFromUri(`//Alice//${i - devs.length + 1}`)));
  const funding: string[] = [];
  for (const [i, pair] of pairs.entries()) {
    if (i < devs.length) continue;
    funding.push(await sign(sys, devs[i % devs.length], sys.api.tx.balances.transferKeepAlive(pair.address, publicEach)));
  }
  if (funding.length) (await submitBatch(sys.chainUrl, funding)).ws.close();
  const deposits: string[] = [];
  for (const pair of pairs) deposits.push(await sign(sys, pair, sys.api.tx.phalaModule.transferToTee(1, secret)));
  const sub = await submitBatch(sys.chainUrl, deposits);
  await workerReached(sys.workerUrl, await blockNumberOf(sub.ws, sub.lastBlockHash), 20);
  sub.ws.close();
  return pairs;
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux; 10 ms resolution). */
export function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime in clock ticks (USER_HZ = 100)
}

/** CPU time (ms) this process has used so far. */
export function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
