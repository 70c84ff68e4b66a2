/**
 * Issue 18's chaos criterion: "three workers, kill -9 of random workers (and the chain) at random
 * points for a CI-sized run in `npm test` and a long run outside it (`npm run crash`); state equals
 * the model, every receipt paid exactly once, at least one worker always answers queries after each
 * restart."
 *
 * A chain and three workers of contract 1, which share the contract key (dev provisioning, as the
 * failover suites do: each worker restarts from its own sealed state with no keyholder needed, so a
 * kill of any subset is recoverable; the `--join` handover has its own disaster suite). The crash
 * suite's five senders stream secret transfers, withdraws and deposits (workload.ts) while a seeded
 * scheduler SIGKILLs, at random points, one random worker, two, the chain, or the chain with one
 * worker, sometimes kills a restarting worker again mid-recovery, and restarts everything on the
 * same data directories and ports. Receipts are paid in turn (`seq mod 3`, the next worker after
 * `--receipt-turn-delay`), so a batch whose worker is down is paid by another one.
 *
 * After each restart a signed balance query of a random sender goes through an SDK client that is
 * pinned to no worker (it finds the three on chain and fails over): it must be answered, and the
 * worker that answered is recorded. At the end (workload.ts `checkRun`): every worker's balances and
 * every history entry equal the model built from what the chain holds; every receipt paid exactly
 * once, none lost; no `CheckpointMismatch`; and the run did real work (MIN_* below, and an extrinsic
 * included after every restart).
 *
 * `npm test` runs CHAOS_POINTS=6 (seeded, printed; replay with FAULT_SEED); the long run is
 * `CHAOS_POINTS=50 npm run crash` (which runs this and the crash-injection suite; this one alone:
 * `CHAOS_POINTS=50 npx jest test/integration/faults/chaos`).
 *
 * Runs on 2 cores shared with three other test runs (load 7–13): CHAOS_POINTS=6, seed 563168470,
 * 128 s: 847 commands, 45 deposits, 53 receipts each paid once, 4 chain and 4 worker restarts.
 * CHAOS_POINTS=15, FAULT_SEED=137408826, 180 s on the final code: worker 8, two workers 5, chain 1,
 * chain and worker 1 (19 worker and 2 chain restarts, 2 killed again while recovering; restart
 * median 5.1 s, max 13 s); 3,100 commands and 162 deposits on chain up to #3,675, none lost; each
 * of the three workers 6,124 history entries equal to the model; 238 receipts each paid once; no
 * CheckpointMismatch; every post-restart query answered. A 50-point run (FAULT_SEED=634844252,
 * 1,422 s) got through all 50 points, every query answered, but ended at the head wait: on those
 * loaded cores the three workers (each verifying every block) were ~6,000 blocks behind the head
 * #12,831, catching up at ~20 blocks/s, and the fixed 120 s wait ran out; the wait now fails only
 * when a worker stops advancing. CHAOS_POINTS=30, FAULT_SEED=1410847735, on the final code
 * (machine otherwise near idle), 348 s: worker 8, two workers 14, chain 4, chain and worker 4; 8 chain
 * and 40 worker restarts, 6 killed again while recovering (restart median 7.4 s, max 11.9 s); 6,271
 * commands and 335 deposits on chain up to #7,462, none lost; each worker 12,409 history entries equal
 * to the model; 468 receipts each paid once; no CheckpointMismatch; all 30 post-restart queries
 * answered, by workers 0, 1 and 2 in turn. Restarted workers re-send a checkpoint the chain already holds and
 * are refused at validation (`CheckpointAlreadySubmitted`, no fee): noise, not a fault.
 */
import type { ApiPromise } from '@polkadot/api';
import { DarkClient } from '../../../shared/client';
import { DEFAULT_CONTRACT_ID } from '../../../shared/constants';
import type { FetchLike } from '../../../shared/client/transport';
import { shutdown } from '../../helpers/teardown';
import { connectApi, FaultSystem, keys, Rng, seedFor, sleep, UNIT } from './harness';
import { checkRun, expectSurvived, idleRestarts, SenderWorkload, survivorOf, type Survivor } from './workload';

const POINTS = Number(process.env.CHAOS_POINTS ?? 6);
const WORKERS = 3;
const DEPOSIT = 1000n * UNIT;
/** The least work a run must have done to count (as in the crash suite): commands applied, receipts paid. */
const MIN_COMMANDS = 4 * POINTS;
const MIN_RECEIPTS = Math.ceil(POINTS / 7);

let sys: FaultSystem;
let api: ApiPromise | undefined;
let queryApi: ApiPromise | undefined;

beforeAll(async () => {
  // Dropped connections make polkadot-js (in the test's own clients) report every lost request.
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  // A short turn delay: a batch whose worker is down is paid by the next one soon.
  sys = await FaultSystem.start('chaos', { workers: WORKERS, workerFlags: ['--receipt-turn-delay', '1000'] });
}, 240_000);

afterAll(async () => {
  await shutdown(queryApi, async () => undefined);
  await shutdown(api, async () => sys?.stop());
  sys?.dir.remove();
  jest.restoreAllMocks();
});

type Target = 'worker' | 'two workers' | 'chain' | 'chain and worker';

interface Cycle {
  n: number;
  target: Target;
  killed: number[];
  afterMs: number;
  restartMs: number;
  headAfter: number;
  /** The worker whose restart was itself killed after `ms`, if any. */
  interrupted: { worker: number; ms: number; wasReady: boolean } | null;
  /** The worker that answered the signed query after the restart. */
  answeredBy: number;
}

/** Picks `k` distinct workers. */
function pickWorkers(rng: Rng, k: number): number[] {
  const all = Array.from({ length: WORKERS }, (_, i) => i);
  const out: number[] = [];
  while (out.length < k) out.push(all.splice(rng.int(0, all.length - 1), 1)[0]);
  return out.sort();
}

test(`${POINTS} chaos points over three workers and the chain: every worker recovers to the model state, one always answers`, async () => {
  try {
    const started = Date.now();
    const rng = seedFor('chaos');
    const { senders, dests } = await keys();

    api = await connectApi(sys.chainUrl);
    const sealer = await DarkClient.connect({ api, contractId: DEFAULT_CONTRACT_ID });
    expect(sealer.workerSet.trusted).toHaveLength(WORKERS);
    const workload = await SenderWorkload.funded(sys.chainUrl, api, sealer, senders, dests, DEPOSIT);
    await api.disconnect();
    api = undefined;
    const { link, finalized, stats, accountKeys: keysOf } = workload;
    workload.start(rng.seed);

    // The user's side: an SDK client pinned to no worker, on its own reconnecting chain connection.
    // Its fetch notes which worker answered each successful call.
    let lastAnswered = -1;
    const noting: FetchLike = async (url, init) => {
      const r = await fetch(url, { ...init, body: init?.body?.slice() }); // a copy: fetch's types want an ArrayBuffer-backed view
      if (r.ok) lastAnswered = sys.workerPorts.indexOf(Number(new URL(url).port));
      return r;
    };
    queryApi = await connectApi(sys.chainUrl);
    const user = await DarkClient.connect({ api: queryApi, contractId: DEFAULT_CONTRACT_ID, fetch: noting });

    const survivors: Survivor[] = [];
    const cycles: Cycle[] = [];
    for (let n = 1; n <= POINTS; n++) {
      const afterMs = rng.int(300, 2500);
      const roll = rng.next();
      const target: Target = roll < 0.35 ? 'worker' : roll < 0.6 ? 'two workers' : roll < 0.8 ? 'chain' : 'chain and worker';
      const killed = pickWorkers(rng, target === 'two workers' ? 2 : target === 'chain' ? 0 : 1);
      // Now and then a worker's recovery is cut short: it is killed again, ready or not, then started for good.
      const interruptMs = killed.length > 0 && rng.next() < 0.25 ? rng.int(300, 4000) : null;
      const interrupted: Cycle['interrupted'] = interruptMs === null ? null : { worker: rng.pick(killed), ms: interruptMs, wasReady: false };
      // Fault timing: how far into the workload the kill lands.
      await sleep(afterMs);
      const t0 = Date.now();
      if (target === 'chain' || target === 'chain and worker') {
        survivors.push(await survivorOf(await link.get(), keysOf));
        await Promise.all([sys.killChain(), ...killed.map((i) => sys.killWorker(i))]);
        await sys.startChain();
        await expectSurvived(await link.get(), keysOf, survivors[survivors.length - 1]);
      } else {
        await Promise.all(killed.map((i) => sys.killWorker(i)));
      }
      for (const i of killed) {
        if (interrupted?.worker === i) interrupted.wasReady = await sys.interruptedStart('worker', interrupted.ms, i);
        await sys.startWorker(i);
      }
      const restartMs = Date.now() - t0;
      // A user's signed query after the restart is answered by some worker.
      lastAnswered = -1;
      const balances = await user.balances(rng.pick(senders));
      expect(Array.isArray(balances)).toBe(true);
      expect(lastAnswered).toBeGreaterThanOrEqual(0);
      const headAfter = Number((await (await link.get()).call<{ number: string }>('chain_getHeader')).number);
      await workload.oneMoreFinalized(`an extrinsic finalized after restart ${n}`);
      cycles.push({ n, target, killed, afterMs, restartMs, headAfter, interrupted, answeredBy: lastAnswered });
    }
    await workload.stop();
    const workloadMs = Date.now() - started;

    api = await connectApi(sys.chainUrl);
    const { head, scan, model, verdicts, droppedWithPool, settleMs } = await checkRun(sys, api, workload, senders, dests, survivors);
    expect(verdicts).toHaveLength(WORKERS);
    expect(model.commands).toBeGreaterThanOrEqual(MIN_COMMANDS);
    expect(verdicts[0].receipts).toBeGreaterThanOrEqual(MIN_RECEIPTS);
    expect(idleRestarts(cycles, scan, head)).toEqual([]);
    expect(cycles.map((c) => c.answeredBy).filter((w) => w < 0)).toEqual([]);

    const count = (t: Target) => cycles.filter((c) => c.target === t).length;
    const restarts = cycles.map((c) => c.restartMs).sort((a, b) => a - b);
    const workerLog = sys.logs('worker');
    // eslint-disable-next-line no-console
    console.log([
      `chaos: seed ${rng.seed}, ${POINTS} points (worker ${count('worker')}, two workers ${count('two workers')}, chain ${count('chain')}, chain and worker ${count('chain and worker')});`,
      `${sys.chainStarts - 1} chain and ${sys.workerStarts - WORKERS} worker restarts, ${cycles.filter((c) => c.interrupted).length} of them killed again while recovering;`,
      `restart ms median ${restarts[Math.floor(restarts.length / 2)]}, max ${restarts[restarts.length - 1]};`,
      `${stats.sent} extrinsics sent, ${stats.accepted} accepted (${droppedWithPool} died in a killed chain's pool), ${stats.cutOff} cut off, ${stats.refused} refused after a restart;`,
      `${model.commands} commands and ${scan.deposits.length} deposits on chain up to #${head}, ${finalized.size} seen finalized, none lost;`,
      `each of ${WORKERS} workers: ${verdicts[0].historyEntries} history entries over ${verdicts[0].accounts} accounts equal the model; ${verdicts[0].receipts} receipts each paid once; no CheckpointMismatch;`,
      `queries after restarts answered by workers ${cycles.map((c) => c.answeredBy).join(',')};`,
      `workload ${workloadMs} ms, receipts settled ${settleMs} ms after it, total ${Date.now() - started} ms;`,
      `worker logs: ${(workerLog.match(/not paid yet/g) ?? []).length} receipt retries`,
      `\ncycles (n:target[killed]@delay/restart[+interrupted worker@ms]): ${cycles.map((c) => `${c.n}:${c.target}[${c.killed}]@${c.afterMs}ms/${c.restartMs}ms${c.interrupted ? `+w${c.interrupted.worker}@${c.interrupted.ms}ms${c.interrupted.wasReady ? '(ready)' : ''}` : ''}`).join(' ')}`,
    ].join(' '));
    expect(sys.chainStarts).toBe(1 + count('chain') + count('chain and worker'));
    expect(sys.workerStarts).toBe(WORKERS + cycles.reduce((a, c) => a + c.killed.length, 0));
  } catch (e) {
    // eslint-disable-next-line no-console
    console.log(`process output at the failure:\n${sys.tails()}`);
    throw e;
  }
}, Math.max(300_000, POINTS * 60_000));
