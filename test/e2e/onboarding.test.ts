/**
 * Real Chromium with the built extension: onboarding with a confirmed recovery phrase, unlock after a
 * browser restart (same profile), suri import, JSON export / re-import, and the settings screens.
 */
import { Keyring } from '@polkadot/keyring';
import { base64Decode, cryptoWaitReady } from '@polkadot/util-crypto';
import type { Page } from 'playwright-core';
import { launchWallet, screenshot, removeTempDirs, tempDir, type Wallet } from './helpers/browser';
import { builtExtension } from './helpers/extension-build';
import { PASSWORD, accountNames, importSuri, unlock } from './helpers/popup';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';

let extension: string;
let profile: string;
let wallet: Wallet | null = null;

beforeAll(async () => {
  await cryptoWaitReady();
  extension = (await builtExtension()).chromium;
  profile = await tempDir('profile');
}, 120_000);

afterAll(async () => {
  await wallet?.close();
  await removeTempDirs();
});

async function home(): Promise<Page> {
  const page = await wallet!.openPopup();
  await page.getByTestId('screen-home').waitFor();
  return page;
}

test('create an account with a confirmed recovery phrase; after a browser restart only the right password unlocks', async () => {
  wallet = await launchWallet(extension, profile);
  let page = await wallet.openPopup();
  await page.getByTestId('screen-welcome').waitFor();
  await screenshot(page, '01-welcome');

  await page.getByTestId('go-create').click();
  await page.getByTestId('word-12').waitFor();
  const words = (await page.getByTestId('mnemonic').locator('li').allTextContents()).map((t) => t.replace(/^\d+/, ''));
  expect(words).toHaveLength(12);
  await screenshot(page, '02-create-phrase');
  await expect(page.getByTestId('phrase-next').isDisabled()).resolves.toBe(true);
  await page.getByTestId('saved-phrase').check();
  await page.getByTestId('phrase-next').click();

  await page.getByTestId('screen-create-confirm').waitFor();
  const labels = await page.locator('label.field > span').allTextContents();
  const positions = labels.map((l) => Number(l.replace('Word #', '')) - 1);
  expect(positions).toHaveLength(3);
  for (let i = 0; i < 3; i++) await page.getByTestId(`confirm-word-${i}`).fill(i === 0 ? 'wrongword' : words[positions[i]]);
  await page.getByTestId('confirm-next').click();
  await expect(page.getByTestId('error').textContent()).resolves.toMatch(/do not match your recovery phrase/);
  await screenshot(page, '03-create-confirm');
  await page.getByTestId('confirm-word-0').fill(words[positions[0]]);
  await page.getByTestId('confirm-next').click();

  await page.getByTestId('screen-create-details').waitFor();
  await page.getByTestId('account-name-input').fill('Main');
  await page.getByTestId('password').fill(PASSWORD);
  await page.getByTestId('password-repeat').fill(PASSWORD);
  await screenshot(page, '04-create-details');
  await page.getByTestId('create-submit').click();
  await page.getByTestId('screen-home').waitFor();
  expect(await accountNames(page)).toEqual(['Main']);
  await screenshot(page, '05-home');

  // Browser restart: session storage is gone, the vault stays.
  await wallet.close();
  wallet = await launchWallet(extension, profile);
  page = await wallet.openPopup();
  await page.getByTestId('screen-unlock').waitFor();
  await unlock(page, 'not my password');
  await expect(page.getByTestId('error').textContent()).resolves.toBe('Wrong password. Try again.');
  await page.getByTestId('screen-unlock').waitFor();
  await screenshot(page, '06-unlock-wrong-password');
  await unlock(page);
  await page.getByTestId('screen-home').waitFor();
  expect(await accountNames(page)).toEqual(['Main']);
});

test('import //Alice by suri, export her JSON v3 backup, forget her and restore the backup', async () => {
  const page = await home();
  await page.goto(page.url().replace(/#.*$/, '#/import-seed'));
  await page.getByTestId('suri').fill('//Alice');
  await expect(page.getByTestId('suri-address').textContent()).resolves.toContain(ALICE);
  await screenshot(page, '07-import-seed');
  await importSuri(page, '//Alice', 'Alice', false);
  expect(await accountNames(page)).toEqual(['Main', 'Alice']);

  await page.getByTestId('account').filter({ hasText: 'Alice' }).getByTestId('account-details').click();
  await page.getByTestId('screen-account').waitFor();
  await expect(page.getByTestId('full-address').textContent()).resolves.toBe(ALICE);
  await page.getByTestId('export-password').fill('wrong password');
  await page.getByTestId('export-submit').click();
  await expect(page.getByTestId('error').textContent()).resolves.toBe('Wrong password. Try again.');
  await screenshot(page, '08-account');
  await page.getByTestId('export-password').fill(PASSWORD);
  await page.getByTestId('export-submit').click();
  const json = await page.getByTestId('export-json').inputValue();
  await screenshot(page, '09-export');

  const parsed = JSON.parse(json);
  expect(parsed.address).toBe(ALICE);
  expect(parsed.encoding).toEqual({ content: ['pkcs8', 'sr25519'], type: ['scrypt', 'xsalsa20-poly1305'], version: '3' });
  const encoded = base64Decode(parsed.encoded);
  const params = new DataView(encoded.buffer, encoded.byteOffset + 32, 12);
  expect([params.getUint32(0, true), params.getUint32(4, true), params.getUint32(8, true)]).toEqual([1 << 17, 1, 8]); // N = 2^17, what current polkadot-js writes
  const pair = new Keyring({ type: 'sr25519' }).addFromJson(parsed);
  pair.decodePkcs8(PASSWORD); // polkadot-js opens our backup
  expect(pair.isLocked).toBe(false);

  await page.getByTestId('forget').click();
  await page.getByTestId('forget-confirm').click();
  await page.getByTestId('screen-home').waitFor();
  expect(await accountNames(page)).toEqual(['Main']);

  await page.goto(page.url().replace(/#.*$/, '#/import-json'));
  await page.getByTestId('json-text').fill(json);
  await page.getByTestId('json-password').fill(PASSWORD);
  await page.getByTestId('password').fill(PASSWORD);
  await screenshot(page, '10-import-json');
  await page.getByTestId('import-json-submit').click();
  await page.getByTestId('screen-home').waitFor();
  expect(await accountNames(page)).toEqual(['Main', 'Alice']);
  await expect(page.getByTestId('account').filter({ hasText: 'Alice' }).getByTestId('account-address').getAttribute('title')).resolves.toBe(ALICE);
});

test('settings are validated and saved; the sites and send screens render', async () => {
  const page = await home();
  await page.getByTestId('go-settings').click();
  await page.getByTestId('screen-settings').waitFor();
  await page.getByTestId('chain-endpoint').fill('http://not-a-websocket');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('error').textContent()).resolves.toMatch(/ws:\/\/ or wss:\/\//);
  await page.getByTestId('chain-endpoint').fill('ws://127.0.0.1:9944');
  await page.getByTestId('auto-lock').selectOption('30');
  await page.getByTestId('settings-save').click();
  await page.getByTestId('settings-saved').waitFor();
  await screenshot(page, '11-settings');
  await page.reload();
  await expect(page.getByTestId('auto-lock').inputValue()).resolves.toBe('30');

  await page.goto(page.url().replace(/#.*$/, '#/sites'));
  await page.getByTestId('no-sites').waitFor();
  await screenshot(page, '12-sites-empty');

  await page.goto(page.url().replace(/#.*$/, `#/send/${ALICE}`));
  await page.getByTestId('screen-send').waitFor();
  await page.getByTestId('send-to').fill('not an address');
  await page.getByTestId('send-amount').fill('1');
  await screenshot(page, '13-send');
});
