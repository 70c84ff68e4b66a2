/**
 * The contract pin in real Chromium against the real chain and worker. The extension talks to the
 * chain through a hostile endpoint (helpers/lying-rpc.ts) that answers honestly while the key is
 * pinned on first use, then names the attacker's key with a consistent, validly signed forgery: the
 * popup shows the blocking changed-key warning and nothing is sealed or submitted. Then governance
 * removes the worker's measurement (sudo `phalaModule.removeMeasurement`): the very next secret
 * operation is refused, and the warning says why.
 */
import type { Page } from 'playwright-core';
import { submitAndWatch } from '../../shared/client/submit';
import { DEV_MEASUREMENT } from '../../shared/protocol/attestation';
import { toHex } from '../../shared/types';
import { launchWallet, screenshot, type Wallet } from './helpers/browser';
import { builtExtension } from './helpers/extension-build';
import { startLyingRpc, type LyingRpc } from './helpers/lying-rpc';
import { importSuri } from './helpers/popup';
import { PHA, eventsSince, startSystem, useEndpoints, type System } from './helpers/system';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';

let system: System;
let rpc: LyingRpc;
let wallet: Wallet;
let popup: Page;

beforeAll(async () => {
  const [{ chromium }, sys] = await Promise.all([builtExtension(), startSystem()]);
  system = sys;
  rpc = await startLyingRpc(system.chain.url, system.api);
  wallet = await launchWallet(chromium);
  popup = await wallet.openPopup();
  await importSuri(popup, '//Alice', 'Alice', true);
  await useEndpoints(popup, rpc.url, system.worker.url);
}, 150_000);

afterAll(async () => {
  await wallet?.close();
  await rpc?.close();
  await system?.stop();
});

async function home(): Promise<void> {
  await popup.goto(popup.url().replace(/#.*$/, '#/home'));
  await popup.getByTestId('screen-home').waitFor();
}

/** Opens "Convert to secret" directly (the home screen hides it while blocked) and submits 1 PHA. */
async function tryConvertToSecret(): Promise<string> {
  await popup.goto(popup.url().replace(/#.*$/, `#/secret/to-secret/${ALICE}`));
  await popup.getByTestId('screen-secret-to-secret').waitFor();
  await popup.getByTestId('secret-amount-input').fill('1');
  await popup.getByTestId('secret-submit').click();
  return (await popup.getByTestId('error').textContent()) ?? '';
}

const sealedOrSubmitted = async (fromBlock: number) =>
  (await eventsSince(system.api, fromBlock)).filter((e) => e.name === 'phalaModule.CommandPushed' || e.name === 'phalaModule.TransferToTee');

test('the first use pins the attested key; a lying endpoint naming another key gets a blocking warning and nothing sealed', async () => {
  await home();
  await popup.locator('[data-testid=worker-status][data-state=verified]').waitFor({ timeout: 30_000 });
  const fromBlock = (await system.api.rpc.chain.getHeader()).number.toNumber();

  const attackerKey = rpc.lie();
  // A new block (anyone's public transfer): the extension checks the pin on it, stops, and the open
  // popup shows the warning without being reopened (its own refresh tick is 15 s).
  const { bob, charlie } = system.keys;
  await submitAndWatch(system.api, system.api.tx.balances.transferKeepAlive(charlie.address, PHA), bob);
  const warning = popup.locator('[data-testid=contract-key-warning][data-reason=keyChanged]');
  await warning.waitFor({ timeout: 10_000 });
  await expect(warning.textContent()).resolves.toContain("The secret-asset contract's key has changed");
  const pinnedKey = toHex(system.client.contract.contractPub);
  await expect(popup.getByTestId('pinned-key').textContent()).resolves.toBe(`${pinnedKey.slice(0, 10)}…${pinnedKey.slice(-8)}`);
  await expect(popup.getByTestId('seen-key').textContent()).resolves.toBe(`${attackerKey.slice(0, 10)}…${attackerKey.slice(-8)}`);
  await expect(popup.getByTestId('go-to-secret').count()).resolves.toBe(0);
  await popup.getByTestId('accept-contract-key').waitFor();
  await screenshot(popup, '60-changed-contract-key');

  await expect(tryConvertToSecret()).resolves.toMatch(/not the one Dark Wallet verified/);
  await expect(sealedOrSubmitted(fromBlock)).resolves.toEqual([]);
}, 120_000);

test('a measurement removed by governance refuses the next secret operation within one block, and cannot be accepted', async () => {
  await useEndpoints(popup, system.chain.url, system.worker.url); // the chain itself: the pinned key again
  await home();
    await popup.locator('[data-testid=worker-status][data-state=verified]').waitFor({ timeout: 30_000 });
    const removed = await submitAndWatch(system.api, system.api.tx.sudo.sudo(system.api.tx.phalaModule.removeMeasurement(DEV_MEASUREMENT)), system.keys.alice);
  await expect(tryConvertToSecret()).resolves.toMatch(/no longer allows the code/);
  await expect(sealedOrSubmitted(removed.blockNumber)).resolves.toEqual([]);

  await home();
  await popup.locator('[data-testid=contract-key-warning][data-reason=revoked]').waitFor();
  await expect(popup.getByTestId('accept-contract-key').count()).resolves.toBe(0);
  await screenshot(popup, '61-revoked-measurement');
}, 120_000);
