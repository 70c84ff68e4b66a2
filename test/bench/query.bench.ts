/**
 * `npm run bench -- query`: signed, encrypted balance queries through the worker's HTTP query server,
 * in query sessions (DESIGN.md §3): each `QueryChannel` opens its session once (one sr25519 verify),
 * then every query is one session frame — an AEAD open, a ledger read and an AEAD seal in the enclave.
 *
 * Chain and worker run as their own processes; ACCOUNTS accounts are funded with secret balances
 * and have sent one secret transfer each, so the ledger and histories are not empty. Queries go
 * through the SDK as the extension sends them (`QueryChannel` over `WorkerTransport`, i.e. Node's
 * global fetch), CONCURRENCY in flight — one per session, since a session's counter must grow.
 *
 * Value: session queries per second, closed loop at CONCURRENCY. Bound, measured in the same run
 * with the same client and concurrency: bare HTTP round trips to the same server (`GET /health`
 * through `WorkerTransport.health()`). Goal: ≥ 0.5 of it. Client and worker share the 2 cores, so
 * the rate follows the CPU both spend per query: a bare GET costs ~300 µs in fetch and ~70 µs in the
 * worker; a session query adds a request body (a fetch POST costs ~150 µs more than a GET), the
 * frame seal/open on each side (XChaCha20-Poly1305, ~10 µs each) and the enclave's lookup and answer
 * (~50 µs) — so about 1.5–2× a bare round trip, never more.
 * Bound and value alternate in short slices so load swings on the shared cores hit both alike; each
 * side's rate is its queries over the time spent in it alone.
 *
 * The README's absolute goal also decides pass or fail (`mustMeet`; the process exits non-zero on a
 * miss): p50 < 10 ms under an open-loop load of 1,000 queries/s (latency from each query's scheduled start, so a stalled
 * server cannot hide queued queries), p50/p99 of the closed loop, the one-shot signed query rate
 * (an sr25519 verify and an X25519 agreement per query, signatures made beforehand), and the same
 * session and bare rates over a keep-alive `http.Agent` instead of fetch, to show what the SDK's
 * transport itself costs.
 *
 * Two workers against one (DESIGN.md §11): a second worker of the contract joins and the same loads
 * run through the SDK's worker pool over both, against a client pinned to the first, in alternating
 * slices. `twoWorkersRatio` (signed one-shot queries, ~3 ms of worker CPU each: the worker is the
 * limit) must be ≥ 1; near idle it measured 1.16, 1.10 and 1.07 (302 → 351/s), not 2, because client,
 * chain and both workers share the 2 cores. `sessionTwoWorkersRatio` (0.90–0.95) is reported only: a session query
 * costs its client about twice what it costs the worker, so here the client is the limit.
 */
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import type { KeyringPair } from '@polkadot/keyring/types';
import { DarkClient } from '../../shared/client';
import { QueryChannel, requestOnce } from '../../shared/client/query-channel';
import { DEFAULT_CONTRACT_ID } from '../../shared/constants';
import { WorkerTransport, type FetchLike } from '../../shared/client/transport';
import { signAsAccount } from '../../shared/crypto/account-signature';
import { signedQueryMessage, type Query, type QueryRequest, type QueryResponse } from '../../shared/protocol/query';
import { accountId, toHex, type Amount, type AssetId } from '../../shared/types';
import { operatorStatus } from '../integration/helpers/processes';
import { report } from './lib';
import {
  blockNumberOf, cpuMsOf, fundSecretAccounts, ownCpuMs, median, percentile, sign, startSystem, submitBatch, UNIT, workerReached, type System,
} from './system';

const ACCOUNTS = 32;
const CONCURRENCY = 32;
const SLICES = 12;
const SLICE_MS = 500;
const COMPARE_MS = 2000;
const OPEN_LOOP_RATE = 1000;
const OPEN_LOOP_MS = 3000;
const SIGNED_QUERIES = 300;
const GOAL = 0.5;
const BALANCES: Query = { kind: 'Balances' };

interface Run {
  qps: number;
  ms: number;
  latencies: number[];
  /** CPU per query (µs) of this process (the client) and of the worker, from /proc: steadier than rates on shared cores. */
  clientUs?: number;
  workerUs?: number;
  /** Open loop: the longest a 1 ms timer took to fire here — how long this (client) process was stalled. */
  maxTimerGapMs?: number;
}

let workerPid = 0;
/** Runs `fn` and adds the CPU this process and the worker spent per query. */
async function withCpu(fn: () => Promise<Run>): Promise<Run> {
  const [c0, w0] = [ownCpuMs(), cpuMsOf(workerPid)];
  const run = await fn();
  const n = run.latencies.length;
  return { ...run, clientUs: Math.round(((ownCpuMs() - c0) * 1000) / n), workerUs: Math.round(((cpuMsOf(workerPid) - w0) * 1000) / n) };
}

/** `concurrency` loops, each running `op(loop)` back to back for `ms`. */
async function closedLoop(ms: number, concurrency: number, op: (loop: number) => Promise<unknown>): Promise<Run> {
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + ms;
  await Promise.all(Array.from({ length: concurrency }, async (_, loop) => {
    while (performance.now() < end) {
      const t = performance.now();
      await op(loop);
      latencies.push(performance.now() - t);
    }
  }));
  const spent = performance.now() - start;
  return { qps: (latencies.length * 1000) / spent, ms: spent, latencies };
}

/** Slices of one measurement as one run: queries over the time spent in them, CPU weighted by queries. */
function merge(runs: Run[]): Run {
  const n = runs.reduce((a, r) => a + r.latencies.length, 0);
  const ms = runs.reduce((a, r) => a + r.ms, 0);
  const weighted = (k: 'clientUs' | 'workerUs') => Math.round(runs.reduce((a, r) => a + (r[k] ?? 0) * r.latencies.length, 0) / n);
  return { qps: (n * 1000) / ms, ms, latencies: runs.flatMap((r) => r.latencies), clientUs: weighted('clientUs'), workerUs: weighted('workerUs') };
}

/**
 * Starts a query every 1000/rate ms whatever the answers do (open loop), each on a free session;
 * a query's latency runs from when it was due, so waiting for a free session or a late timer counts.
 */
async function openLoop(rate: number, ms: number, channels: QueryChannel[], check: (ch: QueryChannel, r: QueryResponse) => void): Promise<Run> {
  const free = [...channels];
  const waiting: ((ch: QueryChannel) => void)[] = [];
  const acquire = () => free.pop() ?? new Promise<QueryChannel>((r) => waiting.push(r));
  const release = (ch: QueryChannel) => {
    const next = waiting.shift();
    if (next) next(ch);
    else free.push(ch);
  };
  const latencies: number[] = [];
  const total = Math.round((rate * ms) / 1000);
  const inflight: Promise<void>[] = [];
  const start = performance.now();
  const one = async (due: number) => {
    const ch = await acquire();
    try {
      check(ch, await ch.query(BALANCES));
    } finally {
      release(ch);
    }
    latencies.push(performance.now() - due);
  };
  let maxTimerGapMs = 0;
  for (let issued = 0; issued < total;) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
    for (; issued < due; issued++) inflight.push(one(start + (issued * 1000) / rate));
    const t = performance.now();
    await new Promise((r) => setTimeout(r, 1));
    maxTimerGapMs = Math.max(maxTimerGapMs, performance.now() - t);
  }
  await Promise.all(inflight);
  const spent = performance.now() - start;
  return { qps: (total * 1000) / spent, ms: spent, latencies, maxTimerGapMs: round2(maxTimerGapMs) };
}

/**
 * A FetchLike over node:http with a keep-alive agent, for comparison with global fetch. With
 * `clients` > 1 its requests leave from that many loopback addresses in turn (127.0.0.2, …), as
 * many users' would: the worker's per-address rate limits then apply to each, not to all at once.
 */
function agentFetch(maxSockets: number, clients = 1): FetchLike {
  const agents = Array.from({ length: clients }, (_, i) => new Agent({ keepAlive: true, maxSockets, ...(clients > 1 ? { localAddress: `127.0.0.${i + 2}` } : {}) }));
  let turn = 0;
  return (url, init = {}) => new Promise((resolve, reject) => {
    const agent = agents[turn++ % agents.length];
    const headers: Record<string, string | number> = { ...init.headers };
    if (init.body) headers['content-length'] = init.body.length;
    const req = request(url, { method: init.method ?? 'GET', headers, agent, signal: init.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const status = res.statusCode ?? 0;
        resolve({
          ok: status >= 200 && status < 300,
          status,
          arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.length) as ArrayBuffer,
          json: async () => JSON.parse(body.toString()),
          text: async () => body.toString(),
        });
      });
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

const stats = (run: Run) => {
  const sorted = [...run.latencies].sort((a, b) => a - b);
  return {
    qps: Math.round(run.qps), p50Ms: round2(percentile(sorted, 0.5)), p99Ms: round2(percentile(sorted, 0.99)), n: sorted.length,
    clientCpuUsPerQuery: run.clientUs, workerCpuUsPerQuery: run.workerUs, ...(run.maxTimerGapMs === undefined ? {} : { maxTimerGapMs: run.maxTimerGapMs }),
  };
};
const round2 = (x: number) => Math.round(x * 100) / 100;

/** One secret transfer from every account, so histories and the ledger hold more than deposits. */
async function someTransfers(sys: System, pairs: KeyringPair[]): Promise<void> {
  const hexes: string[] = [];
  for (const [i, pair] of pairs.entries()) {
    const envelope = await sys.client.sealFor(pair, {
      kind: 'Transfer', asset: 0 as AssetId, dest: accountId(pairs[(i + 1) % pairs.length].publicKey), amount: (UNIT + BigInt(i)) as Amount,
    });
    hexes.push(await sign(sys, pair, sys.api.tx.phalaModule.pushCommand(sys.client.contract.contractId, toHex(envelope))));
  }
  const sub = await submitBatch(sys.chainUrl, hexes);
  await workerReached(sys.workerUrl, await blockNumberOf(sub.ws, sub.lastBlockHash), 20);
  sub.ws.close();
}

async function main(): Promise<void> {
  const sys = await startSystem([], { spareWorkers: 1 });
  workerPid = sys.workerPid;
  try {
    const { client } = sys;
    // The bench measures one worker: its channels talk to that worker's transport, no pool between.
    const worker = new WorkerTransport(sys.workerUrl);
    const pairs = await fundSecretAccounts(sys, ACCOUNTS, 1000n * UNIT);
    await someTransfers(sys, pairs);
    // Account i deposited 1000 PHA, sent UNIT + i and received UNIT + (i - 1 mod ACCOUNTS).
    const expected = new Map(pairs.map((p, i) => [accountId(p.publicKey), 1000n * UNIT - (UNIT + BigInt(i)) + (UNIT + BigInt((i + ACCOUNTS - 1) % ACCOUNTS))]));
    const checkFor = (ch: QueryChannel) => (r: QueryResponse) => {
      if (r.kind !== 'Balances') throw new Error(`expected Balances, got ${r.kind}${r.kind === 'Error' ? ` (${r.code})` : ''}`);
      if (r.balances[0]?.amount !== expected.get(ch.account)) throw new Error('a balance answer was wrong');
    };

    // One session per loop (a session's counter must grow, so one query in flight per session).
    const channels = Array.from({ length: CONCURRENCY }, (_, i) => new QueryChannel(worker, client.contract, pairs[i % ACCOUNTS]));
    const extra = Array.from({ length: CONCURRENCY }, (_, i) => new QueryChannel(worker, client.contract, pairs[i % ACCOUNTS]));
    const checks = channels.map(checkFor);
    await Promise.all([...channels, ...extra].map(async (ch) => checkFor(ch)(await ch.query(BALANCES)))); // opens every session

    const sessionQuery = async (loop: number) => checks[loop](await channels[loop].query(BALANCES));
    const health = async () => {
      if (typeof (await worker.health()).lastBlock !== 'number') throw new Error('bad health');
    };
    await closedLoop(500, CONCURRENCY, health); // warm-up
    await closedLoop(500, CONCURRENCY, sessionQuery);

    const bounds: Run[] = [];
    const values: Run[] = [];
    for (let r = 0; r < SLICES; r++) {
      bounds.push(await withCpu(() => closedLoop(SLICE_MS, CONCURRENCY, health)));
      values.push(await withCpu(() => closedLoop(SLICE_MS, CONCURRENCY, sessionQuery)));
    }
    const [bound, value] = [merge(bounds), merge(values)];
    const spread = (runs: Run[]) => [Math.min(...runs.map((x) => x.qps)), median(runs.map((x) => x.qps)), Math.max(...runs.map((x) => x.qps))].map(Math.round);
    const closed = stats(value);

    // The issue's operating point: 1,000 queries/s offered, over twice CONCURRENCY sessions.
    const open = stats(await withCpu(() => openLoop(OPEN_LOOP_RATE, OPEN_LOOP_MS, [...channels, ...extra], (ch, r) => checkFor(ch)(r))));

    // One-shot signed queries (sr25519 verify + X25519 per query); signing is the client's cost, done first.
    const signed: QueryRequest[] = Array.from({ length: SIGNED_QUERIES }, (_, i) => {
      const pair = pairs[i % ACCOUNTS];
      const account = accountId(pair.publicKey);
      const issuedAt = BigInt(Date.now());
      return { kind: 'Signed', account, issuedAt, query: BALANCES, signature: signAsAccount(pair, signedQueryMessage(client.contract, account, issuedAt, BALANCES)) };
    });
    let next = 0;
    const oneShot = await withCpu(async () => {
      const latencies: number[] = [];
      const t = performance.now();
      await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
        while (next < signed.length) {
          const q = performance.now();
          const r = await requestOnce(worker, client.contract, signed[next++]);
          if (r.kind !== 'Balances') throw new Error(`signed query answered ${r.kind}`);
          latencies.push(performance.now() - q);
        }
      }));
      const ms = performance.now() - t;
      return { qps: (signed.length * 1000) / ms, ms, latencies };
    });

    // The same two measurements over a keep-alive http.Agent instead of the SDK's fetch.
    const viaAgent = new WorkerTransport(worker.url, agentFetch(CONCURRENCY * 2));
    const agentChannels = Array.from({ length: CONCURRENCY }, (_, i) => new QueryChannel(viaAgent, client.contract, pairs[i % ACCOUNTS]));
    const agentChecks = agentChannels.map(checkFor);
    await Promise.all(agentChannels.map(async (ch, i) => agentChecks[i](await ch.query(BALANCES))));
    const agentHealth = async () => {
      if (typeof (await viaAgent.health()).lastBlock !== 'number') throw new Error('bad health');
    };
    const agentSession = async (loop: number) => agentChecks[loop](await agentChannels[loop].query(BALANCES));
    await closedLoop(300, CONCURRENCY, agentSession);
    const agentBare = stats(await withCpu(() => closedLoop(COMPARE_MS, CONCURRENCY, agentHealth)));
    const agentQuery = stats(await withCpu(() => closedLoop(COMPARE_MS, CONCURRENCY, agentSession)));

    // Two workers against one (issue 18): the same closed loop through the SDK's worker pool, one
    // client reading the contract's workers from chain (both), one pinned to the first worker,
    // alternating slices; both over keep-alive agents from CONCURRENCY loopback addresses (users).
    // Signed one-shot queries (an sr25519 verify and an X25519 agreement in the worker, each signed
    // by the SDK as it goes) are where a worker's CPU is the limit, so a second worker adds capacity
    // even on these 2 cores: the pass goal. Session queries cost the client ~2× what they cost a
    // worker, so with client, chain and workers on 2 cores the client is the limit and a second
    // worker cannot add any: reported beside it (`sessionTwoWorkersRatio`), not a goal.
    const spare = await sys.startSpareWorker();
    await workerReached(spare.url, (await sys.api.rpc.chain.getHeader()).number.toNumber(), 20);
    const poolFetch = agentFetch(CONCURRENCY * 2, CONCURRENCY);
    const pinned = await DarkClient.connect({ api: sys.api, workerUrl: sys.workerUrl, contractId: DEFAULT_CONTRACT_ID, fetch: poolFetch });
    const pooled = await DarkClient.connect({ api: sys.api, contractId: DEFAULT_CONTRACT_ID, fetch: poolFetch });
    for (let tries = 0; pooled.pool.members.length < 2; tries++) {
      if (tries === 60) throw new Error('The second worker did not appear among the contract\'s workers on chain.');
      await new Promise((r) => setTimeout(r, 500));
      await pooled.refreshWorkers();
    }
    const balancesVia = (c: DarkClient, signed: boolean) => async (loop: number) => {
      const pair = pairs[loop % ACCOUNTS];
      const r = signed ? await c.channel(pair).signedQuery(BALANCES) : await c.channel(pair).query(BALANCES);
      if (r.kind !== 'Balances' || r.balances[0]?.amount !== expected.get(accountId(pair.publicKey))) throw new Error('a balance answer was wrong');
    };
    /** Pinned and pooled in alternating slices: [one worker, two workers]. */
    const oneAgainstTwo = async (signed: boolean): Promise<[Run, Run]> => {
      await closedLoop(500, CONCURRENCY, balancesVia(pinned, signed)); // warm-up; opens the sessions
      await closedLoop(500, CONCURRENCY, balancesVia(pooled, signed));
      const runs: [Run[], Run[]] = [[], []];
      for (let r = 0; r < SLICES; r++) {
        runs[0].push(await closedLoop(SLICE_MS, CONCURRENCY, balancesVia(pinned, signed)));
        runs[1].push(await closedLoop(SLICE_MS, CONCURRENCY, balancesVia(pooled, signed)));
      }
      return [merge(runs[0]), merge(runs[1])];
    };
    const [signedOne, signedTwo] = await oneAgainstTwo(true);
    const [sessionOne, sessionTwo] = await oneAgainstTwo(false);
    const twoWorkersRatio = signedTwo.qps / signedOne.qps;

    const { sessions } = await operatorStatus(sys);
    report({
      name: 'session balance queries per second through the worker query server',
      value: value.qps,
      unit: 'queries/s',
      bound: bound.qps,
      goal: GOAL,
      concurrency: CONCURRENCY,
      accounts: ACCOUNTS,
      sliceQpsMinMedMax: spread(values),
      boundSliceQpsMinMedMax: spread(bounds),
      p50Ms: open.p50Ms,
      p99Ms: open.p99Ms,
      qps: Math.round(value.qps),
      // The README's goal decides pass or fail along with the ratio.
      mustMeet: {
        'p50 < 10 ms at 1,000 queries/s offered': open.p50Ms < 10, '≥ 1,000 session queries/s': value.qps >= 1000,
        '2 workers serve at least what 1 does (signed queries)': twoWorkersRatio >= 1,
      },
      twoWorkersRatio: round2(twoWorkersRatio),
      sessionTwoWorkersRatio: round2(sessionTwo.qps / sessionOne.qps),
      poolQps: {
        signed: { oneWorker: Math.round(signedOne.qps), twoWorkers: Math.round(signedTwo.qps) },
        session: { oneWorker: Math.round(sessionOne.qps), twoWorkers: Math.round(sessionTwo.qps) },
      },
      // What the worker alone could serve on one core, from its CPU per session query: the figure that
      // does not move with the load other processes put on the shared cores (see loadAvg1m).
      workerQueriesPerCoreSecond: Math.round(1e6 / value.workerUs!),
      loadAvg1m: Math.round(loadavg()[0] * 10) / 10,
      openLoopAt1000: open,
      closedLoop: closed,
      bareHealth: stats(bound),
      signedOneShotQps: Math.round(oneShot.qps),
      signedOneShot: stats(oneShot),
      viaHttpAgent: { session: agentQuery, bareHealth: agentBare },
      sessionsOpen: sessions,
    });
  } finally {
    await sys.stop();
  }
}

await main();
