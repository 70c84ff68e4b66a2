/**
 * The set-up most secret-wallet browser suites share: the real chain and worker, real Chromium with
 * the built extension, //Alice (who sets the wallet password) and //Bob imported, and the wallet
 * pointed at this system's endpoints.
 */
import type { Page } from 'playwright-core';
import { launchWallet, removeTempDirs, type Wallet } from './browser';
import { builtExtension } from './extension-build';
import { importSuri } from './popup';
import { startSystem, useEndpoints, type System } from './system';

export interface AliceAndBob {
  system: System;
  wallet: Wallet;
  popup: Page;
}

/**
 * `workers`: workers of the contract to run (the wallet is pinned to the first, as Settings allow);
 * `workerArgs`: extra arguments of every worker (see `startSystem`).
 */
export async function aliceAndBob(opts: { workers?: number; workerArgs?: string[] } = {}): Promise<AliceAndBob> {
  const [{ chromium }, system] = await Promise.all([builtExtension(), startSystem(opts)]);
  const wallet = await launchWallet(chromium);
  const popup = await wallet.openPopup();
  await importSuri(popup, '//Alice', 'Alice', true);
  await importSuri(popup, '//Bob', 'Bob', false);
  await useEndpoints(popup, system.chain.url, system.worker.url);
  return { system, wallet, popup };
}

/** Closes what `aliceAndBob` started; safe after a set-up that failed halfway. */
export async function closeAliceAndBob(s: Partial<AliceAndBob>): Promise<void> {
  await s.wallet?.close();
  await s.system?.stop();
  await removeTempDirs();
}
