/**
 * The log scan, in the browser: a user imports an account from a freshly generated recovery phrase
 * with a password into the real extension, then converts to secret, sends secret PHA to a recipient
 * who never appears on chain, tries a transfer the ledger refuses, types a wrong password after a
 * lock, and converts to public. Every console line of every extension page and of the service
 * worker, and every line the chain and worker processes printed, is then checked for the secret
 * amounts, the recipient, the phrase and its words, the password and the key — none may appear.
 */
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, mnemonicToMiniSecret } from '@polkadot/util-crypto';
import { randomBytes } from 'node:crypto';
import type { ConsoleMessage, Page } from 'playwright-core';
import {
  accountNeedles, amountNeedles, bytesNeedles, mnemonicOutside, scanLines, sourceVocabulary, type Needle,
} from '../helpers/log-scan';
import { launchWallet, removeTempDirs, type Wallet } from './helpers/browser';
import { builtExtension } from './helpers/extension-build';
import { importSuri, unlock } from './helpers/popup';
import { freeBalance, PHA, startSystem, useEndpoints, type System } from './helpers/system';
import { until } from '../helpers/until';

let system: System;
let wallet: Wallet;
const consoleLines: string[] = [];
const record = (where: string) => (m: ConsoleMessage) => consoleLines.push(`${where} [${m.type()}] ${m.text()}`);

beforeAll(async () => {
  await cryptoWaitReady();
  const [{ chromium }, sys] = await Promise.all([builtExtension(), startSystem()]);
  system = sys;
  wallet = await launchWallet(chromium);
  wallet.ctx.on('console', record('page'));
  const watch = (w: Awaited<ReturnType<Wallet['worker']>>) => w.on('console', record('service worker'));
  wallet.ctx.serviceWorkers().forEach(watch);
  wallet.ctx.on('serviceworker', watch);
}, 150_000);

afterAll(async () => {
  await wallet?.close();
  await system?.stop();
  await removeTempDirs();
});

/** Opens a secret form from home, fills it and submits; resolves with the operation's final status. */
async function secretOperation(page: Page, go: string, fields: Record<string, string>): Promise<string> {
  await page.goto(page.url().replace(/#.*$/, '#/home'));
  await page.locator('[data-testid=worker-status][data-state=verified]').waitFor();
  await page.getByTestId(go).click();
  for (const [testid, value] of Object.entries(fields)) await page.getByTestId(testid).fill(value);
  await page.getByTestId('secret-submit').click();
  // A verdict from the ledger, or a refusal before anything was sent.
  const done = page.locator('[data-testid=op-progress][data-status=applied], [data-testid=op-progress][data-status=failed], [data-testid=error]');
  await done.first().waitFor({ timeout: 30_000 });
  return (await done.first().getAttribute('data-status')) ?? 'refused';
}

test('no console line of the extension, and no chain or worker log line, holds a secret of a full browser run', async () => {
  const started = Date.now();
  // What the extension's and the processes' own code (and the polkadot-js layers they log through) may print.
  const vocabulary = sourceVocabulary(['extension', 'shared', 'contract'], ['api', 'rpc-core', 'rpc-provider']);
  const phrase = mnemonicOutside(vocabulary);
  const password = `pw-${randomBytes(9).toString('base64url')}`;
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const recipientPhrase = mnemonicOutside(vocabulary);
  const recipient = keyring.addFromUri(recipientPhrase); // never on chain: only inside ciphertexts
  const dest = keyring.addFromUri(`//DarkWalletConsoleScan${randomBytes(4).toString('hex')}`);
  const secret = {
    transfer: { text: '7.3157', value: 7_315_700_000_000n },
    refused: { text: '93.8271', value: 93_827_100_000_000n },
    withdraw: { text: '3.2109', value: 3_210_900_000_000n },
  };

  const popup = await wallet.openPopup();
  await importSuri(popup, phrase, 'Private', true, password);
  const user = keyring.addFromUri(phrase);
  await useEndpoints(popup, system.chain.url, system.worker.url);
  await new Promise<void>((resolve, reject) => { // public funds for the user: a public transfer, not a secret
    void system.api.tx.balances.transferKeepAlive(user.address, 100n * PHA).signAndSend(system.keys.alice, (r) => {
      if (r.status.isFinalized) resolve();
      if (r.isError) reject(new Error('funding failed'));
    }).catch(reject);
  });

  expect(await secretOperation(popup, 'go-to-secret', { 'secret-amount-input': '40' })).toBe('applied');
  expect(await secretOperation(popup, 'go-secret-transfer', { 'secret-to': recipient.address, 'secret-amount-input': secret.transfer.text })).toBe('applied');
  expect(await secretOperation(popup, 'go-secret-transfer', { 'secret-to': recipient.address, 'secret-amount-input': secret.refused.text }))
    .toMatch(/^(failed|refused)$/);

  await popup.goto(popup.url().replace(/#.*$/, '#/home'));
  await popup.getByTestId('lock').click();
  await popup.getByTestId('screen-unlock').waitFor();
  await unlock(popup, `${password}x`);
  await expect(popup.getByTestId('error').textContent()).resolves.toBe('Wrong password. Try again.');
  await unlock(popup, password);
  await popup.getByTestId('screen-home').waitFor();

  expect(await secretOperation(popup, 'go-to-public', { 'secret-to': dest.address, 'secret-amount-input': secret.withdraw.text })).toBe('applied');
  await until(async () => (await freeBalance(system.api, dest.address)) === secret.withdraw.value, { what: 'the withdraw paid', intervalMs: 200 });

  // The console capture works: a line the service worker prints now is among the lines scanned.
  const probe = `console-capture-probe-${randomBytes(4).toString('hex')}`;
  await (await wallet.worker()).evaluate((p) => console.log(p), probe);
  await until(() => consoleLines.some((l) => l.includes(probe)), { what: 'the console probe', timeoutMs: 5_000 });

  const needles: Needle[] = [
    ...amountNeedles('secret transfer amount', secret.transfer.value, 12),
    ...amountNeedles('amount of the refused transfer', secret.refused.value, 12),
    ...amountNeedles('withdraw amount', secret.withdraw.value, 12),
    ...accountNeedles('secret recipient', recipient),
    { label: 'recovery phrase', text: phrase },
    ...phrase.split(' ').map((w, i) => ({ label: `recovery phrase word ${i + 1}`, text: w, word: true })),
    { label: "recipient's phrase", text: recipientPhrase },
    { label: 'password', text: password, exactCase: true },
    ...bytesNeedles('mini secret of the phrase', mnemonicToMiniSecret(phrase)),
    ...bytesNeedles("the user's sr25519 secret key", user.encodePkcs8().slice(16, 80)),
  ];
  await system.worker.waitFor(/withdraw receipt #\d+ paid/, 30_000); // the worker logs the payout after the chain made it
  const lines = [...consoleLines, ...system.chain.output().split('\n'), ...system.worker.output().split('\n')].filter((l) => l.trim() !== '');
  expect(scanLines(lines, needles)).toEqual([]);
  // eslint-disable-next-line no-console
  console.log(`browser log-scan: ${consoleLines.length} console lines + ${lines.length - consoleLines.length} process log lines checked against ${needles.length} needles; clean; ${Date.now() - started} ms`);
}, 240_000);
