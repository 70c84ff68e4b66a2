/**
 * Real Chromium with the built extension and a dApp built on @polkadot/extension-dapp: connection
 * approval with chosen accounts, reject (remembered block), unauthorized and revoked origins, signRaw,
 * metadata + signPayload, a locked wallet, and a service worker stopped while a request waits.
 */
import { Metadata, TypeRegistry, expandMetadata } from '@polkadot/types';
import substrateMetadata from '@polkadot/types-support/metadata/static-substrate';
import type { SignerPayloadJSON } from '@polkadot/types/types';
import { u8aWrapBytes } from '@polkadot/util';
import { cryptoWaitReady, signatureVerify } from '@polkadot/util-crypto';
import type { Page } from 'playwright-core';
import { approvalWindow, launchWallet, screenshot, stopServiceWorker, removeTempDirs, type Wallet } from './helpers/browser';
import { builtExtension } from './helpers/extension-build';
import { answeredAfter, buildDapp, serveDapp, type DappServer } from './helpers/dapp';
import type {} from './helpers/dapp-page';
import { accountNames, importSuri, unlock } from './helpers/popup';
import { watch } from '../helpers/settled';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const GENESIS = `0x${'ab'.repeat(32)}` as const;

let wallet: Wallet;
let servers: DappServer[] = [];
let approved: DappServer; // the site we connect
let rejected: DappServer; // the site we block
let stranger: DappServer; // never connected

beforeAll(async () => {
  await cryptoWaitReady();
  const [{ chromium }, js] = await Promise.all([builtExtension(), buildDapp()]);
  servers = await Promise.all([serveDapp(js), serveDapp(js), serveDapp(js)]);
  [approved, rejected, stranger] = servers;
  wallet = await launchWallet(chromium);
  const popup = await wallet.openPopup();
  await importSuri(popup, '//Alice', 'Alice', true);
  await importSuri(popup, '//Bob', 'Bob', false);
  expect(await accountNames(popup)).toEqual(['Alice', 'Bob']);
  await popup.close();
}, 120_000);

afterAll(async () => {
  await wallet?.close();
  await Promise.all(servers.map((s) => s.close()));
  await removeTempDirs();
});

async function openDapp(server: DappServer): Promise<Page> {
  const page = await wallet.ctx.newPage();
  await page.goto(server.origin);
  await page.waitForFunction(() => !!window.dapp);
  return page;
}

/** Connects the approved site with only Bob, through the approval window. */
async function connectWithBob(page: Page, shot?: string): Promise<void> {
  const enabling = page.evaluate(() => window.dapp.enable('Test dApp'));
  const win = await approvalWindow(wallet.ctx, 'authorize');
  await win.getByTestId('screen-authorize').waitFor();
  await expect(win.getByTestId('request-origin').textContent()).resolves.toBe(approved.origin);
  await win.getByTestId(`pick-${BOB}`).check();
  if (shot) await screenshot(win, shot);
  await win.getByTestId('approve').click();
  expect(await enabling).toEqual({ ok: ['dark-wallet'] });
}

/** A real balances.transferKeepAlive payload, as @polkadot/api would send it. */
function transferPayload(address: string): SignerPayloadJSON {
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, substrateMetadata);
  registry.setMetadata(metadata);
  const method = expandMetadata(registry, metadata).tx.balances.transferKeepAlive(ALICE, 5_000_000_000_000n);
  return registry.createType('SignerPayload', {
    address, blockHash: `0x${'11'.repeat(32)}`, blockNumber: 1000, genesisHash: GENESIS,
    era: registry.createType('ExtrinsicEra', { current: 1000, period: 64 }), method: method.toHex(), nonce: 3,
    runtimeVersion: { specVersion: 100, transactionVersion: 1 }, signedExtensions: registry.signedExtensions, tip: 0, version: 4,
  }).toPayload();
}

test('the page sees dark-wallet in injectedWeb3; an approved site sees exactly the chosen accounts', async () => {
  const page = await openDapp(approved);
  expect(await page.evaluate(() => window.dapp.injectedNames())).toContain('dark-wallet');
  await connectWithBob(page, '20-authorize');
  expect(await page.evaluate(() => window.dapp.accounts())).toEqual({ ok: [BOB] });
  await page.close();
});

test('signRaw: the signature verifies against the <Bytes>-wrapped message; unshared accounts cannot sign', async () => {
  const page = await openDapp(approved);
  await page.evaluate(() => window.dapp.enable('Test dApp')); // already approved: no window
  const signing = page.evaluate((who) => window.dapp.signRaw(who, 'Hello from the test dApp'), BOB);
  const win = await approvalWindow(wallet.ctx, 'signRaw');
  await expect(win.getByTestId('sign-data').textContent()).resolves.toBe('Hello from the test dApp');
  await screenshot(win, '21-sign-raw');
  await win.getByTestId('approve').click();
  const result = await signing;
  if (!('ok' in result)) throw new Error(result.error.message);
  expect(signatureVerify(u8aWrapBytes(result.ok.data), result.ok.signature, BOB).isValid).toBe(true);

  const refused = await page.evaluate((who) => window.dapp.signRaw(who, 'not shared'), ALICE);
  expect(refused).toMatchObject({ error: { code: 'NotAuthorized' } });
  await page.close();
});

test('metadata.provide and signPayload: the user sees the decoded call; the signature verifies', async () => {
  const page = await openDapp(approved);
  await page.evaluate(() => window.dapp.enable('Test dApp'));
  const def = {
    chain: 'Substrate Test', genesisHash: GENESIS, icon: 'substrate', ss58Format: 42, specVersion: 100,
    tokenDecimals: 12, tokenSymbol: 'UNIT', types: {}, rawMetadata: substrateMetadata,
  };
  const providing = page.evaluate((d) => window.dapp.provideMetadata(d), def);
  let win = await approvalWindow(wallet.ctx, 'metadata');
  await expect(win.getByTestId('metadata-chain').textContent()).resolves.toBe('Substrate Test');
  await screenshot(win, '22-metadata');
  await win.getByTestId('approve').click();
  expect(await providing).toEqual({ ok: true });
  expect(await page.evaluate(() => window.dapp.knownMetadata())).toEqual({ ok: [{ genesisHash: GENESIS, specVersion: 100 }] });

  const payload = transferPayload(BOB);
  const signing = page.evaluate((p) => window.dapp.signPayload(p), payload);
  win = await approvalWindow(wallet.ctx, 'signPayload');
  await expect(win.getByTestId('call-name').textContent()).resolves.toBe('balances.transferKeepAlive');
  await expect(win.getByTestId('arg-dest').textContent()).resolves.toBe(ALICE);
  await expect(win.getByTestId('arg-value').textContent()).resolves.toBe('5 UNIT');
  await expect(win.getByTestId('chain-name').textContent()).resolves.toBe('Substrate Test');
  await expect(win.getByTestId('nonce').textContent()).resolves.toBe('3');
  await screenshot(win, '23-sign-payload');
  await win.getByTestId('approve').click();
  const result = await signing;
  if (!('ok' in result)) throw new Error(result.error.message);
  const registry = new TypeRegistry();
  registry.setMetadata(new Metadata(registry, substrateMetadata));
  const bytes = registry.createType('ExtrinsicPayload', payload, { version: 4 }).toU8a({ method: true });
  expect(signatureVerify(bytes, result.ok, BOB).isValid).toBe(true);
  await page.close();
});

test('attack: a click on Approve while the window is not focused, or before it armed, is ignored; Approve arms after 500 ms focused', async () => {
  const page = await openDapp(approved);
  await page.evaluate(() => window.dapp.enable('Test dApp'));
  const signing = watch(page.evaluate((who) => window.dapp.signRaw(who, 'timed under your click'), BOB));
  const win = await approvalWindow(wallet.ctx, 'signRaw');
  const approve = win.getByTestId('approve');
  await win.locator('[data-testid=approve][data-armed=true]').waitFor();
  // The window loses focus (the page raised itself, or popped this window under the cursor): disarmed.
  await win.evaluate(() => dispatchEvent(new Event('blur')));
  await win.locator('[data-testid=approve][data-armed=false]').waitFor();
  const box = (await approve.boundingBox())!;
  await win.mouse.click(box.x + box.width / 2, box.y + box.height / 2); // a real, trusted click
  // Nothing re-arms it without focus, so the click certainly met a disarmed button: nothing happened.
  expect(await approve.getAttribute('data-armed')).toBe('false');
  await expect(win.getByTestId('sign-data').textContent()).resolves.toBe('timed under your click');
  await answeredAfter(page);
  expect(signing.settled()).toBe(false);
  // Focus back: it arms again only after the delay, then a click signs.
  const refocusedAt = await win.evaluate(() => { dispatchEvent(new Event('focus')); return performance.now(); });
  await win.locator('[data-testid=approve][data-armed=true]').waitFor();
  expect(await win.evaluate(() => performance.now())).toBeGreaterThanOrEqual(refocusedAt + 500);
  await approve.click();
  const result = await signing.promise;
  if (!('ok' in result)) throw new Error(result.error.message);
  expect(signatureVerify(u8aWrapBytes(result.ok.data), result.ok.signature, BOB).isValid).toBe(true);
  await page.close();
});

test('attack: a click the instant the approval window first renders does nothing; the request still waits for an armed click', async () => {
  const message = 'clicked the instant it opened';
  // Runs in every page of the context but acts only in the approval window showing `message`: the
  // moment the Approve button is first mounted (before any timer could fire) it records the button's
  // state and clicks it, as a page that timed a window under the user's double click would.
  await wallet.ctx.addInitScript((text) => {
    if (!location.href.includes('popup.html#/signRaw/')) return;
    const observer = new MutationObserver(() => {
      const data = document.querySelector('[data-testid=sign-data]');
      const approve = document.querySelector<HTMLButtonElement>('[data-testid=approve]');
      if (!data || !approve || data.textContent !== text) return;
      observer.disconnect();
      (window as unknown as { firstRender: unknown }).firstRender = { armed: approve.dataset.armed, disabled: approve.disabled };
      approve.click();
    });
    observer.observe(document, { childList: true, subtree: true });
  }, message);
  const page = await openDapp(approved);
  await page.evaluate(() => window.dapp.enable('Test dApp'));
  const signing = page.evaluate(([who, text]) => window.dapp.signRaw(who, text), [BOB, message] as const);
  const win = await approvalWindow(wallet.ctx, 'signRaw');
  // The window may be returned before its first render: wait for the recorder, not a fixed moment.
  const firstRender = await win.waitForFunction(() => (window as unknown as { firstRender?: unknown }).firstRender);
  await expect(firstRender.jsonValue()).resolves.toEqual({ armed: 'false', disabled: true });
  // The same window arms later and is still showing the request: the instant click answered nothing.
  await win.locator('[data-testid=approve][data-armed=true]').waitFor();
  await expect(win.getByTestId('sign-data').textContent()).resolves.toBe(message);
  await win.getByTestId('approve').click();
  const result = await signing;
  if (!('ok' in result)) throw new Error(result.error.message);
  expect(signatureVerify(u8aWrapBytes(result.ok.data), result.ok.signature, BOB).isValid).toBe(true);
  await page.close();
});

test('one approval window per site: its requests queue inside and are answered one after another', async () => {
  const page = await openDapp(approved);
  await page.evaluate(() => window.dapp.enable('Test dApp'));
  const first = page.evaluate((who) => window.dapp.signRaw(who, 'first'), BOB);
  const win = await approvalWindow(wallet.ctx, 'signRaw');
  await expect(win.getByTestId('sign-data').textContent()).resolves.toBe('first');
  const second = page.evaluate((who) => window.dapp.signRaw(who, 'second'), BOB);
  await win.getByTestId('site-queue').waitFor();
  await expect(win.getByTestId('site-queue').textContent()).resolves.toBe('1 more request from this site after this one');
  expect(wallet.ctx.pages().filter((p) => p.url().includes('popup.html#/signRaw/'))).toHaveLength(1);
  await win.getByTestId('approve').click();
  expect(await first).toMatchObject({ ok: { data: '0x6669727374' } });
  await win.locator('[data-testid=sign-data]', { hasText: 'second' }).waitFor(); // the same window moved on
  const closing = win.waitForEvent('close'); // the last answer closes it
  await win.getByTestId('approve').click();
  expect(await second).toMatchObject({ ok: { data: '0x7365636f6e64' } });
  await closing;
  await page.close();
});

test('attack: a raw signPayload (no signed extensions, page-chosen method) and a signRaw of a query permit are refused, no window opens', async () => {
  const page = await openDapp(approved);
  await page.evaluate(() => window.dapp.enable('Test dApp'));
  const windowsBefore = wallet.ctx.pages().length;
  const raw = { ...transferPayload(BOB), signedExtensions: [], method: `0x${'de'.repeat(48)}` };
  expect(await page.evaluate((p) => window.dapp.signPayload(p), raw)).toMatchObject({ error: { code: 'InvalidInput' } });
  const unknownChain = { ...transferPayload(BOB), genesisHash: `0x${'cd'.repeat(32)}` as const };
  expect(await page.evaluate((p) => window.dapp.signPayload(p), unknownChain)).toMatchObject({ error: { code: 'InvalidInput' } });
  // The bytes of an OpenSession permit (0xff "dark-wallet" 0x00 …), asked for as hex, bare and <Bytes>-wrapped.
  const permit = `0xff6461726b2d77616c6c65740076322f6f70656e2d73657373696f6e20${'00'.repeat(240)}`;
  for (const data of [permit, `0x3c42797465733e${permit.slice(2)}3c2f42797465733e`]) {
    const refused = await page.evaluate(([who, d]) => window.dapp.signRawHex(who, d), [BOB, data] as const);
    expect(refused).toMatchObject({ error: { code: 'InvalidInput', message: expect.stringMatching(/query-permit format/) } });
  }
  expect(wallet.ctx.pages().length).toBe(windowsBefore);
  await page.close();
});

test('a rejected site gets no accounts, and the block is remembered', async () => {
  const page = await openDapp(rejected);
  const enabling = page.evaluate(() => window.dapp.enable('Pushy dApp'));
  const win = await approvalWindow(wallet.ctx, 'authorize');
  await win.getByTestId('reject').click();
  expect(await enabling).toEqual({ ok: [] }); // extension-dapp drops an extension that refused
  expect(await page.evaluate(() => window.dapp.accounts())).toEqual({ ok: [] });
  // Asking again: refused at once, no new window.
  expect(await page.evaluate(() => window.dapp.raw('pub(authorize.tab)', { origin: 'Pushy dApp' }))).toMatchObject({ error: { code: 'Blocked' } });
  expect(wallet.ctx.pages().filter((p) => p.url().includes('#/authorize/'))).toEqual([]);
  await page.close();
});

test('an origin that was never approved gets no accounts, even bypassing the page script', async () => {
  const page = await openDapp(stranger);
  expect(await page.evaluate(() => window.dapp.raw('pub(accounts.list)', {}))).toMatchObject({ error: { code: 'NotAuthorized' } });
  expect(await page.evaluate((a) => window.dapp.raw('pub(bytes.sign)', { address: a, data: '0x00', type: 'bytes' }), BOB)).toMatchObject({ error: { code: 'NotAuthorized' } });
  expect(await page.evaluate((a) => window.dapp.raw('pri(accounts.exportJson)', { address: a, password: 'x' }), BOB)).toMatchObject({ error: { code: 'InvalidInput' } });
  await page.close();
});

test('a locked wallet signs nothing: the request waits behind the unlock screen', async () => {
  const popup = await wallet.openPopup();
  await popup.getByTestId('lock').click();
  await popup.getByTestId('screen-unlock').waitFor();
  const page = await openDapp(approved);
  await page.evaluate(() => window.dapp.enable('Test dApp'));
  const signing = watch(page.evaluate((who) => window.dapp.signRaw(who, 'while locked'), BOB));
  const win = await approvalWindow(wallet.ctx, 'signRaw');
  await win.getByTestId('unlock-waiting').waitFor();
  await screenshot(win, '24-locked-request');
  await answeredAfter(page);
  expect(signing.settled()).toBe(false);
  await win.close(); // closing the window cancels the request
  expect(await signing.promise).toMatchObject({ error: { code: 'Cancelled' } });
  await unlock(popup);
  await popup.getByTestId('screen-home').waitFor();
  await popup.close();
  await page.close();
});

test('the service worker stops while a signRaw waits: still unlocked, the request is there once, approving still answers the dApp', async () => {
  const page = await openDapp(approved);
  await page.evaluate(() => window.dapp.enable('Test dApp'));
  const signing = page.evaluate((who) => window.dapp.signRaw(who, 'survives a worker restart'), BOB);
  const win = await approvalWindow(wallet.ctx, 'signRaw');
  await win.getByTestId('screen-sign-raw').waitFor();

  await stopServiceWorker(wallet.ctx, win);

  const popup = await wallet.openPopup();
  await popup.getByTestId('screen-home').waitFor(); // not the unlock screen
  await expect(popup.getByTestId('requests-banner').textContent()).resolves.toMatch(/^1 request is waiting/);
  await popup.getByTestId('requests-banner').click();
  await popup.getByTestId('screen-requests').waitFor();
  expect(await popup.getByTestId('request').count()).toBe(1);
  await screenshot(popup, '25-requests');
  await popup.close();

  await expect(win.getByTestId('sign-data').textContent()).resolves.toBe('survives a worker restart');
  const route = new URL(win.url()).hash.slice(2);
  await win.getByTestId('approve').click();
  const result = await signing;
  if (!('ok' in result)) throw new Error(result.error.message);
  expect(signatureVerify(u8aWrapBytes(result.ok.data), result.ok.signature, BOB).isValid).toBe(true);
  await page.close();

  // The answered request is gone for good: its view says so instead of offering to sign again.
  const stale = await wallet.openPopup(route);
  await expect(stale.getByTestId('request-error').textContent()).resolves.toMatch(/already answered/);
  await screenshot(stale, '27-request-gone');
  await stale.close();
});

test('a revoked site loses access; sites show what each may see', async () => {
  const popup = await wallet.openPopup('sites');
  const site = popup.locator(`[data-testid=site][data-origin="${approved.origin}"]`);
  await expect(site.textContent()).resolves.toContain('Bob');
  await expect(popup.locator(`[data-testid=site][data-origin="${rejected.origin}"]`).textContent()).resolves.toContain('blocked');
  await screenshot(popup, '26-sites');
  await site.getByTestId('site-revoke').click();
  await site.waitFor({ state: 'detached' });

  const page = await openDapp(approved);
  expect(await page.evaluate(() => window.dapp.raw('pub(accounts.list)', {}))).toMatchObject({ error: { code: 'NotAuthorized' } });
  await page.close();
  await popup.close();
});
