/**
 * A dApp uses `darkWallet` in real Chromium with the built extension, against the real dev chain and
 * worker: balances and history of its account answer without a prompt; a secret transfer opens an
 * approval window showing asset, recipient and amount in plaintext; approved, the dApp's promise
 * resolves with {status: 'applied', block, txHash, blockHash, ref} once the ledger applied it (the
 * transfer has landed: checked with the SDK from Node, and in the popup's history); rejected, nothing is sent. Hostile inputs are refused.
 * An account that never held public PHA sends through the worker's command relayer: the approval
 * shows the relayer's fee, the history the fee entry, and the account never signs on chain.
 */
import { Keyring } from '@polkadot/keyring';
import { accountId, NATIVE_ASSET } from '../../shared/types';
import type { Page } from 'playwright-core';
import { approvalWindow, launchWallet, screenshot, removeTempDirs, type Wallet } from './helpers/browser';
import { builtExtension } from './helpers/extension-build';
import { buildDapp, connectedDapp, serveDapp, type DappServer } from './helpers/dapp';
import type {} from './helpers/dapp-page';
import { importSuri } from './helpers/popup';
import { freeBalance, PHA, startSystem, useEndpoints, type System } from './helpers/system';
import { until } from '../helpers/until';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';

let system: System;
let wallet: Wallet;
let server: DappServer;
let dapp: Page;
let dappJs: string;
/** A second site (another origin) for the relayed transfer; closed with the rest. */
let other: DappServer | undefined;

beforeAll(async () => {
  // The worker's command relayer runs for the relayed transfer below (small batches keep the chain light).
  const [{ chromium }, js, sys] = await Promise.all([builtExtension(), buildDapp(), startSystem({ workerArgs: ['--relay-batch', '2', '--relay-interval', '1000'] })]);
  system = sys;
  dappJs = js;
  server = await serveDapp(js);
  // Alice's secret PHA comes from the SDK directly: this file is about the dApp path.
  const funding = system.client.convertToSecret(system.keys.alice, (100n * PHA) as never).then((s) => system.client.waitFor(system.keys.alice, s));
  wallet = await launchWallet(chromium);
  const popup = await wallet.openPopup();
  await importSuri(popup, '//Alice', 'Alice', true);
  await importSuri(popup, '//Bob', 'Bob', false);
  await useEndpoints(popup, system.chain.url, system.worker.url);
  await popup.close();
  await funding;

  dapp = await connectedDapp(wallet, server, 'Secret dApp', ALICE);
}, 150_000);

afterAll(async () => {
  await wallet?.close();
  await server?.close();
  await other?.close();
  await system?.stop();
  await removeTempDirs();
});

const windows = (kind: string) => wallet.ctx.pages().filter((p) => p.url().includes(`#/${kind}/`));

test('balances and history of the site\'s account answer without a prompt', async () => {
  expect(await dapp.evaluate(() => window.dapp.secret.balances())).toEqual({
    ok: [{ asset: 0, symbol: 'PHA', name: 'Secret PHA', decimals: 12, amount: (100n * PHA).toString() }],
  });
  const history = await dapp.evaluate((a) => window.dapp.secret.history({ address: a }), ALICE);
  expect(history).toMatchObject({ ok: [{ kind: 'Deposit', direction: 'In', status: 'applied', amount: (100n * PHA).toString() }] });
  // Bob was not shared with this site.
  expect(await dapp.evaluate((b) => window.dapp.secret.balances({ address: b }), BOB)).toMatchObject({ error: { code: 'NotAuthorized' } });
  expect(wallet.ctx.pages().filter((p) => p.url().includes('popup.html#/dark'))).toEqual([]);
});

test('an approved secret transfer shows asset, recipient and amount, and resolves once the ledger applied it', async () => {
  const sending = dapp.evaluate(([from, to]) => window.dapp.secret.transfer({ address: from, asset: 0, to, amount: (30n * 10n ** 12n).toString() }), [ALICE, BOB]);
  const win = await approvalWindow(wallet.ctx, 'darkTransfer');
  await win.getByTestId('screen-secret-request').waitFor();
  await expect(win.getByTestId('request-origin').textContent()).resolves.toBe(server.origin);
  await expect(win.getByTestId('intent-asset').textContent()).resolves.toBe('PHA (secret asset #0)');
  await expect(win.getByTestId('intent-amount').textContent()).resolves.toBe('30 PHA');
  await expect(win.getByTestId('intent-recipient-name').textContent()).resolves.toBe('Bob ');
  await expect(win.getByTestId('intent-recipient-address').textContent()).resolves.toBe(BOB);
  await expect(win.getByTestId('request-attestation').textContent()).resolves.toBe('Confidential worker: development attestation — not hardware protected.');
  await expect(win.getByTestId('account-address').getAttribute('title')).resolves.toBe(ALICE);
  await screenshot(win, '50-dapp-secret-transfer-approval');
  await win.getByTestId('approve').click();

  const result = await sending;
  if (!('ok' in result)) throw new Error(result.error.message);
  expect(result.ok).toEqual({
    status: 'applied', block: expect.any(Number),
    txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/), blockHash: expect.stringMatching(/^0x[0-9a-f]{64}$/), ref: expect.stringMatching(/^0x[0-9a-f]{64}$/),
  });
  // Resolved with the ledger's verdict, not at inclusion: the transfer is already in Bob's balance.
  expect(await system.client.balanceOf(system.keys.bob, NATIVE_ASSET)).toBe(30n * PHA);
  // The extrinsic the dApp was told about is in the block it was told about.
  const block = await system.api.rpc.chain.getBlock(result.ok.blockHash);
  expect(block.block.extrinsics.map((x) => x.hash.toHex())).toContain(result.ok.txHash);

  // It lands: Bob's secret balance through the SDK, and the entry in Alice's history with the same ref.
  const history = await until(async () => {
    const h = await dapp.evaluate(() => window.dapp.secret.history());
    return 'ok' in h && h.ok.length === 2 && h;
  }, { what: 'two history entries on the page', intervalMs: 200 });
  expect(history).toMatchObject({ ok: [{ kind: 'Deposit' }, { kind: 'Transfer', direction: 'Out', counterparty: BOB, status: 'applied', ref: result.ok.ref }] });

  // The popup's history follows it to applied and names the site that asked.
  const popup = await wallet.openPopup(`secret/history/${ALICE}`);
  const entry = popup.locator('[data-testid=activity][data-kind=Transfer]');
  await entry.waitFor();
  await until(async () => (await entry.getAttribute('data-status')) === 'applied', { what: 'the entry applied', intervalMs: 200 });
  await expect(entry.textContent()).resolves.toContain(`Requested by ${server.origin}`);
  await screenshot(popup, '51-history-after-dapp-transfer');
  await popup.close();
});

test('a rejected secret transfer answers Rejected and sends nothing', async () => {
  const before = (await system.client.fullHistory(system.keys.alice)).length;
  const sending = dapp.evaluate((to) => window.dapp.secret.transfer({ address: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY', asset: 0, to, amount: '5000000000000' }), BOB);
  const win = await approvalWindow(wallet.ctx, 'darkTransfer');
  await expect(win.getByTestId('intent-amount').textContent()).resolves.toBe('5 PHA');
  await win.getByTestId('reject').click();
  expect(await sending).toMatchObject({ error: { code: 'Rejected' } });
  // The worker has seen every block since, and neither ledger changed.
  await system.client.waitForBlock((await system.api.rpc.chain.getHeader()).number.toNumber());
  expect(await system.client.fullHistory(system.keys.alice)).toHaveLength(before);
  expect(await system.client.balanceOf(system.keys.bob, NATIVE_ASSET)).toBe(30n * PHA);
});

test('a convert-to-secret without an address lets the user choose the account; its ref is the ledger\'s', async () => {
  const converting = dapp.evaluate(() => window.dapp.secret.convertToSecret('2000000000000'));
  const win = await approvalWindow(wallet.ctx, 'darkConvertToSecret');
  await expect(win.getByTestId('secret-request-account').inputValue()).resolves.toBe(ALICE);
  await expect(win.getByTestId('intent-amount').textContent()).resolves.toBe('2 PHA');
  await screenshot(win, '52-dapp-convert-to-secret-approval');
  await win.getByTestId('approve').click();
  const result = await converting;
  if (!('ok' in result)) throw new Error(result.error.message);
  const entry = await until(async () => (await system.client.fullHistory(system.keys.alice)).find((e) => e.ref === result.ok.ref), { what: 'the deposit in the history', intervalMs: 200 });
  expect(entry).toMatchObject({ kind: 'Deposit', amount: 2n * PHA, counterparty: null, outcome: { ok: true } });
  expect(accountId(ALICE)).toBe(accountId(system.keys.alice.publicKey));
});

test('an account that never held public PHA sends a secret transfer through the relayer: the approval shows the fee, the history the fee entry', async () => {
  const fresh = new Keyring({ type: 'sr25519' }).addFromUri('//RelayedNewcomer');
  const FRESH = fresh.address;
  // Its only funds: secret PHA from Alice, by a secret transfer (the SDK, directly from Alice).
  await system.client.waitFor(system.keys.alice, await system.client.transfer(system.keys.alice, { asset: NATIVE_ASSET, dest: accountId(fresh.publicKey), amount: (5n * PHA) as never }), { throwOnFailure: true });
  expect(await freeBalance(system.api, FRESH)).toBe(0n);
  const popup = await wallet.openPopup();
  await importSuri(popup, '//RelayedNewcomer', 'Newcomer', false);
  await useEndpoints(popup, system.chain.url, system.worker.url, system.worker.url); // the network's relayer: the worker's
  await popup.close();
  other = await serveDapp(dappJs, 'localhost'); // another site, shown only the newcomer
  const page = await connectedDapp(wallet, other, 'Relayed dApp', FRESH);
  const sending = page.evaluate(([a, to]) => window.dapp.secret.transfer({ address: a, asset: 0, to, amount: (2n * 10n ** 12n).toString() }), [FRESH, BOB]);
  const win = await approvalWindow(wallet.ctx, 'darkTransfer');
  await expect(win.getByTestId('intent-amount').textContent()).resolves.toBe('2 PHA');
  await expect(win.getByTestId('intent-relay-fee').textContent()).resolves.toBe('0.01 PHA (secret)');
  await expect(win.getByTestId('request-relay').textContent()).resolves.toContain('This account needs no public balance and does not appear on the chain.');
  await expect(win.getByTestId('secret-request-refusal').count()).resolves.toBe(0);
  await screenshot(win, '80-relayed-transfer-approval');
  await win.getByTestId('approve').click();
  const result = await sending;
  if (!('ok' in result)) throw new Error(result.error.message);
  expect(result.ok.status).toBe('applied');

  // The ledger: 2 PHA to Bob and the relayer's fee, both from secret PHA; no public balance appeared.
  const entries = await system.client.fullHistory(fresh);
  expect(entries.filter((e) => e.ref === result.ok.ref).map((e) => [e.kind, e.amount])).toEqual(expect.arrayContaining([['Transfer', 2n * PHA], ['RelayFee', PHA / 100n]]));
  expect(await system.client.balanceOf(fresh, NATIVE_ASSET)).toBe(3n * PHA - PHA / 100n);
  expect(await freeBalance(system.api, FRESH)).toBe(0n);
  // The chain: the newcomer never signed anything (its nonce is still 0); the relayer's batch carried it.
  expect((await system.api.query.system.account(FRESH)).nonce.toNumber()).toBe(0);

  // The popup's history shows the fee entry next to the transfer.
  const history = await wallet.openPopup(`secret/history/${FRESH}`);
  const fee = history.locator('[data-testid=activity][data-kind=RelayFee]');
  await fee.waitFor();
  await history.locator('[data-testid=activity][data-kind=Transfer][data-direction=Out][data-status=applied]').waitFor();
  const lines = await history.locator('[data-testid=activity]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-kind')}.${e.getAttribute('data-direction')}`));
  expect(Math.abs(lines.indexOf('RelayFee.Out') - lines.indexOf('Transfer.Out'))).toBe(1);
  await expect(fee.textContent()).resolves.toContain('0.01');
  await screenshot(history, '81-relayed-transfer-history');
  await history.close();
  await page.close();
}, 180_000);

test('hostile requests are refused before any window opens', async () => {
  const bad: [string, unknown][] = [
    ['pub(dark.transfer)', { asset: 0, to: BOB, amount: '-5' }],
    ['pub(dark.transfer)', { asset: 0, to: BOB, amount: 1e21 }],
    ['pub(dark.transfer)', { asset: 0, to: BOB, amount: (1n << 128n).toString() }],
    ['pub(dark.transfer)', { asset: 0, to: 'not-an-address', amount: '1' }],
    ['pub(dark.transfer)', { asset: 99, to: BOB, amount: '1' }],
    ['pub(dark.issue)', { symbol: 'WAY-TOO-LONG-SYMBOL', name: 'x', decimals: 2, supply: '1' }],
    ['pub(dark.issue)', { symbol: 'OK', name: 'x', decimals: 99, supply: '1' }],
    ['pub(dark.convertToPublic)', { to: BOB, amount: '0' }],
  ];
  for (const [message, request] of bad) {
    const answer = await dapp.evaluate(([m, r]) => window.dapp.raw(m as string, r), [message, request] as const);
    expect([message, answer]).toMatchObject([message, { error: { code: 'InvalidInput' } }]);
  }
  const notShared = await dapp.evaluate((b) => window.dapp.raw('pub(dark.transfer)', { address: b, asset: 0, to: b, amount: '1' }), BOB);
  expect(notShared).toMatchObject({ error: { code: 'NotAuthorized' } });
  expect(windows('darkTransfer')).toEqual([]);
  expect(windows('darkIssue')).toEqual([]);
});
