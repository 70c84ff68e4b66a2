/**
 * The everyday wallet in real Chromium with the built extension, against the real dev chain and
 * worker: a polkadot-js "all accounts" batch restores Alice and Bob; the wallet's own batch export
 * opens in @polkadot/keyring; the receive screen's QR code decodes to the address; the secret
 * transfer form checks addresses as they are typed and offers contacts and recent recipients; the
 * asset list searches and shows a token's details; the history filters, exports CSV and charts each
 * asset's balance over time. Screenshots go to test-artifacts/screenshots.
 */
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair$Json } from '@polkadot/keyring/types';
import { stringToU8a, u8aToString } from '@polkadot/util';
import { jsonDecrypt, jsonEncrypt } from '@polkadot/util-crypto';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { decodeQR } from 'qr/decode.js';
import { until } from '../helpers/until';
import { launchWallet, removeTempDirs, screenshot, type Wallet } from './helpers/browser';
import { builtExtension } from './helpers/extension-build';
import { PASSWORD } from './helpers/popup';
import { startSystem, useEndpoints, type System } from './helpers/system';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const DAVE = '5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy';
const PHA = 10n ** 12n;

let system: System;
let wallet: Wallet;
let popup: Page;

beforeAll(async () => {
  const [{ chromium }, sys] = await Promise.all([builtExtension(), startSystem()]);
  system = sys;
  wallet = await launchWallet(chromium);
  popup = await wallet.openPopup();
}, 150_000);

afterAll(async () => {
  await wallet?.close();
  await system?.stop();
  await removeTempDirs();
});

async function go(hash: string, screen: string): Promise<void> {
  await popup.goto(popup.url().replace(/#.*$/, `#/${hash}`));
  await popup.getByTestId(`screen-${screen}`).waitFor();
}

/** Clicks a download link and returns the file's text. */
async function download(testid: string): Promise<string> {
  const [file] = await Promise.all([popup.waitForEvent('download'), popup.getByTestId(testid).click()]);
  return readFile((await file.path())!, 'utf8');
}

/** Waits until the element's text is `expected` (the popup re-renders after the background answers). */
async function textBecomes(testid: string, expected: string, timeoutMs = 30_000): Promise<void> {
  const el = popup.getByTestId(testid);
  await until(async () => (await el.count()) > 0 && (await el.first().textContent()) === expected, { what: `${testid} to read "${expected}"`, timeoutMs, intervalMs: 100 });
}

async function submitAndApply(): Promise<void> {
  await popup.getByTestId('secret-submit').click();
  await popup.locator('[data-testid=op-progress][data-status=applied]').waitFor({ timeout: 30_000 });
}

test('a batch made the way polkadot-js "export all accounts" makes it restores every account into a new wallet', async () => {
  const js = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const accounts: KeyringPair$Json[] = [
    js.addFromUri('//Alice', { name: 'Alice' }).toJson('pjs file password'),
    js.addFromUri('//Bob', { name: 'Bob' }).toJson('pjs file password'),
  ];
  const batch = { ...jsonEncrypt(stringToU8a(JSON.stringify(accounts)), ['batch-pkcs8'], 'pjs file password'), accounts: accounts.map(({ address, meta }) => ({ address, meta })) };
  await go('import-json', 'import-json');
  await popup.getByTestId('json-file').setInputFiles({ name: 'batch_exported_account.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(batch)) });
  await expect(popup.getByTestId('batch-summary').textContent()).resolves.toContain('A backup of 2 accounts: Alice, Bob.');
  await popup.getByTestId('json-password').fill('wrong password');
  await popup.getByTestId('password').fill(PASSWORD);
  await popup.getByTestId('password-repeat').fill(PASSWORD);
  await popup.getByTestId('import-json-submit').click();
  await textBecomes('error', 'Wrong password for this backup file. Enter the password it was exported with.');
  await popup.getByTestId('json-password').fill('pjs file password');
  await screenshot(popup, '74-restore-all-accounts');
  await popup.getByTestId('import-json-submit').click();
  // Five scrypt runs (the file, two accounts, re-sealing both) in the service worker of a busy machine.
  await textBecomes('batch-restored', '2 accounts restored: Alice, Bob.', 120_000);
  await popup.getByTestId('batch-done').click();
  await popup.getByTestId('screen-home').waitFor();
  await expect(popup.getByTestId('account').getByTestId('account-name').allTextContents()).resolves.toEqual(['Alice', 'Bob']);
  await useEndpoints(popup, system.chain.url, system.worker.url);
}, 240_000);

test('"Back up all accounts" writes a batch that @polkadot/keyring opens (jsonDecrypt, then addFromJson of each)', async () => {
  await go('settings', 'settings');
  await popup.getByTestId('go-backup').click();
  await popup.getByTestId('backup-password').fill(PASSWORD);
  await popup.getByTestId('backup-submit').click();
  await popup.getByTestId('backup-ready').waitFor();
  await screenshot(popup, '75-backup-all-accounts');
  const file = JSON.parse(await download('backup-download'));
  expect(file.encoding.content).toEqual(['batch-pkcs8']);
  const keyring = new Keyring({ ss58Format: 42 });
  const pairs = (JSON.parse(u8aToString(jsonDecrypt(file, PASSWORD))) as KeyringPair$Json[]).map((j) => keyring.addFromJson(j));
  for (const p of pairs) p.decodePkcs8(PASSWORD);
  expect(pairs.map((p) => [p.address, p.meta.name])).toEqual([[ALICE, 'Alice'], [BOB, 'Bob']]);
});

test('the receive screen shows the address and a QR code that decodes to it', async () => {
  await go('home', 'home');
  await popup.getByTestId('account').first().getByTestId('account-receive').click();
  await popup.getByTestId('screen-receive').waitFor();
  await expect(popup.getByTestId('receive-address').textContent()).resolves.toBe(ALICE);
  await screenshot(popup, '71-receive-qr');
  // Rasterise the SVG the user sees, in the page, and decode it here with an independent reader.
  const image = await popup.getByTestId('receive-qr').evaluate(async (svg) => {
    const size = 220;
    const img = new Image(size, size);
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = size;
    canvas.height = size;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0, size, size);
    // As one base64 string: Playwright would serialise a plain array number by number, for minutes.
    let binary = '';
    for (const byte of ctx.getImageData(0, 0, size, size).data) binary += String.fromCharCode(byte);
    return { width: size, height: size, rgba: btoa(binary) };
  });
  expect(decodeQR({ width: image.width, height: image.height, data: Buffer.from(image.rgba, 'base64') })).toBe(ALICE);
});

test('the secret transfer form checks the address as it is typed and offers contacts, our accounts and recent recipients', async () => {
  await go('home', 'home');
  await popup.locator('[data-testid=worker-status][data-state=verified]').waitFor({ timeout: 30_000 });
  await popup.getByTestId('go-to-secret').click();
  await popup.getByTestId('secret-amount-input').fill('20');
  await submitAndApply();

  await go(`secret/transfer/${ALICE}`, 'secret-transfer');
  const to = popup.getByTestId('secret-to');
  await to.fill(`${DAVE.slice(0, -1)}${DAVE.endsWith('y') ? 'z' : 'y'}`);
  await popup.locator('[data-testid=address-problem][data-check=badChecksum]').waitFor();
  await to.fill('not an address');
  await popup.locator('[data-testid=address-problem][data-check=notAnAddress]').waitFor();
  await to.fill(DAVE);
  await textBecomes('address-ok', '✓ Valid address');
  await popup.getByTestId('contact-name').fill('Dave');
  await popup.getByTestId('contact-save').click();
  await textBecomes('address-ok', '✓ Dave');
  await expect(popup.getByTestId('recipient-Dave').getAttribute('data-source')).resolves.toBe('contact');
  await expect(popup.getByTestId('recipient-Bob').getAttribute('data-source')).resolves.toBe('account');
  await screenshot(popup, '70-address-book-secret-transfer');

  await popup.getByTestId('recipient-Bob').click();
  await expect(to.inputValue()).resolves.toBe(BOB);
  await popup.getByTestId('secret-amount-input').fill('5');
  await submitAndApply();

  // Bob is now a recent recipient, read from Alice's own secret history (a fresh form, as from home).
  await go('home', 'home');
  await go(`secret/transfer/${ALICE}`, 'secret-transfer');
  await until(async () => (await popup.locator('[data-testid=recipient-Bob][data-source=recent]').count()) === 1, { what: 'Bob as a recent recipient', timeoutMs: 20_000, intervalMs: 200 });
  await go('contacts', 'contacts');
  await popup.getByTestId('contact').first().waitFor(); // the book loads after the screen shows
  await expect(popup.getByTestId('contact').getByTestId('account-name').allTextContents()).resolves.toEqual(['Dave']);
}, 150_000);

test('the asset list searches by symbol, and a token shows its issuer, decimals and your balance — never its supply', async () => {
  await go(`secret/issue/${ALICE}`, 'secret-issue');
  await popup.getByTestId('issue-symbol').fill('GOLD');
  await popup.getByTestId('issue-name').fill('Gold');
  await popup.getByTestId('issue-decimals').fill('2');
  await popup.getByTestId('issue-supply').fill('1000');
  await submitAndApply();

  await go('home', 'home');
  const symbols = () => popup.getByTestId('secret-balance').evaluateAll((els) => els.map((e) => e.getAttribute('data-symbol')));
  await until(async () => (await symbols()).includes('GOLD'), { what: 'GOLD in the asset list', timeoutMs: 20_000, intervalMs: 200 });
  await popup.getByTestId('asset-search').fill('gol');
  await until(async () => JSON.stringify(await symbols()) === '["GOLD"]', { what: 'only GOLD listed', timeoutMs: 5_000, intervalMs: 100 });
  await popup.getByTestId('asset-search').fill('nothing like it');
  await popup.getByTestId('assets-none').waitFor();
  await popup.getByTestId('asset-search').fill('GOLD');
  await popup.locator('[data-testid=secret-balance][data-symbol=GOLD]').click();
  await popup.getByTestId('screen-secret-asset').waitFor();
  await textBecomes('asset-balance', '1,000 GOLD');
  await expect(popup.getByTestId('asset-decimals').textContent()).resolves.toBe('2');
  await expect(popup.getByTestId('asset-issuer').textContent()).resolves.toMatch(/^You \(Alice\), 5Grwva…/);
  await expect(popup.getByTestId('asset-details').textContent()).resolves.not.toMatch(/supply/i);
  await screenshot(popup, '73-asset-details');
}, 120_000);

test('the history filters by asset, kind and status, exports what it shows as CSV, and charts each balance over time', async () => {
  await go(`secret/history/${ALICE}`, 'secret-history');
  const kinds = () => popup.getByTestId('activity').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-kind')}/${e.getAttribute('data-status')}`));
  await until(async () => (await kinds()).length === 3, { what: 'three history entries', timeoutMs: 20_000, intervalMs: 200 });
  expect((await kinds()).sort()).toEqual(['Deposit/applied', 'Issue/applied', 'Transfer/applied']);

  // The PHA chart: 0 before the conversion, 20 after it, 15 after the transfer to Bob.
  const pha = popup.locator('[data-testid=balance-chart][data-asset="0"]');
  const points = (await pha.getAttribute('data-points'))!.split(' ').map((p) => BigInt(p.split(':')[1]) / PHA);
  expect(points).toEqual([0n, 20n, 15n]);
  await popup.locator('[data-testid=balance-chart][data-asset="1"]').waitFor();

  await popup.getByTestId('filter-asset').selectOption({ label: 'PHA' });
  await until(async () => (await kinds()).length === 2, { what: 'the PHA entries only', timeoutMs: 5_000, intervalMs: 100 });
  await expect(popup.getByTestId('balance-chart').count()).resolves.toBe(1);
  await popup.getByTestId('filter-kind').selectOption('Transfer');
  await until(async () => JSON.stringify(await kinds()) === '["Transfer/applied"]', { what: 'the transfer only', timeoutMs: 5_000, intervalMs: 100 });
  await screenshot(popup, '72-history-filters-chart');

  const csv = (await download('history-csv')).trim().split('\r\n');
  expect(csv).toHaveLength(2);
  expect(csv[1]).toMatch(new RegExp(`^\\d+,applied,Transfer,Out,0,PHA,5,-5,${BOB},Bob,,0x[0-9a-f]+$`));

  await popup.getByTestId('filter-status').selectOption('failed');
  await popup.getByTestId('history-none-match').waitFor();
});
