/**
 * "Kill the worker and the chain at random points many times during a scripted workload; the final
 * state equals a reference model; no command applied twice, none lost, no withdraw paid twice."
 *
 * Five senders stream secret transfers, withdraws and deposits (`transferToTee`) at the chain while
 * a seeded scheduler picks crash points: after a random delay it SIGKILLs the worker, the chain, or
 * both, and starts them again on the same base paths and ports. Senders sign each command when they
 * send it, with the nonce the chain gives them after every reconnect; a command whose extrinsic the
 * chain never included (it died with the command in its pool) is legitimately not applied. So the
 * model is built from what the chain finally holds, and the worker's ledger must match exactly that.
 *
 * Checked: every head seen before a chain kill (hash and the senders' account storage at it) is the
 * same after the restart; every command a sender saw finalized is on chain; the worker's balances
 * and every history entry equal the model; no ref twice; every receipt paid exactly once. And the
 * run did real work (as the worker-kill suite requires): at least MIN_COMMANDS commands on chain and
 * applied, MIN_RECEIPTS receipts paid, and after every restart an extrinsic included before the next
 * (each cycle waits for one finalized after its restart before the next crash).
 *
 * `npm test` runs CRASH_POINTS=14 (~1 min, seeded, printed; `npm run crash` runs it alone); the
 * issue's full run is `CRASH_POINTS=100 npm run crash`. FAULT_SEED=20261128 passed in 343 s on 2
 * shared cores: 100 points (worker 53, chain 28, both 19; 24 restarts killed again while recovering),
 * 6,619 commands and 347 deposits on chain, 13,129 history entries equal to the model, 456 receipts
 * each paid once; chain restarts median 1.9 s, max 5.9 s at ~7,200 blocks (the change cache; before
 * it, restarts grew to 10–21 s as the chain re-executed its whole log).
 */
import type { ApiPromise } from '@polkadot/api';
import { DarkClient } from '../../../shared/client';
import { DEFAULT_CONTRACT_ID } from '../../../shared/constants';
import { shutdown } from '../../helpers/teardown';
import { connectApi, FaultSystem, keys, seedFor, sleep, UNIT } from './harness';
import { checkRun, expectSurvived, idleRestarts, SenderWorkload, survivorOf, type Survivor } from './workload';

const POINTS = Number(process.env.CRASH_POINTS ?? 14);
const DEPOSIT = 1000n * UNIT;
/**
 * The least work a run must have done to count, so it cannot pass by doing little: secret commands
 * on chain and applied, withdraw receipts paid (each checked paid exactly once), and after every
 * restart at least one extrinsic included in a block the restarted system produced.
 */
const MIN_COMMANDS = 4 * POINTS;
const MIN_RECEIPTS = Math.ceil(POINTS / 7); // loaded 2-core runs pay ~0.5 per point, unloaded ~4.5

let sys: FaultSystem;
let api: ApiPromise | undefined;

beforeAll(async () => {
  // Dropped connections make polkadot-js (in the test's own clients) report every lost request.
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  sys = await FaultSystem.start('crash');
}, 120_000);

afterAll(async () => {
  await shutdown(api, async () => sys?.stop());
  sys?.dir.remove();
  jest.restoreAllMocks();
});

interface Cycle {
  n: number;
  target: 'worker' | 'chain' | 'both';
  afterMs: number;
  restartMs: number;
  /** The chain head once the restart was done: what is included above it came after the restart. */
  headAfter: number;
  /** The restart that was itself killed after `ms` (before or after it was ready). */
  interrupted: { kind: 'chain' | 'worker'; ms: number; wasReady: boolean } | null;
}

test(`${POINTS} random crash points across worker and chain: all recover to the model state`, async () => {
  try {
    const started = Date.now();
    const rng = seedFor('crash-injection');
    const { senders, dests } = await keys();

    // Sealing and signing need the chain's metadata and the contract's key, not a connection: both
    // are loaded once, then every command is sealed and signed offline and sent over `Link`.
    api = await connectApi(sys.chainUrl);
    const client = await DarkClient.connect({ api, workerUrl: sys.workerUrl, contractId: DEFAULT_CONTRACT_ID });
    const workload = await SenderWorkload.funded(sys.chainUrl, api, client, senders, dests, DEPOSIT);
    await api.disconnect();
    api = undefined;
    const { link, finalized, stats, accountKeys: keysOf } = workload;
    workload.start(rng.seed);

    /** Head and the senders' account storage at it, read just before a chain kill. */
    const survivors: Survivor[] = [];
    const cycles: Cycle[] = [];
    for (let n = 1; n <= POINTS; n++) {
      const afterMs = rng.int(100, 1500);
      const roll = rng.next();
      const target: Cycle['target'] = roll < 0.4 ? 'worker' : roll < 0.8 ? 'chain' : 'both';
      // Now and then the recovery itself is cut short: the restarted process is killed again,
      // ready or not, before it is started for good.
      const interruptMs = rng.next() < 0.25 ? rng.int(200, 3000) : null;
      const interrupted: Cycle['interrupted'] = interruptMs === null ? null
        : { kind: target === 'both' ? rng.pick(['chain', 'worker'] as const) : target, ms: interruptMs, wasReady: false };
      const interrupt = async (kind: 'chain' | 'worker') => {
        if (interrupted?.kind === kind) interrupted.wasReady = await sys.interruptedStart(kind, interrupted.ms);
      };
      // Fault timing: how far into the workload the kill lands.
      await sleep(afterMs);
      const t0 = Date.now();
      if (target !== 'worker') {
        survivors.push(await survivorOf(await link.get(), keysOf));
        await Promise.all([sys.killChain(), target === 'both' ? sys.killWorker() : null]);
        await interrupt('chain');
        await sys.startChain();
        // The head seen before the kill is still there, with the same hash and the same account state.
        await expectSurvived(await link.get(), keysOf, survivors[survivors.length - 1]);
        if (target === 'both') {
          await interrupt('worker');
          await sys.startWorker();
        }
      } else {
        await sys.killWorker();
        await interrupt('worker');
        await sys.startWorker();
      }
      const restartMs = Date.now() - t0;
      const headAfter = Number((await (await link.get()).call<{ number: string }>('chain_getHeader')).number);
      // The restarted system must take work before the next crash: one extrinsic finalized above this head.
      await workload.oneMoreFinalized(`an extrinsic finalized after restart ${n}`);
      cycles.push({ n, target, afterMs, restartMs, headAfter, interrupted });
    }
    await workload.stop();
    const workloadMs = Date.now() - started;

    api = await connectApi(sys.chainUrl);
    const { head, scan, model, verdicts: [verdict], droppedWithPool, settleMs } = await checkRun(sys, api, workload, senders, dests, survivors);
    // The minimum workload: enough commands and paid receipts, and inclusions after every restart.
    expect(model.commands).toBeGreaterThanOrEqual(MIN_COMMANDS);
    expect(verdict.receipts).toBeGreaterThanOrEqual(MIN_RECEIPTS);
    expect(idleRestarts(cycles, scan, head)).toEqual([]);

    const workerLog = sys.logs('worker');
    const count = (t: Cycle['target']) => cycles.filter((c) => c.target === t).length;
    const restarts = cycles.map((c) => c.restartMs).sort((a, b) => a - b);
    // eslint-disable-next-line no-console
    console.log([
      `crash-injection: seed ${rng.seed}, ${POINTS} crash points (worker ${count('worker')}, chain ${count('chain')}, both ${count('both')});`,
      `restart ms median ${restarts[Math.floor(restarts.length / 2)]}, max ${restarts[restarts.length - 1]};`,
      `${cycles.filter((c) => c.interrupted).length} restarts killed again while recovering;`,
      `${stats.sent} extrinsics sent, ${stats.accepted} accepted (${droppedWithPool} of them died in a killed chain's pool, never included), ${stats.cutOff} cut off by a kill, ${stats.refused} refused after a restart;`,
      `${model.commands} commands and ${scan.deposits.length} deposits on chain up to #${head}, ${finalized.size} seen finalized, none lost;`,
      `${verdict.historyEntries} history entries over ${verdict.accounts} accounts equal the model; ${verdict.receipts} receipts each paid once;`,
      `workload ${workloadMs} ms, last receipts paid ${settleMs} ms after it, total ${Date.now() - started} ms;`,
      `worker logs: ${(workerLog.match(/block processing stopped/g) ?? []).length} block-read retries, ${(workerLog.match(/not paid yet/g) ?? []).length} receipt retries`,
      `\ncycles (n:target@delay/restart[+interrupted kind@ms]): ${cycles.map((c) => `${c.n}:${c.target}@${c.afterMs}ms/${c.restartMs}ms${c.interrupted ? `+${c.interrupted.kind}@${c.interrupted.ms}ms${c.interrupted.wasReady ? '(ready)' : ''}` : ''}`).join(' ')}`,
    ].join(' '));
    expect(cycles).toHaveLength(POINTS);
    expect(sys.chainStarts).toBe(1 + count('chain') + count('both'));
    expect(sys.workerStarts).toBe(1 + count('worker') + count('both'));
  } catch (e) {
    // eslint-disable-next-line no-console
    console.log(`process output at the failure:\n${sys.tails()}`);
    throw e;
  }
}, Math.max(300_000, POINTS * 20_000));
