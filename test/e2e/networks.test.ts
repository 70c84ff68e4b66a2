/**
 * Networks in real Chromium with the built extension, against two real dev chains with different
 * genesis hashes (the second one named "Second Dev", with token DOT and address format 0), each with
 * its own confidential worker: network 2 is added by its endpoint in the popup, which reads its name,
 * token and address format from the chain; switching shows its balance, Alice's address in its format
 * and its worker's trust status; switching back and forth keeps each network's settings.
 * Screenshot: test-artifacts/screenshots/76-network-switch.png.
 */
import { encodeAddress } from '@polkadot/util-crypto';
import type { Page } from 'playwright-core';
import { startChainProcess, startWorkerProcess, tempDir, type ChainProc, type WorkerProc } from '../integration/helpers/processes';
import { until } from '../helpers/until';
import { launchWallet, removeTempDirs, screenshot, type Wallet } from './helpers/browser';
import { builtExtension } from './helpers/extension-build';
import { importSuri } from './helpers/popup';
import { startSystem, useEndpoints, type System } from './helpers/system';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';

let system: System;
let second: { chain: ChainProc; worker: WorkerProc; dir: ReturnType<typeof tempDir> };
let wallet: Wallet;
let popup: Page;
let genesis: { first: string; second: string };

async function startSecond(): Promise<typeof second> {
  const dir = tempDir('e2e-second-network');
  const chain = await startChainProcess(`${dir.path}/chain`, undefined, ['--chain-name', 'Second Dev', '--ss58-format', '0', '--token-symbol', 'DOT']);
  const worker = await startWorkerProcess(chain, `${dir.path}/worker`);
  return { chain, worker, dir };
}

beforeAll(async () => {
  const [{ chromium }, sys, other] = await Promise.all([builtExtension(), startSystem(), startSecond()]);
  system = sys;
  second = other;
  wallet = await launchWallet(chromium);
  popup = await wallet.openPopup();
  await importSuri(popup, '//Alice', 'Alice', true);
  await useEndpoints(popup, system.chain.url, system.worker.url);
}, 180_000);

afterAll(async () => {
  await wallet?.close();
  await Promise.all([system?.stop(), second && (async () => {
    await second.worker.kill();
    await second.chain.kill();
    second.dir.remove();
  })()]);
  await removeTempDirs();
});

async function go(hash: string, screen: string): Promise<void> {
  await popup.goto(popup.url().replace(/#.*$/, `#/${hash}`));
  await popup.getByTestId(`screen-${screen}`).waitFor();
}

async function textOf(testid: string): Promise<string> {
  return (await popup.getByTestId(testid).first().textContent()) ?? '';
}

/** The home screen as it is for `name`: the header chip, Alice's address and balance, the worker verified. */
async function homeShows(name: string, address: string, symbol: string): Promise<void> {
  await go('', 'home');
  await until(async () => (await textOf('go-networks')) === name, { what: `the header to name ${name}` });
  await expect(popup.getByTestId('account-address').getAttribute('title')).resolves.toBe(address);
  const balance = new RegExp(`^[1-9][\\d,.]* ${symbol}$`);
  await until(async () => balance.test(await textOf('balance')), { what: `a ${symbol} balance` });
  await popup.locator('[data-testid=worker-status][data-state=verified]').waitFor({ timeout: 30_000 });
}

async function settingsShow(chain: string, worker: string): Promise<void> {
  await go('settings', 'settings');
  await until(async () => (await popup.getByTestId('chain-endpoint').inputValue()) === chain, { what: `settings for ${chain}` });
  await expect(popup.getByTestId('worker-endpoint').inputValue()).resolves.toBe(worker);
}

async function switchTo(genesisHash: string): Promise<void> {
  await go('networks', 'networks');
  await popup.locator(`[data-testid=network][data-genesis="${genesisHash}"] [data-testid=network-switch]`).click();
  await popup.locator(`[data-testid=network][data-genesis="${genesisHash}"][data-active=true]`).waitFor();
}

test('the endpoint in Settings became the first network, read from its chain', async () => {
  await go('networks', 'networks');
  const card = popup.locator('[data-testid=network][data-active=true]');
  await expect(card.getByTestId('network-name').textContent()).resolves.toBe('Dark Wallet Dev');
  await expect(card.getByTestId('network-token').textContent()).resolves.toBe('PHA · 12 decimals');
  await expect(card.getByTestId('network-ss58').textContent()).resolves.toBe('42');
  genesis = { first: (await card.getAttribute('data-genesis'))!, second: '' };
  expect(genesis.first).toBe(await system.api.genesisHash.toHex());
  await homeShows('Dark Wallet Dev', ALICE, 'PHA');
});

test('a second network is added by its endpoint: the chain says its name, token and address format', async () => {
  await go('networks', 'networks');
  await popup.getByTestId('new-network-endpoint').fill('http://not-a-websocket');
  await popup.getByTestId('new-network-add').click();
  await expect(popup.getByTestId('error').textContent()).resolves.toMatch(/ws:\/\/ or wss:\/\//);
  await popup.getByTestId('new-network-endpoint').fill(second.chain.url);
  await popup.getByTestId('new-network-worker').fill(second.worker.url);
  await popup.getByTestId('new-network-add').click();
  await expect(popup.getByTestId('network-added').textContent()).resolves.toBe('Second Dev (DOT) is in the list.');
  await until(async () => (await popup.getByTestId('network').count()) === 2, { what: 'two networks listed' });
  const card = popup.locator('[data-testid=network][data-active=false]');
  await expect(card.getByTestId('network-name').textContent()).resolves.toBe('Second Dev');
  await expect(card.getByTestId('network-token').textContent()).resolves.toBe('DOT · 12 decimals');
  await expect(card.getByTestId('network-ss58').textContent()).resolves.toBe('0');
  genesis.second = (await card.getAttribute('data-genesis'))!;
  expect(genesis.second).not.toBe(genesis.first);
  // The same chain added again updates its entry instead of listing it twice.
  await popup.getByTestId('new-network-endpoint').fill(second.chain.url);
  await popup.getByTestId('new-network-add').click();
  await popup.getByTestId('network-added').waitFor();
  await expect(popup.getByTestId('network').count()).resolves.toBe(2);
});

test('switching shows the network\'s balance, token, address format and worker; each keeps its settings', async () => {
  await switchTo(genesis.second);
  await go('', 'home');
  await go('networks', 'networks'); // the list afresh
  await popup.locator('[data-testid=network][data-active=true]').waitFor();
  await popup.evaluate(() => window.scrollTo(0, 0)); // the switch button had scrolled it
  await screenshot(popup, '76-network-switch');
  await homeShows('Second Dev', encodeAddress(ALICE, 0), 'DOT');
  await settingsShow(second.chain.url, second.worker.url);
  await expect(popup.getByTestId('settings-network').textContent()).resolves.toBe('Second Dev (DOT)');

  await switchTo(genesis.first);
  await homeShows('Dark Wallet Dev', ALICE, 'PHA');
  await settingsShow(system.chain.url, system.worker.url);

  await switchTo(genesis.second);
  await homeShows('Second Dev', encodeAddress(ALICE, 0), 'DOT');
  await go(`receive/${ALICE}`, 'receive');
  await expect(popup.getByTestId('receive-address').textContent()).resolves.toBe(encodeAddress(ALICE, 0));
});

test('the network in use cannot be removed; another one can', async () => {
  await go('networks', 'networks');
  await expect(popup.locator('[data-testid=network][data-active=true] [data-testid=network-remove]').count()).resolves.toBe(0);
  await popup.locator(`[data-testid=network][data-genesis="${genesis.first}"] [data-testid=network-remove]`).click();
  await until(async () => (await popup.getByTestId('network').count()) === 1, { what: 'one network left' });
  await expect(popup.locator('[data-testid=network][data-active=true] [data-testid=network-name]').textContent()).resolves.toBe('Second Dev');
});
