/**
 * Launching Debian's Chromium with the built extension (TOOLCHAIN.md "Browser tests"), and the
 * popup as a tab.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { until } from '../../helpers/until';

export const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');

function chromiumPath(): string {
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim() || '/usr/bin/chromium';
  } catch {
    return '/usr/bin/chromium';
  }
}

export interface Wallet {
  ctx: BrowserContext;
  profile: string;
  extensionId: string;
  popupUrl: string;
  worker(): Promise<Worker>;
  /** Opens `popup.html#/${hash}` in a new tab and waits for the app to render. */
  openPopup(hash?: string): Promise<Page>;
  close(): Promise<void>;
}

/** Every temp dir made here (builds, browser profiles), for the suite's afterAll to remove. */
const made: string[] = [];

export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `dark-wallet-${prefix}-`));
  made.push(dir);
  return dir;
}

/** Removes every temp dir `tempDir` made in this test file; call it last in afterAll, once the browser is closed. */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

export async function launchWallet(extensionDir: string, profile?: string): Promise<Wallet> {
  const dir = profile ?? (await tempDir('profile'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath(),
    headless: true,
    viewport: { width: 400, height: 720 },
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync', '--disable-background-networking',
      '--disable-component-update', '--disable-quic',
    ],
  });
  const worker = async () => ctx.serviceWorkers()[0] ?? ctx.waitForEvent('serviceworker');
  const extensionId = new URL((await worker()).url()).host;
  const popupUrl = `chrome-extension://${extensionId}/popup.html`;
  return {
    ctx,
    profile: dir,
    extensionId,
    popupUrl,
    worker,
    async openPopup(hash = '') {
      const page = await ctx.newPage();
      await page.goto(`${popupUrl}#/${hash}`);
      await page.locator('main.screen').first().waitFor();
      return page;
    },
    close: () => ctx.close(),
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * The approval window the extension opened for a request of `kind` (`popup.html#/${kind}/…`),
 * once it has rendered. Polls, because a new window's URL is only known after it starts loading (often:
 * the page list is in-process, no round trip).
 */
export async function approvalWindow(ctx: BrowserContext, kind: string, timeout = 15_000): Promise<Page> {
  const page = await until(() => ctx.pages().find((p) => p.url().includes(`popup.html#/${kind}/`)), { what: `a ${kind} approval window`, timeoutMs: timeout });
  await page.locator('main.screen').first().waitFor();
  return page;
}

/**
 * Stops the extension's service worker as Chrome does when it idles (through DevTools, from `page`),
 * and resolves once it has stopped: what it held in memory is gone, storage is not.
 */
export async function stopServiceWorker(ctx: BrowserContext, page: Page): Promise<void> {
  const cdp = await ctx.newCDPSession(page);
  const stopped = new Promise<void>((resolve) => {
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      if (versions.some((v) => v.runningStatus === 'stopped')) resolve();
    });
  });
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await stopped;
  await cdp.detach();
}
