/**
 * "Kill -9 the worker at a random point of a 200-command run, restart: final balances equal the
 * expected ones; every withdraw paid exactly once."
 *
 * Five accounts convert 1,000 PHA each to secret; then 200 pre-signed `pushCommand` extrinsics
 * (180 small secret transfers between them, 20 withdraws to three fresh public accounts) stream to
 * the chain. Every command is valid in any order (no account can spend more than a tenth of its
 * deposit), so the expected outcome does not depend on how the run interleaves. At a seeded random
 * point of the stream the worker gets SIGKILL and is started again on the same base path while the
 * stream goes on. The worker must then equal a reference model built from the chain: balances,
 * every history entry, no ref twice, each receipt paid exactly once, custody and destination
 * balances moved by exactly the deposits and withdrawals.
 */
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import { DarkClient } from '../../../shared/client';
import { amount, NATIVE_ASSET, toHex, type AccountId } from '../../../shared/types';
import { shutdown } from '../../helpers/teardown';
import {
  connectApi, FaultSystem, idOf, keys, modelOf, scanChain, seedFor, settle, sleep, UNIT, verify, workerHealth, type ModelCommand,
} from './harness';
import { until } from '../../helpers/until';
import { DEFAULT_CONTRACT_ID } from '../../../shared/constants';

const COMMANDS = 200;
const WITHDRAWS = 20;
const DEPOSIT = 1000n * UNIT;

let sys: FaultSystem;
let api: ApiPromise | undefined;

beforeAll(async () => {
  sys = await FaultSystem.start('worker-kill');
  api = await connectApi(sys.chainUrl);
}, 120_000);

afterAll(async () => {
  await shutdown(api, async () => sys?.stop());
  sys?.dir.remove();
});

test('kill -9 the worker at a random point of a 200-command run, restart: balances, histories and payouts equal the model', async () => {
  try {
    const started = Date.now();
    const rng = seedFor('worker-kill');
    const { senders, dests } = await keys();
    const client = await DarkClient.connect({ api: api!, workerUrl: sys.workerUrl, contractId: DEFAULT_CONTRACT_ID });

    await Promise.all(senders.map((p) => client.convertToSecret(p, amount(DEPOSIT))));

    // 200 commands, signed up front with explicit nonces; the withdraws sit at random positions.
    const withdrawAt = new Set<number>();
    while (withdrawAt.size < WITHDRAWS) withdrawAt.add(rng.int(0, COMMANDS - 1));
    const nonces = new Map<AccountId, number>();
    for (const p of senders) nonces.set(idOf(p), (await api!.rpc.system.accountNextIndex(p.address)).toNumber());
    const known = new Map<string, { sender: AccountId; command: ModelCommand }>();
    const txs: string[] = [];
    for (let i = 0; i < COMMANDS; i++) {
      const sender: KeyringPair = rng.pick(senders);
      const command: ModelCommand = withdrawAt.has(i)
        ? { kind: 'Withdraw', dest: idOf(rng.pick(dests)), amount: amount(BigInt(rng.int(1000, 5000)) * (UNIT / 1000n)) }
        : { kind: 'Transfer', asset: NATIVE_ASSET, dest: idOf(rng.pick(senders.filter((p) => p !== sender))), amount: amount(BigInt(rng.int(1, 50_000)) * 1_000_000n) };
      const payload = toHex(await client.sealFor(sender, command));
      known.set(payload, { sender: idOf(sender), command });
      const nonce = nonces.get(idOf(sender))!;
      nonces.set(idOf(sender), nonce + 1);
      // Hex, not Uint8Array: polkadot-js reads a Uint8Array `Bytes` argument as already length-prefixed.
      txs.push((await api!.tx.phalaModule.pushCommand(1, payload).signAsync(sender, { nonce, era: 0 })).toHex());
    }

    const killAfter = rng.int(5, COMMANDS - 5);
    const killDelayMs = rng.int(0, 400);
    let crash: Promise<void> = Promise.resolve();
    let lastBlockAtKill = -1;
    const streamStart = Date.now();
    for (const [i, tx] of txs.entries()) {
      await api!.rpc.author.submitExtrinsic(tx);
      if (i === killAfter) {
        crash = (async () => {
          // Fault timing: where in the stream the kill lands.
          await sleep(killDelayMs);
          lastBlockAtKill = (await workerHealth(sys.workerUrl)).lastBlock;
          await sys.killWorker();
          await sys.startWorker();
        })();
      }
      // Fault timing: the stream's pace.
      await sleep(rng.int(0, 20));
    }
    const streamMs = Date.now() - streamStart;
    await crash;

    // Everything submitted was included (the chain was never killed): each sender's nonce says so.
    for (const p of senders) expect((await api!.rpc.system.accountNextIndex(p.address)).toNumber()).toBe(nonces.get(idOf(p)));

    const head = (await api!.rpc.chain.getHeader()).number.toNumber();
    await until(async () => (await workerHealth(sys.workerUrl)).lastBlock >= head, { what: 'the restarted worker at the head', timeoutMs: 90_000 });
    const scan = await scanChain(api!, 1, head);
    const { model, unknown } = modelOf(scan, known);
    expect(unknown).toBe(0);
    expect(model.commands).toBe(COMMANDS);
    expect(model.receipts).toHaveLength(WITHDRAWS);
    await settle(api!, sys.worker!, model.receipts.map((r) => r.seq), 90_000);
    const after = await scanChain(api!, head + 1);
    expect(after.commands).toEqual([]);
    scan.payouts.push(...after.payouts);

    const verdict = await verify(api!, client, [...senders, ...dests], model, scan);
    const restarted = /restored sealed state at block #(\d+)/.exec(sys.worker!.output());
    // eslint-disable-next-line no-console
    console.log([
      `worker-kill: seed ${rng.seed}; SIGKILL ${killDelayMs} ms after command #${killAfter + 1} of ${COMMANDS}`,
      `(worker had processed block #${lastBlockAtKill}; restarted from ${restarted ? `its sealed state at block #${restarted[1]}` : 'a new state, replaying every block'});`,
      `stream ${streamMs} ms, head #${(await api!.rpc.chain.getHeader()).number.toNumber()};`,
      `${verdict.accounts} accounts, ${verdict.historyEntries} history entries, ${verdict.receipts} receipts each paid once; ${Date.now() - started} ms`,
    ].join(' '));
    expect(sys.workerStarts).toBe(2);
  } catch (e) {
    // eslint-disable-next-line no-console
    console.log(`process output at the failure:\n${sys.tails()}`);
    throw e;
  }
}, 240_000);
