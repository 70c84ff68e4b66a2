/**
 * Disaster in real Chromium (issue 18, DESIGN.md §11): the extension, with no worker pinned (the
 * contract's workers come from chain), has secret activity on worker A — a deposit, relayed transfers,
 * an issued token and a withdrawal A leaves pending (it pays receipts only every 100,000 blocks).
 * Worker B joins (`--join`), receives the contract keys from A by `phalaModule.handoverKey` and
 * replays the contract from genesis; the popup counts it among the contract's workers as soon as it
 * registers. A is then SIGKILLed and its data directory deleted for good. Through the switch the popup shows the same balances (equal to the ledger's) and the same history,
 * says plainly that its relayer (A) no longer answers and sends nothing; pointed at B's relayer, a new
 * secret transfer is applied; the pending withdrawal is paid exactly once, by B.
 */
import { rmSync } from 'node:fs';
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { Page } from 'playwright-core';
import { DarkClient } from '../../shared/client';
import { DEFAULT_CONTRACT_ID } from '../../shared/constants';
import { until } from '../helpers/until';
import { freePort, launch, workerArgs, type Proc } from '../integration/helpers/processes';
import { aliceAndBob, closeAliceAndBob } from './helpers/alice-and-bob';
import { screenshot, type Wallet } from './helpers/browser';
import { chooseAccount, fillGoldIssue, fillSecretTransfer, home, submitAndApply } from './helpers/secret-popup';
import { PHA, freeBalance, useEndpoints, type System } from './helpers/system';

let system: System;
let wallet: Wallet;
let popup: Page;
let b: Proc | undefined;

beforeAll(async () => {
  // A relays commands (the wallet's relayer) and leaves withdrawals pending.
  ({ system, wallet, popup } = await aliceAndBob({ workerArgs: ['--receipt-cadence', '100000', '--relay-interval', '500'] }));
}, 150_000);

afterAll(async () => {
  await b?.kill();
  await closeAliceAndBob({ system, wallet, popup });
});

/**
 * Waits until the popup shows `who` exactly `balances` (non-zero ones, as asset id and exact amount)
 * and a history of `history` entries (a count, or the entries as displayed); returns the entries.
 * Waits, because a list shown for the previously chosen account is only replaced once the new one loads.
 */
async function expectShown(who: KeyringPair, balances: string[], history: number | string[]): Promise<string[]> {
  await home(popup);
  await chooseAccount(popup, who.address);
  const rows = popup.locator('[data-testid=secret-balance]');
  await until(async () => {
    const seen = await rows.evaluateAll((els) => els
      .map((e) => `${(e as HTMLElement).dataset.asset}:${/^(\d+) /.exec(e.querySelector('[data-testid=secret-amount]')?.getAttribute('title') ?? '')?.[1]}`)
      .filter((b) => !b.endsWith(':0')));
    return JSON.stringify(seen.sort()) === JSON.stringify(balances);
  }, { what: `the balances ${balances.join(', ')}`, timeoutMs: 20_000, intervalMs: 300 });
  await popup.goto(popup.url().replace(/#.*$/, `#/secret/history/${who.address}`));
  return until(async () => {
    const seen = await popup.locator('[data-testid=history] [data-testid=activity]').allTextContents();
    return (typeof history === 'number' ? seen.length === history : JSON.stringify(seen) === JSON.stringify(history)) && seen;
  }, { what: `the history (${typeof history === 'number' ? history : history.length} entries)`, timeoutMs: 20_000, intervalMs: 300 });
}

/** What the ledger holds for `who`, asked by the Node SDK of the worker `client` is connected to. */
async function ledger(client: DarkClient, who: KeyringPair): Promise<{ balances: string[]; entries: number }> {
  const balances = (await client.balances(who)).filter((b) => b.amount > 0n).map((b) => `${b.asset}:${b.amount}`);
  return { balances: balances.sort(), entries: (await client.fullHistory(who)).length };
}

/** Payouts of receipts (recipient and amount) in blocks `from`..head. */
async function payouts(api: ApiPromise, from: number): Promise<{ to: string; amount: bigint }[]> {
  const out: { to: string; amount: bigint }[] = [];
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  for (let n = from; n <= head; n++) {
    for (const { event } of await (await api.at(await api.rpc.chain.getBlockHash(n))).query.system.events()) {
      if (!api.events.phalaModule.TransferToChain.is(event)) continue;
      const [to, amount] = event.data as unknown as [{ toString(): string }, { toBigInt(): bigint }];
      out.push({ to: to.toString(), amount: amount.toBigInt() });
    }
  }
  return out;
}

test('worker A is lost for good: the popup shows the same balances and history through B, sends through B, and B pays the pending withdrawal once', async () => {
  const { api, keys: { alice, bob } } = system;
  const a = system.worker;
  await useEndpoints(popup, system.chain.url, '', a.url); // workers from chain; A's command relayer

  // Secret activity on A: a deposit, a relayed transfer, a relayed issue, a relayed withdrawal left pending.
  await home(popup);
  await popup.getByTestId('go-to-secret').click();
  await popup.getByTestId('public-available').waitFor();
  await popup.getByTestId('secret-amount-input').fill('100');
  await submitAndApply(popup, '82-disaster-deposit');
  await home(popup);
  await fillSecretTransfer(popup, 'Bob', '30');
  await popup.getByTestId('relay-note').waitFor();
  await submitAndApply(popup, '83-disaster-transfer');
  await home(popup);
  await fillGoldIssue(popup);
  await submitAndApply(popup, '84-disaster-issue');
  await home(popup);
  await chooseAccount(popup, bob.address);
  await popup.getByTestId('go-to-public').click();
  await popup.getByTestId('secret-available').waitFor();
  await popup.getByTestId('secret-amount-input').fill('10');
  const bobPublic = await freeBalance(api, bob.address);
  await submitAndApply(popup, '85-disaster-withdraw');
  const pendingFrom = (await api.rpc.chain.getHeader()).number.toNumber();
  expect((await api.query.phalaModule.usedReceipts(DEFAULT_CONTRACT_ID, 1)).isTrue).toBe(false); // pending on A

  // What the wallet shows equals the ledger, before anything happens to A.
  const before = new Map<KeyringPair, { balances: string[]; history: string[] }>();
  for (const who of [alice, bob]) {
    const truth = await ledger(system.client, who);
    before.set(who, { balances: truth.balances, history: await expectShown(who, truth.balances, truth.entries) });
  }
  expect(before.get(alice)!.balances).toHaveLength(2); // PHA and GOLD

  // B joins: its own worker keys, the contract keys by handover from A, the state by replay.
  const port = await freePort();
  b = launch('contract/host/main.ts', workerArgs(system.chain, `${system.dir}/worker-b`, port,
    ['--join', '--relayer-suri', '//Charlie', '--relay-suri', '//Dave', '--relay-interval', '500']));
  await a.waitFor(/handed the contract keys to worker/, 90_000);
  await b.waitFor(/caught up at block/, 90_000);
  const bUrl = `http://127.0.0.1:${port}`;
  await home(popup);
  await until(async () => /^2 workers, attested/.test((await popup.getByTestId('worker-count').textContent()) ?? ''),
    { what: 'the popup to count B among the workers', timeoutMs: 30_000, intervalMs: 500 });
  await screenshot(popup, '86-disaster-two-workers');

  // A is lost for good (killed first: a running worker writes into the directory being deleted).
  await a.kill('SIGKILL');
  rmSync(`${system.dir}/worker`, { recursive: true, force: true });

  // The same balances and history, now answered by B.
  await home(popup);
  const endpoint = popup.getByTestId('worker-endpoint');
  await until(async () => (await endpoint.textContent())?.includes(bUrl), { what: 'the status answered by B', timeoutMs: 20_000, intervalMs: 200 });
  for (const [who, { balances, history }] of before) await expectShown(who, balances, history);

  // The wallet's relayer was A: sending says so and sends nothing (never directly instead).
  await home(popup);
  await chooseAccount(popup, alice.address);
  await fillSecretTransfer(popup, 'Bob', '1');
  await popup.getByTestId('secret-submit').click();
  await popup.locator('[data-testid=op-progress][data-status=failed]').waitFor();
  await expect(popup.getByTestId('op-status').textContent()).resolves.toContain(`The relayer at ${a.url} is not reachable, so nothing was sent.`);
  await screenshot(popup, '87-disaster-relayer-gone');
  const alicePublic = await freeBalance(api, alice.address);
  // Nothing moved: the same balances; the history holds the ledger's entries and, newest, the failed attempt.
  const { balances: aliceBalances, history: aliceHistory } = before.get(alice)!;
  expect((await expectShown(alice, aliceBalances, aliceHistory.length + 1)).slice(1)).toEqual(aliceHistory);
  await expect(popup.getByTestId('activity').first().getAttribute('data-status')).resolves.toBe('failed');

  // The user points Settings at B's relayer: the transfer goes through B.
  await useEndpoints(popup, system.chain.url, '', bUrl);
  await home(popup);
  await chooseAccount(popup, alice.address);
  await fillSecretTransfer(popup, 'Bob', '1');
  await expect(popup.getByTestId('relay-note').textContent()).resolves.toContain(`Sent through the relayer at ${bUrl}`);
  await submitAndApply(popup, '88-disaster-sent-through-b');
  expect(await freeBalance(api, alice.address)).toBe(alicePublic); // relayed both times: Alice signed nothing on chain
  const onB = await DarkClient.connect({ api, workerUrl: bUrl, contractId: DEFAULT_CONTRACT_ID });
  const bobNow = await ledger(onB, bob);
  expect(bobNow.entries).toBe(before.get(bob)!.history.length + 1);
  await expectShown(bob, bobNow.balances, bobNow.entries);

  // The withdrawal that was pending on A is paid exactly once, by B's receipt relayer.
  await until(async () => (await api.query.phalaModule.usedReceipts(DEFAULT_CONTRACT_ID, 1)).isTrue, { what: 'the pending receipt paid', timeoutMs: 60_000, intervalMs: 200 });
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  await until(async () => (await api.rpc.chain.getHeader()).number.toNumber() >= head + 2 * 3, { what: 'two more of B\'s cadence boundaries', intervalMs: 200 });
  // Receipts go out unsigned (the contract's signature is their authority): the worker that relayed it says so.
  expect(await payouts(api, pendingFrom)).toEqual([{ to: bob.address, amount: 10n * PHA }]);
  expect(b.output()).toMatch(/withdraw receipt #1 paid/);
  expect(a.output()).not.toMatch(/withdraw receipt #1 paid/);
  expect(await freeBalance(api, bob.address)).toBe(bobPublic + 10n * PHA); // relayed: Bob paid no public fee
  expect((await api.query.phalaModule.usedReceipts(DEFAULT_CONTRACT_ID, 2)).isTrue).toBe(false);
}, 300_000);
