/**
 * Firefox ESR with the built `dist/firefox`, driven over WebDriver BiDi (helpers/firefox.ts; Playwright
 * cannot drive stock Firefox): the add-on installs, the MAIN-world provider is on the page before the
 * page's own scripts, unconnected sites get the same typed errors as in Chromium, enable() on an empty
 * wallet opens the approval window on onboarding, and a dApp connects and gets a verifiable signature
 * after an import done in that window. No uncaught error of the extension's scripts may be logged.
 *
 * BiDi refuses to navigate to moz-extension:// (without --remote-allow-system-access, which we do not
 * grant), so the popup is tested in the windows the extension opens itself; the profile pins the
 * add-on's internal UUID so those windows are recognised.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringToU8a, u8aWrapBytes } from '@polkadot/util';
import { cryptoWaitReady, signatureVerify } from '@polkadot/util-crypto';
import { removeTempDirs } from './helpers/browser';
import { builtExtension } from './helpers/extension-build';
import { buildDapp, serveDapp, type DappServer } from './helpers/dapp';
import type {} from './helpers/dapp-page';
import { launchFirefox, type Firefox } from './helpers/firefox';
import { PASSWORD } from './helpers/popup';
import { watch, within } from '../helpers/settled';
import { until } from '../helpers/until';

const GECKO_ID = 'dark-wallet@dark-wallet.dev';
const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const UUID = randomUUID();
const POPUP = `moz-extension://${UUID}/popup.html`;
const { version } = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string };

/** Runs first in the page's only script: what a dApp finds before any of its own code has run. */
const PROBE = `window.probe = (() => {
  const p = window.injectedWeb3 && window.injectedWeb3['dark-wallet'];
  return { names: Object.keys(window.injectedWeb3 || {}), version: p && p.version, enable: typeof (p && p.enable) };
})();\n`;

type Provided = { injectedWeb3: Record<string, { enable(name: string): Promise<unknown> }> };
interface LogEntry { level: string; type: string; text: string; source: { context?: string }; stackTrace?: { callFrames: { url: string }[] } }

let firefoxDir: string;
let launching: Promise<Firefox> | undefined;
let ff: Firefox;
let server: DappServer;
let tab: string;
const logged: LogEntry[] = [];

beforeAll(async () => {
  launching = launchFirefox({ prefs: { 'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: UUID }) } });
  launching.catch(() => undefined); // awaited below; afterAll closes it even when the build fails
  const [{ firefox }, js] = await Promise.all([builtExtension(), buildDapp(), cryptoWaitReady()]);
  firefoxDir = firefox;
  server = await serveDapp(PROBE + js);
  ff = await launching;
  ff.on('log.entryAdded', (entry: LogEntry) => logged.push(entry));
  await ff.send('session.subscribe', { events: ['log.entryAdded'] });
  tab = (await ff.send<{ contexts: { context: string }[] }>('browsingContext.getTree')).contexts[0].context;
}, 60_000);

afterAll(async () => {
  await (await launching?.catch(() => undefined))?.close();
  await server?.close();
  await removeTempDirs();
});

/** The window the extension opened for a request of `kind` (`popup.html#/${kind}/…`), once its app rendered `testid`. */
async function approvalWindow(kind: string, testid: string, timeout = 10_000): Promise<string> {
  const deadline = Date.now() + timeout;
  const win = await until(async () => {
    const { contexts } = await ff.send<{ contexts: { context: string; url: string }[] }>('browsingContext.getTree', { maxDepth: 0 });
    return contexts.find((c) => c.url.startsWith(`${POPUP}#/${kind}/`));
  }, { what: `a ${kind} window`, timeoutMs: timeout, intervalMs: 100 });
  await waitFor(win.context, testid, deadline - Date.now());
  return win.context;
}

// The popup's UI, driven in its window through its data-testids (these functions run in the page,
// where the shared `until` is not available: `waitFor` and `approve` poll for a condition, with a deadline).
const waitFor = (context: string, testid: string, ms = 10_000) => ff.call(context, async (id: string, until: number) => {
  while (!document.querySelector(`[data-testid="${id}"]`)) {
    if (Date.now() > until) throw new Error(`[data-testid="${id}"] did not appear; the page shows: ${document.body.innerText.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}, testid, Date.now() + ms);
const fill = (context: string, testid: string, value: string) => ff.call(context, (id: string, v: string) => {
  const input = document.querySelector<HTMLInputElement>(`[data-testid="${id}"]`)!;
  input.value = v;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}, testid, value);
const click = (context: string, testid: string) => ff.call(context, (id: string) => {
  const el = document.querySelector<HTMLElement>(`[data-testid="${id}"]`)!;
  if ((el as HTMLButtonElement).disabled) throw new Error(`[data-testid="${id}"] is disabled`);
  el.click();
}, testid);

/**
 * Approve arms only once its window has been focused for a moment (popup/screens/approvals/arming.ts),
 * as a user's would be: bring the window to the front, wait until the button is armed, then click.
 */
async function approve(context: string): Promise<void> {
  await ff.send('browsingContext.activate', { context });
  await waitFor(context, 'approve');
  await ff.call(context, async (until: number) => {
    while (!document.querySelector('[data-testid="approve"][data-armed="true"]:not([disabled])')) {
      if (Date.now() > until) throw new Error('Approve did not arm: the approval window never had focus');
      await new Promise((r) => setTimeout(r, 50));
    }
  }, Date.now() + 10_000);
  await click(context, 'approve');
}

test('dist/firefox installs as a temporary add-on under its gecko id', async () => {
  expect(await ff.send('webExtension.install', { extensionData: { type: 'path', path: firefoxDir } })).toEqual({ extension: GECKO_ID });
});

test('the MAIN-world provider is on the page before its first script runs', async () => {
  await ff.send('browsingContext.navigate', { context: tab, url: server.origin, wait: 'complete' });
  expect(await ff.call(tab, () => (window as unknown as { probe: unknown }).probe)).toEqual({ names: ['dark-wallet'], version, enable: 'function' });
  expect(await ff.call(tab, () => window.dapp.injectedNames())).toEqual(['dark-wallet']);
});

test('an unconnected site gets the typed errors Chromium gives it, through content script and background', async () => {
  expect(await within(ff.call(tab, () => window.dapp.raw('pub(accounts.list)', {})), 'accounts.list')).toMatchObject({ error: { code: 'NotAuthorized' } });
  expect(await within(ff.call(tab, () => window.dapp.raw('pri(accounts.exportJson)', { address: '', password: 'x' })), 'accounts.exportJson')).toMatchObject({ error: { code: 'InvalidInput' } });
});

test('enable() on an empty wallet waits on the approval window, which shows onboarding; closing it rejects with Cancelled', async () => {
  const enabling = watch(ff.call(tab, () => (window as unknown as Provided).injectedWeb3['dark-wallet'].enable('Firefox dApp').then(
    () => ({ ok: true }),
    (e: Error & { code?: string }) => ({ error: { code: e.code, message: e.message } }),
  )));
  const win = await approvalWindow('authorize', 'screen-welcome');
  // A later message through the same content script and background is answered: the wallet has handled
  // the enable too, and left it waiting for the window.
  expect(await within(ff.call(tab, () => window.dapp.raw('pub(accounts.list)', {})), 'a later accounts.list')).toMatchObject({ error: { code: 'NotAuthorized' } });
  expect(enabling.settled()).toBe(false);
  await ff.send('browsingContext.close', { context: win });
  expect(await within(enabling.promise, 'enable after the window closed')).toEqual({ error: { code: 'Cancelled', message: expect.stringMatching(/cancelled/) } });
});

test('onboarding in the approval window: import //Alice, connect the site with her, and sign bytes that verify', async () => {
  const enabling = watch(ff.call(tab, () => window.dapp.enable('Firefox dApp')));
  let win = await approvalWindow('authorize', 'screen-welcome');
  const authorizeHash = await ff.call(win, () => location.hash);
  await click(win, 'go-import-seed');
  await fill(win, 'suri', '//Alice');
  await waitFor(win, 'suri-address');
  await fill(win, 'account-name-input', 'Alice');
  await fill(win, 'password', PASSWORD);
  await fill(win, 'password-repeat', PASSWORD);
  await click(win, 'import-submit');
  await waitFor(win, 'screen-home', 20_000);
  expect(enabling.settled()).toBe(false);

  await ff.call(win, (hash: string) => { location.hash = hash; }, authorizeHash);
  await waitFor(win, 'screen-authorize');
  expect(await ff.call(win, () => document.querySelector('[data-testid="request-origin"]')!.textContent)).toBe(server.origin);
  await click(win, `pick-${ALICE}`);
  await approve(win);
  expect(await within(enabling.promise, 'enable after approval')).toEqual({ ok: ['dark-wallet'] });
  expect(await within(ff.call(tab, () => window.dapp.accounts()), 'accounts')).toEqual({ ok: [ALICE] });

  const signing = watch(ff.call(tab, (who: string) => window.dapp.signRaw(who, 'Hello from Firefox'), ALICE));
  win = await approvalWindow('signRaw', 'screen-sign-raw');
  expect(await ff.call(win, () => document.querySelector('[data-testid="sign-data"]')!.textContent)).toBe('Hello from Firefox');
  await approve(win);
  const result = await within(signing.promise, 'signRaw after approval');
  if (!('ok' in result)) throw new Error(result.error.message);
  expect(signatureVerify(u8aWrapBytes(stringToU8a('Hello from Firefox')), result.ok.signature, ALICE).isValid).toBe(true);
}, 60_000);

test("no uncaught error of the extension's scripts (page, content, background, popup), no error on the dApp's console", () => {
  const page = logged.filter((e) => e.level === 'error').map((e) => `${e.type}: ${e.text} (${e.stackTrace?.callFrames[0]?.url ?? '?'})`);
  // Errors of the background and popup documents reach only firefox's own output.
  const uncaught = ff.output().split('\n').filter((l) => l.startsWith('JavaScript error:') && /moz-extension:|<anonymous code>/.test(l));
  expect([...page, ...uncaught]).toEqual([]);
});
