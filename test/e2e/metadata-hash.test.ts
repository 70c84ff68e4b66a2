/**
 * CheckMetadataHash (RFC-78) in real Chromium with the built extension against the real dev chain and
 * worker. A dApp's public transfer (@polkadot/api, `withSignedTransaction`) opens an approval showing
 * the decoded call and "checked (mode 1)" with the chain's metadata hash — the hash merkleize-metadata
 * computes in Node from what the chain serves; approved, the transaction the wallet signed is what
 * lands, with mode 1. The extension's own public send and convert-to-secret land with mode 1 too. A
 * dApp transfer above the balance is shown as failing and cannot be approved, not even by a forced click.
 */
import type { Page } from 'playwright-core';
import { aliceAndBob, closeAliceAndBob } from './helpers/alice-and-bob';
import { approvalWindow, screenshot, type Wallet } from './helpers/browser';
import { buildDapp, connectedDapp, serveDapp, type DappServer } from './helpers/dapp';
import type {} from './helpers/dapp-page';
import { freeBalance, PHA, type System } from './helpers/system';
import { includedMode, servedMetadataHash } from '../helpers/chain';
import { until } from '../helpers/until';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const CHARLIE = '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y';

let system: System;
let wallet: Wallet;
let popup: Page;
let server: DappServer;
let dapp: Page;

beforeAll(async () => {
  const [setUp, js] = await Promise.all([aliceAndBob(), buildDapp()]);
  ({ system, wallet, popup } = setUp);
  server = await serveDapp(js);
  dapp = await connectedDapp(wallet, server, 'Metadata dApp', ALICE);
}, 150_000);

afterAll(async () => {
  await closeAliceAndBob({ system, wallet, popup }); // first: the browser holds the dApp server's connections open
  await server?.close();
});

/** The newest block's extrinsic signed by `who`, once the chain has one after block `from`. */
async function latestSignedBy(who: string, from: number): Promise<{ blockHash: string; txHash: string }> {
  return until(async () => {
    const head = (await system.api.rpc.chain.getHeader()).number.toNumber();
    for (let n = head; n > from; n--) {
      const blockHash = (await system.api.rpc.chain.getBlockHash(n)).toHex();
      const found = (await system.api.rpc.chain.getBlock(blockHash)).block.extrinsics.find((x) => x.isSigned && x.signer.toString() === who);
      if (found) return { blockHash, txHash: found.hash.toHex() };
    }
    return null;
  }, { what: `a transaction signed by ${who}`, timeoutMs: 30_000, intervalMs: 200 });
}

const head = async () => (await system.api.rpc.chain.getHeader()).number.toNumber();

test('a dApp transfer shows the decoded call and "checked (mode 1)" with the chain\'s hash; what lands is the mode-1 transaction', async () => {
  const expected = await servedMetadataHash(system.api);
  const before = await freeBalance(system.api, CHARLIE);
  const sending = dapp.evaluate(([url, from, to]) => window.dapp.publicTransfer(url, from, to, (3n * 10n ** 12n).toString()), [system.chain.url, ALICE, CHARLIE]);
  const win = await approvalWindow(wallet.ctx, 'signPayload');
  await expect(win.getByTestId('call-name').textContent()).resolves.toBe('balances.transferKeepAlive');
  await expect(win.getByTestId('arg-dest').textContent()).resolves.toBe(CHARLIE);
  await expect(win.getByTestId('arg-value').textContent()).resolves.toBe('3 PHA');
  await expect(win.getByTestId('metadata-hash').textContent()).resolves.toMatch(/^checked \(mode 1\) 0x[0-9a-f]{64}/);
  await expect(win.getByTestId('metadata-hash-value').textContent()).resolves.toBe(expected);
  expect(await win.getByTestId('sign-payload-refusal').count()).toBe(0);
  await win.locator('[data-testid=approve][data-armed=true]').waitFor();
  await screenshot(win, '77-approval-metadata-hash');
  await win.getByTestId('approve').click();

  const result = await sending;
  if (!('ok' in result)) throw new Error(result.error.message);
  expect(await includedMode(system.api, result.ok.blockHash, result.ok.txHash)).toBe(1);
  expect(await freeBalance(system.api, CHARLIE)).toBe(before + 3n * PHA);
});

test('a dApp transfer above the balance is shown as failing and cannot be approved, not even by a forced click', async () => {
  const [before, nonceBefore] = [await freeBalance(system.api, ALICE), (await system.api.rpc.system.accountNextIndex(ALICE)).toNumber()];
  const sending = dapp.evaluate(([url, from, to]) => window.dapp.publicTransfer(url, from, to, (2_000_000n * 10n ** 12n).toString()), [system.chain.url, ALICE, BOB]);
  const win = await approvalWindow(wallet.ctx, 'signPayload');
  await expect(win.getByTestId('arg-value').textContent()).resolves.toBe('2,000,000 PHA');
  await expect(win.getByTestId('sign-payload-refusal').textContent()).resolves
    .toBe('The public balance does not cover this amount plus the network fee and the existential deposit the account must keep, so nothing was sent. Send or convert less. Reject it, or add funds first.');
  await win.locator('[data-testid=approve][data-armed=true]').waitFor();
  expect(await win.getByTestId('approve').isDisabled()).toBe(true);

  // A page script that re-enabled the button still meets the background's own check.
  await win.getByTestId('approve').evaluate((b: HTMLButtonElement) => { b.disabled = false; b.click(); });
  await expect(until(async () => (await win.getByTestId('error').count()) > 0 && win.getByTestId('error').textContent(), { what: 'the refusal' }))
    .resolves.toMatch(/^The public balance does not cover this amount/);
  await win.getByTestId('reject').click();
  expect(await sending).toMatchObject({ error: { message: expect.stringMatching(/[Rr]ejected/) } });
  expect(await freeBalance(system.api, ALICE)).toBe(before);
  expect((await system.api.rpc.system.accountNextIndex(ALICE)).toNumber()).toBe(nonceBefore);
});

test('the extension\'s own public send and convert-to-secret are signed with mode 1', async () => {
  let from = await head();
  await popup.goto(popup.url().replace(/#.*$/, `#/send/${ALICE}`));
  await popup.getByTestId('send-available').waitFor();
  await popup.getByTestId('send-to').fill(BOB);
  await popup.getByTestId('send-amount').fill('1');
  await popup.getByTestId('send-submit').click();
  await popup.getByTestId('send-done').waitFor({ timeout: 60_000 });
  const sent = await latestSignedBy(ALICE, from);
  expect(await includedMode(system.api, sent.blockHash, sent.txHash)).toBe(1);

  from = await head();
  await popup.goto(popup.url().replace(/#.*$/, '#/home'));
  await popup.locator('[data-testid=worker-status][data-state=verified]').waitFor({ timeout: 30_000 });
  await popup.getByTestId('go-to-secret').click();
  await popup.getByTestId('screen-secret-to-secret').waitFor();
  await popup.getByTestId('public-available').waitFor();
  await popup.getByTestId('secret-amount-input').fill('5');
  await popup.getByTestId('secret-submit').click();
  await popup.locator('[data-testid=op-progress][data-status=applied]').waitFor({ timeout: 60_000 });
  const converted = await latestSignedBy(ALICE, from);
  expect(await includedMode(system.api, converted.blockHash, converted.txHash)).toBe(1);
});
