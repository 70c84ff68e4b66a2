/**
 * Shared fixtures of the fault tests: the real chain and worker as child processes on fixed ports
 * and base paths (so either can be killed with SIGKILL and restarted in place), a seeded random
 * source, a minimal JSON-RPC WebSocket client that survives chain restarts, an independent
 * reference model of the secret ledger, and the checks that compare chain, worker and model.
 */
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { bnToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { DarkClient } from '../../../shared/client';
import type { HistoryEntry, Outcome } from '../../../shared/protocol/ledger';
import { custodyAccount } from '../../../shared/protocol/custody';
import { accountId, accountIdToBytes, contractId, hash32, NATIVE_ASSET, type AccountId, type Amount, type Hash } from '../../../shared/types';
import { until } from '../../helpers/until';
import { u128Le } from '../helpers/leak-scan';
import {
  chainArgs, freePort, launch, operatorStatus, startChainProcess, startWorkerProcess, tempDir, workerArgs, type ChainProc, type WorkerProc,
} from '../helpers/processes';
import { provisionSharedContract } from '../helpers/system';

export const UNIT = 10n ** 12n;
/** Custody of contract 1, the contract the fault suites' worker serves. */
export const CUSTODY = custodyAccount(contractId(1));

// ---- seeded randomness ----------------------------------------------------------------------

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export class Rng {
  #s: number;
  constructor(readonly seed: number) {
    this.#s = seed >>> 0;
  }
  next(): number {
    this.#s = (this.#s + 0x6d2b79f5) >>> 0;
    let t = this.#s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
}

/** The seed from `FAULT_SEED` when set (to replay a failure), a fresh one otherwise; always printed. */
export function seedFor(test: string): Rng {
  const env = process.env.FAULT_SEED;
  const seed = env ? Number(env) >>> 0 : (Date.now() ^ (process.pid << 16)) >>> 0;
  // eslint-disable-next-line no-console
  console.log(`${test}: seed ${seed} (replay with FAULT_SEED=${seed})`);
  return new Rng(seed);
}

/**
 * Fault timing only (when to kill a process, how fast senders send, a pause before retrying a start):
 * the time is the input of the fault, never a wait before an assertion; the suites assert after
 * `settle` and `until`, which wait for conditions.
 */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs `start`, retrying up to `retries` more times `pauseMs` apart (a restarted process's port may still be held). */
async function retried<T>(start: () => Promise<T>, retries: number, pauseMs: number): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await start();
    } catch (e) {
      if (attempt >= retries) throw e;
      await sleep(pauseMs);
    }
  }
}

// ---- keys -----------------------------------------------------------------------------------

export async function keys() {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519' });
  const dev = (name: string) => keyring.addFromUri(`//${name}`);
  return {
    keyring,
    /** Secret-asset users (funded at genesis). Ferdie is the worker's relayer and never one of them. */
    senders: ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve'].map(dev),
    /** Withdraw destinations: accounts with no public balance at genesis, so their balance is exactly what they were paid. */
    dests: [0, 1, 2].map((i) => keyring.addFromUri(`//DarkWalletFaultDest${i}`)),
  };
}

export const idOf = (p: KeyringPair): AccountId => accountId(p.publicKey);

// ---- processes ------------------------------------------------------------------------------

/**
 * A chain and one or more workers of contract 1 on fixed ports and base paths, each of which can be
 * killed (SIGKILL) and started again in place. Every process's output is kept, restarts included.
 * Several workers share the contract key (dev provisioning, as the failover suites do), so each one
 * can restart on its own data directory without another worker to hand the key over.
 */
export class FaultSystem {
  chain!: ChainProc;
  /** Worker i, null while it is killed. */
  readonly workers: (WorkerProc | null)[];
  readonly outputs: { kind: 'chain' | 'worker'; output: () => string }[] = [];
  chainStarts = 0;
  /** Starts of all workers together. */
  workerStarts = 0;

  private constructor(
    readonly dir: ReturnType<typeof tempDir>,
    readonly chainPort: number,
    readonly workerPorts: number[],
    /** Extra flags of every worker start, e.g. `['--receipt-turn-delay', '1000']`. */
    readonly workerFlags: string[],
  ) {
    this.workers = workerPorts.map(() => null);
  }

  static async start(prefix: string, opts: { workers?: number; workerFlags?: string[] } = {}): Promise<FaultSystem> {
    const count = opts.workers ?? 1;
    const ports: number[] = [];
    for (let i = 0; i < count; i++) ports.push(await freePort());
    const s = new FaultSystem(tempDir(prefix), await freePort(), ports, opts.workerFlags ?? []);
    if (count > 1) provisionSharedContract(ports.map((_, i) => s.workerPathOf(i)));
    await s.startChain();
    for (let i = 0; i < count; i++) await s.startWorker(i);
    return s;
  }

  /** The first worker (the only one of a one-worker system). */
  get worker(): WorkerProc | null {
    return this.workers[0];
  }

  get chainPath(): string {
    return join(this.dir.path, 'chain');
  }

  get workerPath(): string {
    return this.workerPathOf(0);
  }

  workerPathOf(i: number): string {
    return join(this.dir.path, i === 0 ? 'worker' : `worker-${i}`);
  }

  get chainUrl(): string {
    return `ws://127.0.0.1:${this.chainPort}`;
  }

  get workerUrl(): string {
    return this.workerUrlOf(0);
  }

  workerUrlOf(i: number): string {
    return `http://127.0.0.1:${this.workerPorts[i]}`;
  }

  /** Starts the chain on its base path and port (retrying while the old socket is being released). */
  async startChain(): Promise<number> {
    const t0 = Date.now();
    this.chain = await retried(() => startChainProcess(this.chainPath, this.chainPort), 5, 200);
    this.outputs.push({ kind: 'chain', output: this.chain.output });
    this.chainStarts++;
    return Date.now() - t0;
  }

  async startWorker(i = 0): Promise<number> {
    const t0 = Date.now();
    const worker = await retried(() => startWorkerProcess({ url: this.chainUrl, seedPath: this.chain.seedPath }, this.workerPathOf(i), this.workerPorts[i], this.workerFlags), 3, 300);
    this.workers[i] = worker;
    this.outputs.push({ kind: 'worker', output: worker.output });
    this.workerStarts++;
    return Date.now() - t0;
  }

  /**
   * Starts the chain or worker `i` and SIGKILLs it `ms` later whether or not it is ready yet: a
   * crash in the middle of recovery (block log replay, snapshot restore, catching up).
   */
  async interruptedStart(kind: 'chain' | 'worker', ms: number, i = 0): Promise<boolean> {
    const p = kind === 'chain'
      ? launch('contract/chain/main.ts', chainArgs(this.chainPath, this.chainPort))
      : launch('contract/host/main.ts', workerArgs({ url: this.chainUrl, seedPath: this.chain.seedPath }, this.workerPathOf(i), this.workerPorts[i], this.workerFlags));
    this.outputs.push({ kind, output: p.output });
    await sleep(ms);
    const wasReady = (kind === 'chain' ? /chain ready/ : /worker ready/).test(p.output());
    await p.kill('SIGKILL');
    return wasReady;
  }

  async killChain(): Promise<void> {
    await this.chain.kill('SIGKILL');
  }

  async killWorker(i = 0): Promise<void> {
    await this.workers[i]?.kill('SIGKILL');
    this.workers[i] = null;
  }

  /** Everything every chain or worker process printed, in start order. */
  logs(kind?: 'chain' | 'worker'): string {
    return this.outputs.filter((o) => !kind || o.kind === kind).map((o) => o.output()).join('');
  }

  /** SIGTERM, then SIGKILL whatever has not exited after 5 s. */
  async stop(): Promise<void> {
    const stop = async (p: { kill(s?: NodeJS.Signals): Promise<void> } | null | undefined) => {
      if (!p) return;
      // Escalation, not a wait: SIGKILL only what ignored SIGTERM for 5 s.
      const timer = setTimeout(() => void p.kill('SIGKILL'), 5000);
      await p.kill('SIGTERM');
      clearTimeout(timer);
    };
    for (const w of this.workers) await stop(w);
    await stop(this.chain);
  }

  /** The last lines every process printed, for a failure report. */
  tails(lines = 40): string {
    return this.outputs.map((o, i) => `--- ${o.kind} #${i}:\n${o.output().split('\n').slice(-lines).join('\n')}`).join('\n');
  }
}

/** The worker's public /health. */
export async function workerHealth(url: string): Promise<{ lastBlock: number }> {
  const r = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
  return (await r.json()) as { lastBlock: number };
}

// ---- a JSON-RPC client that tolerates the chain going away ----------------------------------

/**
 * Bare JSON-RPC over one WebSocket, for the parts of a test that must keep going while the chain is
 * killed: every call fails fast once the socket is gone (`closed`), and the caller reconnects.
 */
export class RawRpc {
  #id = 0;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly #subs = new Map<string, (result: unknown) => void>();
  closed = false;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { code: number; message: string }; params?: { subscription: string; result: unknown } };
      if (msg.id !== undefined && this.#pending.has(msg.id)) {
        const p = this.#pending.get(msg.id)!;
        this.#pending.delete(msg.id);
        if (msg.error) p.reject(Object.assign(new Error(`${msg.error.code}: ${msg.error.message}`), { rpcCode: msg.error.code }));
        else p.resolve(msg.result);
      } else if (msg.params?.subscription !== undefined) {
        this.#subs.get(msg.params.subscription)?.(msg.params.result);
      }
    });
    const down = () => {
      this.closed = true;
      for (const p of this.#pending.values()) p.reject(new Error('disconnected'));
      this.#pending.clear();
    };
    ws.on('close', down);
    ws.on('error', down);
  }

  static connect(url: string, timeoutMs = 2000): Promise<RawRpc> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      // A ceiling on connecting, for a chain that is down.
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error('connect timeout'));
      }, timeoutMs);
      ws.once('open', () => {
        clearTimeout(timer);
        resolve(new RawRpc(ws));
      });
      ws.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  call<T = unknown>(method: string, params: unknown[] = [], timeoutMs = 10_000): Promise<T> {
    if (this.closed) return Promise.reject(new Error('disconnected'));
    const id = ++this.#id;
    return new Promise<T>((resolve, reject) => {
      // A ceiling: a call the chain never answers fails instead of hanging.
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${method} timed out`));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (v) => { clearTimeout(timer); resolve(v as T); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }

  /** Subscribes; `onResult` hears every notification of that subscription. */
  async subscribe(method: string, params: unknown[], onResult: (result: unknown) => void): Promise<string> {
    const id = await this.call<string>(method, params);
    this.#subs.set(id, onResult);
    return id;
  }

  close(): void {
    this.closed = true;
    this.ws.terminate();
  }
}

// ---- the reference model --------------------------------------------------------------------

export type ModelCommand = { kind: 'Transfer'; asset: typeof NATIVE_ASSET; dest: AccountId; amount: Amount } | { kind: 'Withdraw'; dest: AccountId; amount: Amount };

const OK: Outcome = { ok: true, receiptSeq: null };
const DEPOSIT_DOMAIN = new TextEncoder().encode('dark-wallet/v1/deposit');

/** The public formula of a deposit's history ref: blake2-256(domain | block hash | position u32 | who | amount). */
export const depositRef = (blockHash: string, index: number, who: AccountId, value: bigint): Hash =>
  hash32(blake2AsU8a(u8aConcat(DEPOSIT_DOMAIN, blockHash, bnToU8a(index, { bitLength: 32, isLe: true }), accountIdToBytes(who), u128Le(value)), 256));

/**
 * Secret native token only (all these tests use): balances, every history entry and the receipt
 * sequence, written from the rules of DESIGN.md §5 without looking at contract/ledger.
 */
export class Model {
  readonly balances = new Map<AccountId, bigint>();
  readonly history = new Map<AccountId, HistoryEntry[]>();
  readonly receipts: { seq: bigint; dest: AccountId; amount: bigint }[] = [];
  commands = 0;
  deposits = 0n;

  #push(who: AccountId, e: HistoryEntry): void {
    const list = this.history.get(who) ?? [];
    list.push(e);
    this.history.set(who, list);
  }

  balance(who: AccountId): bigint {
    return this.balances.get(who) ?? 0n;
  }

  deposit(block: number, blockHash: string, index: number, who: AccountId, value: bigint): void {
    this.balances.set(who, this.balance(who) + value);
    this.deposits += value;
    this.#push(who, {
      block, index, kind: 'Deposit', direction: 'In', asset: NATIVE_ASSET, counterparty: null, amount: value as Amount, outcome: OK,
      ref: depositRef(blockHash, index, who, value),
    });
  }

  command(block: number, index: number, ref: Hash, sender: AccountId, c: ModelCommand): void {
    this.commands++;
    const base = { block, index, asset: NATIVE_ASSET, counterparty: c.dest, amount: c.amount, ref };
    const have = this.balance(sender);
    if (c.amount === 0n || have < c.amount) {
      const error = c.amount === 0n ? 'ZeroAmount' : 'InsufficientBalance';
      this.#push(sender, { ...base, kind: c.kind, direction: c.kind === 'Transfer' && c.dest === sender ? 'Self' : 'Out', outcome: { ok: false, error } });
      return;
    }
    if (c.kind === 'Transfer') {
      if (c.dest === sender) {
        this.#push(sender, { ...base, kind: 'Transfer', direction: 'Self', outcome: OK });
        return;
      }
      this.balances.set(sender, have - c.amount);
      this.balances.set(c.dest, this.balance(c.dest) + c.amount);
      this.#push(sender, { ...base, kind: 'Transfer', direction: 'Out', outcome: OK });
      this.#push(c.dest, { ...base, kind: 'Transfer', direction: 'In', counterparty: sender, outcome: OK });
    } else {
      const seq = BigInt(this.receipts.length + 1);
      this.balances.set(sender, have - c.amount);
      this.receipts.push({ seq, dest: c.dest, amount: c.amount });
      this.#push(sender, { ...base, kind: 'Withdraw', direction: 'Out', outcome: { ok: true, receiptSeq: seq } });
    }
  }
}

// ---- reading the chain ----------------------------------------------------------------------

export interface ChainScan {
  head: number;
  /** Every `pushCommand` that succeeded, in chain order, with its payload. */
  commands: { block: number; index: number; sender: AccountId; payload: string }[];
  deposits: { block: number; blockHash: string; index: number; who: AccountId; amount: bigint }[];
  /** Every `TransferToChain` event. */
  payouts: { block: number; seq: bigint; dest: AccountId; amount: bigint }[];
  /** Signed extrinsics per signer (all calls, failed or not), to check nonces. */
  signed: Map<AccountId, number>;
  /** Every extrinsic's bytes (hex). */
  extrinsics: Set<string>;
  /** Blocks with a `CheckpointMismatch` event: the contract's workers disagreed on their ledger. */
  checkpointMismatches: number[];
}

interface EventLike {
  phase: { isApplyExtrinsic: boolean; asApplyExtrinsic: { toNumber(): number } };
  event: { section: string; method: string; data: { toU8a(bare?: boolean): Uint8Array; toString(): string }[] };
}

/** Reads blocks [from, to] (inclusive) through the real @polkadot/api, a few at a time. */
export async function scanChain(api: ApiPromise, from = 1, to?: number): Promise<ChainScan> {
  const head = to ?? (await api.rpc.chain.getHeader()).number.toNumber();
  const out: ChainScan = { head, commands: [], deposits: [], payouts: [], signed: new Map(), extrinsics: new Set(), checkpointMismatches: [] };
  const eventsKey = api.query.system.events.key();
  const perBlock: Array<() => void> = [];
  const readOne = async (n: number, slot: number) => {
    const hash = await api.rpc.chain.getBlockHash(n);
    // Raw events decoded with the (single) runtime's registry: api.at(hash) per block costs ~10 ms.
    const [block, raw] = await Promise.all([api.rpc.chain.getBlock(hash), api.rpc.state.getStorage.raw(eventsKey, hash)]);
    const events = api.registry.createType('Vec<EventRecord>', raw) as unknown as EventLike[];
    const ok = new Set<number>();
    for (const { phase, event } of events) {
      if (phase.isApplyExtrinsic && event.section === 'system' && event.method === 'ExtrinsicSuccess') ok.add(phase.asApplyExtrinsic.toNumber());
    }
    perBlock[slot] = () => {
      block.block.extrinsics.forEach((ex, index) => {
        out.extrinsics.add(ex.toHex());
        if (!ex.isSigned) return;
        const signer = accountId(ex.signer.toU8a(true).slice(-32));
        out.signed.set(signer, (out.signed.get(signer) ?? 0) + 1);
        if (!ok.has(index)) return;
        if (ex.method.section === 'phalaModule' && ex.method.method === 'pushCommand') {
          out.commands.push({ block: n, index, sender: signer, payload: u8aToHex(ex.method.args[1].toU8a(true)) });
        }
      });
      for (const { phase, event } of events) {
        if (!phase.isApplyExtrinsic || event.section !== 'phalaModule') continue;
        if (event.method === 'TransferToTee') {
          // (contractId, who, amount): the suites deposit into contract 1 only.
          out.deposits.push({ block: n, blockHash: hash.toHex(), index: phase.asApplyExtrinsic.toNumber(), who: accountId(event.data[1].toU8a(true)), amount: BigInt(event.data[2].toString()) });
        } else if (event.method === 'TransferToChain') {
          out.payouts.push({ block: n, dest: accountId(event.data[0].toU8a(true)), amount: BigInt(event.data[1].toString()), seq: BigInt(event.data[2].toString()) });
        } else if (event.method === 'CheckpointMismatch') {
          out.checkpointMismatches.push(n);
        }
      }
    };
  };
  const numbers = Array.from({ length: Math.max(0, head - from + 1) }, (_, i) => from + i);
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < numbers.length) {
      const i = next++;
      await readOne(numbers[i], i);
    }
  }));
  for (const f of perBlock) f(); // in block order
  return out;
}

/** Builds the model from what the chain included, in chain order (deposits and commands interleaved by position). */
export function modelOf(scan: ChainScan, known: Map<string, { sender: AccountId; command: ModelCommand }>): { model: Model; unknown: number } {
  const model = new Model();
  type Item = { block: number; index: number; run: () => void };
  const items: Item[] = [];
  let unknown = 0;
  for (const d of scan.deposits) items.push({ block: d.block, index: d.index, run: () => model.deposit(d.block, d.blockHash, d.index, d.who, d.amount) });
  for (const c of scan.commands) {
    const k = known.get(c.payload);
    if (!k || k.sender !== c.sender) {
      unknown++;
      continue;
    }
    const ref = hash32(blake2AsU8a(c.payload, 256));
    items.push({ block: c.block, index: c.index, run: () => model.command(c.block, c.index, ref, c.sender, k.command) });
  }
  items.sort((a, b) => a.block - b.block || a.index - b.index);
  for (const it of items) it.run();
  return { model, unknown };
}

export async function freeBalance(api: ApiPromise, who: string, at?: string): Promise<bigint> {
  const q = at ? (await api.at(at)).query : api.query;
  return ((await q.system.account(who)) as unknown as { data: { free: { toBigInt(): bigint } } }).data.free.toBigInt();
}

/**
 * Waits until the worker has processed the head and every receipt of the model is paid on chain
 * (and the worker has processed the blocks that paid them).
 */
export async function settle(api: ApiPromise, worker: WorkerProc, seqs: bigint[], timeoutMs: number): Promise<void> {
  await until(async () => {
    for (const seq of seqs) {
      const used = (await api.query.phalaModule.usedReceipts(1, seq)) as unknown as { isTrue: boolean };
      if (!used.isTrue) return false;
    }
    return true;
  }, { what: 'every withdraw receipt paid on chain', timeoutMs, intervalMs: 200 });
  await until(async () => {
    const head = (await api.rpc.chain.getHeader()).number.toNumber();
    const h = await operatorStatus(worker);
    return h.lastBlock >= head && h.pendingReceipts === 0 && h.heldReceipts === 0;
  }, { what: 'the worker at the chain head', timeoutMs, intervalMs: 100 });
}

export interface Verdict {
  accounts: number;
  historyEntries: number;
  receipts: number;
}

/**
 * The worker's view (through signed queries) equals the model, account by account, entry by entry;
 * no ref twice in one history; every receipt of the model paid exactly once with its dest and amount,
 * no other payout; custody and destination balances moved by exactly the deposits and withdrawals.
 */
export async function verify(api: ApiPromise, client: DarkClient, pairs: KeyringPair[], model: Model, scan: ChainScan): Promise<Verdict> {
  let historyEntries = 0;
  for (const pair of pairs) {
    const who = idOf(pair);
    const balances = (await client.balances(pair)).filter((b) => b.amount !== 0n);
    const expected = model.balance(who) === 0n ? [] : [{ asset: NATIVE_ASSET, amount: model.balance(who) }];
    expect({ who, balances }).toEqual({ who, balances: expected });
    const history = await client.fullHistory(pair);
    expect({ who, count: history.length }).toEqual({ who, count: (model.history.get(who) ?? []).length });
    expect({ who, history }).toEqual({ who, history: model.history.get(who) ?? [] });
    expect(new Set(history.map((e) => e.ref)).size).toBe(history.length); // nothing applied twice
    historyEntries += history.length;
  }

  // Every receipt paid exactly once, as the ledger signed it; nothing else paid.
  const bySeq = new Map<bigint, typeof scan.payouts>();
  for (const p of scan.payouts) bySeq.set(p.seq, [...(bySeq.get(p.seq) ?? []), p]);
  for (const r of model.receipts) {
    const paid = bySeq.get(r.seq) ?? [];
    expect({ seq: r.seq, times: paid.length }).toEqual({ seq: r.seq, times: 1 });
    expect({ dest: paid[0].dest, amount: paid[0].amount }).toEqual({ dest: r.dest, amount: r.amount });
  }
  expect([...bySeq.keys()].sort((a, b) => Number(a - b))).toEqual(model.receipts.map((r) => r.seq));

  // Custody holds exactly what went in minus what was paid out; each destination got exactly its withdrawals.
  const genesis = (await api.rpc.chain.getBlockHash(0)).toHex();
  const withdrawn = model.receipts.reduce((a, r) => a + r.amount, 0n);
  const custodyDelta = (await freeBalance(api, CUSTODY)) - (await freeBalance(api, CUSTODY, genesis));
  expect(custodyDelta).toBe(model.deposits - withdrawn);
  const toDest = new Map<AccountId, bigint>();
  for (const r of model.receipts) toDest.set(r.dest, (toDest.get(r.dest) ?? 0n) + r.amount);
  for (const [dest, value] of toDest) {
    const grew = (await freeBalance(api, dest)) - (await freeBalance(api, dest, genesis));
    expect({ dest, grew }).toEqual({ dest, grew: value });
  }
  return { accounts: pairs.length, historyEntries, receipts: model.receipts.length };
}

export const connectApi = (url: string) => ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
