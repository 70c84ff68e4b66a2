/**
 * The dark wallet in real Chromium with the built extension, against the real dev chain and worker
 * processes: //Alice converts 100 PHA to secret, sends 30 secretly to //Bob, Bob sees the balance and
 * the history entry and converts 10 back to public (his public balance grows by exactly 10 minus his
 * fee), Alice issues a token and sees it among the assets and balances. Worker trust is visible, and
 * an unreachable worker says so. With no worker pinned the popup finds both workers of the contract
 * on chain ("2 workers") and keeps showing balances and sending after one of them is killed. Screenshots of every secret screen go to test-artifacts/screenshots.
 */
import type { Page } from 'playwright-core';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort, startChainProcess, tempDir as tempDirSync } from '../integration/helpers/processes';
import { screenshot, stopServiceWorker, type Wallet } from './helpers/browser';
import { PHA, eventsSince, freeBalance, useEndpoints, type System } from './helpers/system';
import { until } from '../helpers/until';
import { aliceAndBob, closeAliceAndBob } from './helpers/alice-and-bob';
import { chooseAccount, expectSecretBalance, fillGoldIssue, fillSecretTransfer, home, submitAndApply } from './helpers/secret-popup';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';

let system: System;
let wallet: Wallet;
let popup: Page;

beforeAll(async () => {
  // Two workers of the contract: the last test unpins the worker and kills one of them.
  ({ system, wallet, popup } = await aliceAndBob({ workers: 2 }));
}, 150_000);

afterAll(() => closeAliceAndBob({ system, wallet, popup }));

test('the secret section shows the verified worker key with its attestation label plainly', async () => {
  await home(popup);
  await expect(popup.getByTestId('attestation-label').textContent()).resolves.toBe('development attestation — not hardware protected');
  await expect(popup.getByTestId('worker-endpoint').textContent()).resolves.toContain(system.worker.url);
  await popup.getByTestId('worker-block').waitFor();
  await expect(popup.getByTestId('secret-account').inputValue()).resolves.toBe(ALICE);
  await expectSecretBalance(popup, 'PHA', '0');
  await screenshot(popup, '30-secret-home');
});

test('Alice converts 100 PHA to secret', async () => {
  await home(popup);
  await popup.getByTestId('go-to-secret').click();
  await popup.getByTestId('screen-secret-to-secret').waitFor();
  await popup.getByTestId('public-available').waitFor();
  await popup.getByTestId('secret-amount-input').fill('100');
  await screenshot(popup, '31-convert-to-secret');
  await submitAndApply(popup, '32-convert-to-secret-applied');
  await expect(popup.getByTestId('op-status').textContent()).resolves.toMatch(/^Applied in block #\d+$/);
  await home(popup);
  await expectSecretBalance(popup, 'PHA', '100');
});

test('Alice sends 30 secretly to Bob, who sees the balance and the history entry', async () => {
  await home(popup);
  await popup.getByTestId('go-secret-transfer').click();
  await popup.getByTestId('screen-secret-transfer').waitFor();
  await expect(popup.getByTestId('secret-available').textContent()).resolves.toBe('Available: 100 PHA');
  await popup.getByTestId('recipient-Bob').click();
  await expect(popup.getByTestId('secret-to').inputValue()).resolves.toBe(BOB);
  await popup.getByTestId('secret-amount-input').fill('30');
  await screenshot(popup, '33-secret-transfer');
  await submitAndApply(popup, '34-secret-transfer-applied');

  await home(popup);
  await expectSecretBalance(popup, 'PHA', '70');
  await chooseAccount(popup, BOB);
  await expectSecretBalance(popup, 'PHA', '30');
  await screenshot(popup, '35-bob-secret-balance');

  await popup.getByTestId('go-secret-history').click();
  await popup.getByTestId('screen-secret-history').waitFor();
  const received = popup.locator('[data-testid=activity][data-kind=Transfer][data-direction=In]');
  await received.waitFor();
  await expect(received.getByTestId('activity-title').textContent()).resolves.toBe('Received');
  await expect(received.getByTestId('activity-amount').textContent()).resolves.toBe('+30 PHA');
  await expect(received.getByTestId('activity-party').textContent()).resolves.toMatch(/^from Alice \(5Grwva…/);
  await expect(received.getByTestId('activity-status').textContent()).resolves.toMatch(/^Applied in block #\d+$/);
  await screenshot(popup, '36-bob-history');
});

test('Bob converts 10 back to public: his public balance grows by exactly 10, less the fee he paid', async () => {
  const { api } = system;
  const before = await freeBalance(api, BOB);
  const fromBlock = (await api.rpc.chain.getHeader()).number.toNumber() + 1;
  await home(popup);
  await chooseAccount(popup, BOB);
  await popup.getByTestId('go-to-public').click();
  await popup.getByTestId('screen-secret-to-public').waitFor();
  await expect(popup.getByTestId('secret-available').textContent()).resolves.toBe('Secret balance: 30 PHA');
  await popup.getByTestId('secret-amount-input').fill('10');
  await screenshot(popup, '37-convert-to-public');
  await submitAndApply(popup, '38-convert-to-public-applied');

  // The worker relays the signed receipt; the chain pays Bob from custody.
  const events = await until(async () => {
    const ev = await eventsSince(api, fromBlock);
    return ev.some((e) => e.name === 'phalaModule.TransferToChain') && ev;
  }, { what: 'the payout event', intervalMs: 200 });
  const payout = events.find((e) => e.name === 'phalaModule.TransferToChain')!;
  expect(BigInt(payout.data[1] as string | number)).toBe(10n * PHA);
  const fees = events.filter((e) => e.name === 'transactionPayment.TransactionFeePaid' && e.data[0] === BOB)
    .reduce((sum, e) => sum + BigInt(e.data[1] as string | number), 0n);
  expect(await freeBalance(api, BOB)).toBe(before + 10n * PHA - fees);

  await home(popup);
  await chooseAccount(popup, BOB);
  await expectSecretBalance(popup, 'PHA', '20');
});

test('Alice issues GOLD: the new asset id is shown, and GOLD is in the asset list and her balances', async () => {
  await home(popup);
  await chooseAccount(popup, ALICE);
  await fillGoldIssue(popup);
  await screenshot(popup, '39-issue-token');
  await submitAndApply(popup, '40-issue-token-applied');
  await expect(popup.getByTestId('issued-asset').textContent()).resolves.toMatch(/^GOLD is secret asset #1\./);

  await home(popup);
  await expectSecretBalance(popup, 'GOLD', '1,000');
  await expectSecretBalance(popup, 'PHA', '70');
  await screenshot(popup, '41-secret-home-with-token');

  await popup.getByTestId('go-secret-transfer').click();
  await popup.getByTestId('screen-secret-transfer').waitFor();
  await popup.getByTestId('secret-available').waitFor();
  const options = await until(async () => {
    const o = await popup.getByTestId('secret-asset').locator('option').allTextContents();
    return o.length === 2 && o;
  }, { what: 'two asset options', intervalMs: 200 });
  expect(options).toEqual(['PHA — Secret PHA (70 available)', 'GOLD — Gold (1,000 available)']);

  await popup.goto(popup.url().replace(/#.*$/, `#/secret/history/${ALICE}`));
  await popup.getByTestId('screen-secret-history').waitFor();
  const titles = await until(async () => {
    const t = await popup.getByTestId('activity-title').allTextContents();
    return t.length === 3 && t;
  }, { what: 'three activity entries', intervalMs: 200 });
  expect(titles).toEqual(['Issued GOLD (asset #1)', 'Sent', 'Converted to secret']);
  await screenshot(popup, '42-alice-history');
});

test('hide zero balances', async () => {
  await home(popup);
  await chooseAccount(popup, BOB);
  await expectSecretBalance(popup, 'GOLD', '0');
  await popup.getByTestId('hide-zero').check();
  await expect(popup.locator('[data-testid=secret-balance][data-symbol=GOLD]').count()).resolves.toBe(0);
  await expectSecretBalance(popup, 'PHA', '20');
  await popup.getByTestId('hide-zero').uncheck();
});

test('an operation waiting for the worker survives a closed popup and a restarted service worker', async () => {
  await home(popup);
  await chooseAccount(popup, BOB);
  await popup.getByTestId('go-to-secret').click();
  await popup.getByTestId('screen-secret-to-secret').waitFor();
  await popup.getByTestId('public-available').waitFor();
  await popup.getByTestId('secret-amount-input').fill('1');
  system.worker.proc.kill('SIGSTOP'); // the worker falls behind: the chain includes the deposit, nobody applies it yet
  try {
    await popup.getByTestId('secret-submit').click();
    await popup.locator('[data-testid=op-progress][data-status=included]').waitFor();
    await expect(popup.getByTestId('op-status').textContent()).resolves.toMatch(/^Included in block #\d+: waiting for the confidential contract…$/);
    await screenshot(popup, '44-operation-included');
    await popup.close();

    const blank = await wallet.ctx.newPage();
    await stopServiceWorker(wallet.ctx, blank);
    await blank.close();

    popup = await wallet.openPopup(`secret/history/${BOB}`);
    const waiting = popup.locator('[data-testid=activity][data-kind=Deposit][data-status=included]');
    await waiting.waitFor();
    await expect(waiting.getByTestId('activity-amount').textContent()).resolves.toBe('+1 PHA');
    await screenshot(popup, '45-history-included-after-restart');
  } finally {
    system.worker.proc.kill('SIGCONT');
  }
  // The restarted service worker follows it to the worker's verdict.
  const applied = popup.locator('[data-testid=activity][data-kind=Deposit]').first();
  await until(async () => (await applied.getAttribute('data-status')) === 'applied', { what: 'the operation applied', timeoutMs: 40_000, intervalMs: 200 });
  await home(popup);
  await chooseAccount(popup, BOB);
  await expectSecretBalance(popup, 'PHA', '21');
});

test('an unreachable worker is shown as an error state, with what to do', async () => {
  await useEndpoints(popup, system.chain.url, `http://127.0.0.1:${await freePort()}`);
  await popup.goto(popup.url().replace(/#.*$/, '#/home'));
  const status = popup.locator('[data-testid=worker-status][data-state=unreachable]');
  await status.waitFor();
  await expect(status.getByTestId('worker-error').textContent()).resolves.toMatch(/^The confidential worker at http:\/\/127\.0\.0\.1:\d+ is not reachable\. Check that it is running, or change the worker endpoint in Settings\.$/);
  await expect(popup.getByTestId('go-secret-transfer').isDisabled()).resolves.toBe(true);
  await screenshot(popup, '43-worker-unreachable');
  await useEndpoints(popup, system.chain.url, system.worker.url);
  await home(popup);
});

test('an untrusted contract key, and a worker that serves another key, are refused with a sentence', async () => {
  // A chain on which no worker registered an attested key.
  const bare = tempDirSync('bare-chain');
  const chain = await startChainProcess(bare.path);
  try {
    await useEndpoints(popup, chain.url, system.worker.url);
    await popup.goto(popup.url().replace(/#.*$/, '#/home'));
    const status = popup.locator('[data-testid=worker-status][data-state=untrusted]');
    await status.waitFor({ timeout: 20_000 });
    await expect(status.getByTestId('worker-error').textContent()).resolves.toBe(
      "Dark Wallet does not trust the confidential worker's key (no worker is registered for contract 1), so it sends nothing to it: secret assets stay unavailable until an attested worker is registered on this chain.",
    );
    await expect(popup.getByTestId('go-to-secret').isDisabled()).resolves.toBe(true);
    await screenshot(popup, '46-worker-untrusted');
  } finally {
    await chain.kill();
    bare.remove();
  }

  // The real chain, but a "worker" that answers with a key other than the attested one.
  const impostor = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': String(req.headers.origin ?? '*') });
    res.end(JSON.stringify({ contractId: 1, lastBlock: 1, lastBlockHash: null, contractPub: `0x${'11'.repeat(32)}`, identityPub: `0x${'22'.repeat(32)}` }));
  });
  await new Promise<void>((r) => impostor.listen(0, '127.0.0.1', r));
  try {
    await useEndpoints(popup, system.chain.url, `http://127.0.0.1:${(impostor.address() as AddressInfo).port}`);
    await popup.goto(popup.url().replace(/#.*$/, '#/home'));
    const status = popup.locator('[data-testid=worker-status][data-state=untrusted]');
    await status.waitFor();
    await expect(status.getByTestId('worker-error').textContent()).resolves.toMatch(/does not hold the contract key attested on this chain, so Dark Wallet will not use it/);
  } finally {
    impostor.closeAllConnections(); // the popup keeps polling it over keep-alive connections
    await new Promise((r) => impostor.close(r));
  }
  await useEndpoints(popup, system.chain.url, system.worker.url);
  await home(popup);
});

test('with no worker pinned the popup uses both attested workers from chain, and keeps working after one is killed', async () => {
  await useEndpoints(popup, system.chain.url, ''); // empty: the contract's workers on chain
  await home(popup);
  // The workers the chain names, and whether their checkpoints (recorded on chain by now) agree.
  await expect(popup.getByTestId('worker-count').textContent()).resolves.toMatch(/^2 workers, attested · checkpoints agree \(block #\d+\)$/);
  await chooseAccount(popup, BOB);
  const amount = popup.locator('[data-testid=secret-balance][data-symbol="PHA"] [data-testid=secret-amount]');
  await amount.waitFor();
  const before = Number(await amount.textContent());
  await screenshot(popup, '47-two-workers');

  await system.workers[1].kill('SIGKILL');
  await home(popup); // the status check, routed to the killed worker or not, answers from the other
  const endpoint = popup.getByTestId('worker-endpoint');
  await until(async () => (await endpoint.textContent())?.includes(system.workers[0].url), { what: 'the status answered by the live worker', timeoutMs: 20_000, intervalMs: 200 });
  await chooseAccount(popup, BOB);
  await expectSecretBalance(popup, 'PHA', String(before));
  await fillSecretTransfer(popup, 'Alice', '1');
  await submitAndApply(popup, '48-sent-after-failover');
  await home(popup);
  await chooseAccount(popup, BOB);
  await expectSecretBalance(popup, 'PHA', String(before - 1));
  await useEndpoints(popup, system.chain.url, system.worker.url);
  await home(popup);
});
