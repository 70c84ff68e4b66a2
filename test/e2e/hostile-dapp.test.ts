/**
 * Hostile pages against the real built extension in real Chromium: forged, duplicate and non-string
 * message ids; forged replies; messages from other frames, origins and windows; oversized, deep,
 * non-JSON and prototype-shaped bodies; floods of signRaw and enable. Every request is refused with a
 * typed error or waits for the user; the popup stays usable; no prototype in the service worker or
 * the popup changes; and a signature exists only after a click on Approve (checked by verifying every
 * signature a page ever received against what the user approved).
 */
import { u8aWrapBytes } from '@polkadot/util';
import { cryptoWaitReady, signatureVerify } from '@polkadot/util-crypto';
import type { Page, Worker } from 'playwright-core';
import { CONTENT_TAG, MAX_MESSAGE_CHARS, MAX_PENDING_PER_ORIGIN, MAX_WAITING_PER_REQUEST, PAGE_TAG } from '../../extension/messages/constants';
import { approvalWindow, launchWallet, removeTempDirs, type Wallet } from './helpers/browser';
import { builtExtension } from './helpers/extension-build';
import { answeredAfter, buildDapp, serveDapp, type DappServer } from './helpers/dapp';
import type {} from './helpers/dapp-page';
import {
  approvalWindows, decide, postToSelf, prototypes, repliesSeen, seen, sessionBytes, spy, waiting, type Waiting,
} from './helpers/hostile';
import { watch, within } from '../helpers/settled';
import { until } from '../helpers/until';
import { importSuri } from './helpers/popup';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const GENESIS = `0x${'ab'.repeat(32)}`;

let wallet: Wallet;
let sw: Worker;
let servers: DappServer[] = [];
let site: DappServer; // connected, Alice shared
let other: DappServer; // never connected: the other origin, the second page, the cross-origin frame
let cleanPrototypes: string;

beforeAll(async () => {
  await cryptoWaitReady();
  const [{ chromium }, js] = await Promise.all([builtExtension(), buildDapp()]);
  servers = await Promise.all([serveDapp(js), serveDapp(js)]);
  [site, other] = servers;
  wallet = await launchWallet(chromium);
  sw = await wallet.worker();
  cleanPrototypes = await prototypes(sw);
  const popup = await wallet.openPopup();
  await importSuri(popup, '//Alice', 'Alice', true);
  await importSuri(popup, '//Bob', 'Bob', false);
  // Nothing listens on port 9: the secret API answers with its "unavailable" errors, never a prompt.
  await popup.goto(`${wallet.popupUrl}#/settings`);
  for (const [field, url] of [['chain-endpoint', 'ws://127.0.0.1:9'], ['worker-endpoint', 'http://127.0.0.1:9']]) await popup.getByTestId(field).fill(url);
  await popup.getByTestId('settings-save').click();
  await popup.getByTestId('settings-saved').waitFor();
  await popup.close();
  const page = await openDapp(site); // connected here, through its approval window, with Alice only
  const enabling = page.evaluate(() => window.dapp.enable('Hostile dApp'));
  const win = await approvalWindow(wallet.ctx, 'authorize');
  await win.getByTestId(`pick-${ALICE}`).check();
  await decide(win, 'approve');
  expect(await enabling).toEqual({ ok: ['dark-wallet'] });
  await page.close();
}, 120_000);

afterAll(async () => {
  await wallet?.close();
  await Promise.all(servers.map((s) => s.close()));
  await removeTempDirs();
});

afterEach(async () => {
  // Whatever a test leaves waiting would skew the next one's counts: closing its tabs ends it.
  for (const p of wallet.ctx.pages().filter((p) => !p.url().startsWith('about:'))) await p.close();
  await until(async () => (await waiting(sw)).length === 0, { what: 'no request waiting' });
});

/** A page of `server` whose wallet traffic is recorded; `enable` for pages that use the dApp API (connected sites only). */
async function openDapp(server: DappServer, enable = false): Promise<Page> {
  const page = await wallet.ctx.newPage();
  await page.goto(server.origin);
  await page.waitForFunction(() => !!window.dapp);
  if (enable) expect(await page.evaluate(() => window.dapp.enable('Hostile dApp'))).toEqual({ ok: ['dark-wallet'] });
  await spy(page);
  return page;
}

/** The approval window of a waiting request, once rendered (a site's later requests queue in its first one's window). */
async function windowOf(request: Waiting): Promise<Page> {
  const win = await until(async () => wallet.ctx.pages().find((p) => p.url().endsWith(`/${request.id}`)), { what: `the window of ${request.id}` });
  await win.locator('main.screen').first().waitFor();
  return win;
}

/** A waiting request shown on its own route in a popup tab (how the popup's request list shows it). */
const tabOf = (request: Waiting): Promise<Page> => wallet.openPopup(`${request.kind}/${request.id}`);

/** Answers a request in a popup tab and waits until it left the queue (a tab does not close). */
async function decideInTab(tab: Page, id: string, button: 'approve' | 'reject'): Promise<void> {
  await tab.getByTestId(button).click();
  await until(async () => !(await waiting(sw)).some((r) => r.id === id), { what: `${id} answered` });
  await tab.close();
}

/** The approval window of the (first) request a page message started: its id is in the request's targets. */
async function windowFor(messageId: string): Promise<Page> {
  return windowOf(await until(async () => (await waiting(sw)).find((r) => r.messageIds.includes(messageId)), { what: `a request for ${messageId}` }));
}

const replyTo = (page: Page, id: unknown) => until(async () => (await seen(page)).replies.find((r) => r.id === id), { what: `a reply to ${String(id)}` });

/** A signRaw posted straight to the content script with our own message id. */
const signRawMessage = (id: string, text: string) =>
  `{ id: ${JSON.stringify(id)}, message: 'pub(bytes.sign)', request: { address: '${ALICE}', data: '0x${Buffer.from(text).toString('hex')}', type: 'bytes' }, origin: '${PAGE_TAG}' }`;

/** Every signature any page received verifies over one of the texts the user approved. */
async function onlyApprovedSignatures(pages: Page[], approved: string[]): Promise<void> {
  for (const page of pages) {
    for (const { signature } of (await seen(page)).replies) {
      if (!signature) continue;
      expect(approved.some((text) => signatureVerify(u8aWrapBytes(new TextEncoder().encode(text)), signature, ALICE).isValid)).toBe(true);
    }
  }
}

test('forged replies, forged approvals, duplicate and non-string ids: nothing is answered or signed without a click', async () => {
  const page = await openDapp(site);
  await postToSelf(page, signRawMessage('victim', 'victim request'));
  const win = await windowFor('victim');
  const [request] = await waiting(sw);

  // The page forges the wallet's answer into its own window, and tries the popup's approval message.
  await postToSelf(page, `{ id: 'victim', response: { id: '${request.id}', signature: '0x${'00'.repeat(64)}' }, origin: '${CONTENT_TAG}', forged: true }`);
  await postToSelf(page, `{ id: 'victim', response: { id: '${request.id}', signature: '0x${'00'.repeat(64)}' }, origin: '${PAGE_TAG}' }`);
  await postToSelf(page, `{ id: 'approve-1', message: 'pri(requests.approve)', request: { id: '${request.id}' }, origin: '${PAGE_TAG}' }`);
  await postToSelf(page, `{ id: 'approve-2', message: 'pub(requests.approve)', request: { id: '${request.id}' }, origin: '${PAGE_TAG}' }`);
  expect(await replyTo(page, 'approve-1')).toMatchObject({ error: 'InvalidInput', response: false });
  expect(await replyTo(page, 'approve-2')).toMatchObject({ error: 'NotAuthorized', response: false });

  // Ids that are not short strings never reach the wallet: no answer, no request.
  for (const id of ['5', 'null', '{}', "['victim']", "''", `'${'x'.repeat(65)}'`]) {
    await postToSelf(page, `{ id: ${id}, message: 'pub(bytes.sign)', request: { address: '${ALICE}', data: '0x02', type: 'bytes' }, origin: '${PAGE_TAG}' }`);
  }
  // The same id twice: two separate requests, each needing its own answer. They are also the barrier
  // for the ids above: the wallet queues a page's requests in the order it sent them, so one that got
  // through would be waiting ahead of the duplicates.
  await postToSelf(page, signRawMessage('dup', 'duplicate one'));
  await postToSelf(page, signRawMessage('dup', 'duplicate two'));
  await until(async () => (await waiting(sw)).filter((r) => r.messageIds.includes('dup')).length === 2, { what: 'both duplicates waiting' });
  expect((await waiting(sw)).map((r) => r.messageIds)).toEqual([['victim'], ['dup'], ['dup']]);
  expect((await seen(page)).replies.filter((r) => r.id !== 'approve-1' && r.id !== 'approve-2')).toEqual([]);
  expect(await win.getByTestId('sign-data').textContent()).toBe('victim request');

  // One window for the site: the duplicates wait in it behind the victim request.
  expect(wallet.ctx.pages().filter((p) => p.url().includes('popup.html#/signRaw/'))).toEqual([win]);
  // Approving one duplicate answers once; the other still waits until it is rejected.
  const dupRequests = (await waiting(sw)).slice(1);
  const dups = await Promise.all(dupRequests.map(tabOf));
  expect((await Promise.all(dups.map((p) => p.getByTestId('sign-data').textContent()))).sort()).toEqual(['duplicate one', 'duplicate two']);
  const approvedText = await dups[0].getByTestId('sign-data').textContent();
  await decideInTab(dups[0], dupRequests[0].id, 'approve');
  await until(async () => (await seen(page)).replies.length === 3, { what: 'the duplicate\'s answer' });
  expect((await waiting(sw)).map((r) => r.messageIds)).toEqual([['victim'], ['dup']]);
  await decideInTab(dups[1], dupRequests[1].id, 'reject');
  await decide(win, 'approve');
  await until(async () => (await waiting(sw)).length === 0, { what: 'every request answered' });
  const replies = (await seen(page)).replies.filter((r) => r.id === 'dup' || r.id === 'victim');
  expect(replies.map((r) => [r.id, r.error ?? 'signed'])).toEqual([['dup', 'signed'], ['dup', 'Rejected'], ['victim', 'signed']]);
  await onlyApprovedSignatures([page], [approvedText!, 'victim request']);
});

test('a second page cannot see, answer or steal another page\'s request, even with its message id', async () => {
  const first = await openDapp(site, true);
  const signing = watch(first.evaluate((a) => window.dapp.signRaw(a, 'from the first page'), ALICE));
  const messageId = await until(async () => (await seen(first)).requests.find((r) => r.message === 'pub(bytes.sign)')?.id as string, { what: 'the first page\'s message id' });
  const win = await windowFor(messageId);

  // Another origin, and another tab of the same (connected) origin, reuse the first page's id.
  const stranger = await openDapp(other);
  await postToSelf(stranger, signRawMessage(messageId, 'from a stranger'));
  await postToSelf(stranger, `{ id: ${JSON.stringify(messageId)}, response: { signature: '0x${'00'.repeat(64)}' }, origin: '${CONTENT_TAG}', forged: true }`);
  expect(await replyTo(stranger, messageId)).toMatchObject({ error: 'NotAuthorized' });
  const sibling = await openDapp(site);
  await postToSelf(sibling, signRawMessage(messageId, 'from the sibling tab'));
  // Same site, so it queues in the site's one window behind the first page's request: answer it from the popup.
  const siblingRequest = await until(async () => (await waiting(sw))[1], { what: 'the sibling\'s own request' });
  const siblingWin = await tabOf(siblingRequest);
  expect(await siblingWin.getByTestId('sign-data').textContent()).toBe('from the sibling tab');
  await decideInTab(siblingWin, siblingRequest.id, 'reject');
  expect(await replyTo(sibling, messageId)).toMatchObject({ error: 'Rejected' });

  // None of it reached the first page, whose request still waits, unchanged.
  await answeredAfter(first);
  expect(signing.settled()).toBe(false);
  expect(await repliesSeen(first)).toEqual([]);
  expect(await win.getByTestId('sign-data').textContent()).toBe('from the first page');
  await decide(win, 'approve');
  const result = await signing.promise;
  if (!('ok' in result)) throw new Error(result.error.message);
  expect(signatureVerify(u8aWrapBytes(result.ok.data), result.ok.signature, ALICE).isValid).toBe(true);
  await onlyApprovedSignatures([first, stranger, sibling], ['from the first page']);
});

test('messages from frames, openers and child windows are ignored; the page itself still works', async () => {
  const page = await openDapp(site, true);
  const message = (id: string) => signRawMessage(id, `framed ${id}`);
  // A cross-origin and a same-origin iframe post to the top window with our page tag.
  await page.evaluate(([a, b]) => {
    for (const src of [a, b]) {
      const frame = document.createElement('iframe');
      frame.src = `${src}/frame`;
      document.body.append(frame);
    }
  }, [other.origin, site.origin]);
  await until(async () => page.frames().length === 3 && (await Promise.all(page.frames().slice(1).map((f) => f.evaluate(() => !!window.dapp).catch(() => false)))).every(Boolean), { what: 'both frames' });
  for (const [i, frame] of page.frames().slice(1).entries()) {
    await frame.evaluate(`top.postMessage(${message(`frame-${i}`)}, '*')`);
    await frame.evaluate(`parent.postMessage({ id: 'frame-auth-${i}', message: 'pub(authorize.tab)', request: { origin: 'framed' }, origin: '${PAGE_TAG}' }, '*')`);
  }
  // A child window of another origin posts to its opener; the opener posts into a same-origin child.
  const [foreignChild] = await Promise.all([wallet.ctx.waitForEvent('page'), page.evaluate((o) => void open(`${o}/child`), other.origin)]);
  await foreignChild.waitForFunction(() => !!window.dapp);
  await foreignChild.evaluate(`opener.postMessage(${message('opener')}, '*')`);
  const [ownChild] = await Promise.all([wallet.ctx.waitForEvent('page'), page.evaluate((o) => void ((window as unknown as { child: unknown }).child = open(`${o}/child`)), site.origin)]);
  await ownChild.waitForFunction(() => !!window.dapp);
  await spy(ownChild);
  await page.evaluate(`child.postMessage(${message('into-child')}, '*')`);

  await until(async () => (await seen(page)).requests.length === 5 && (await seen(ownChild)).requests.length === 1, { what: 'every message delivered' });
  // They all arrived, none from the window itself.
  expect((await seen(page)).requests.map((r) => r.fromSelf)).toEqual([false, false, false, false, false]);
  expect((await seen(page)).requests.map((r) => r.origin)).toEqual([other.origin, other.origin, site.origin, site.origin, other.origin]);

  // Each window's own request, sent after those: the wallet queues a page's requests in order, so
  // anything it had taken from the frames or the other windows would be waiting ahead of these.
  const signing = watch(page.evaluate((a) => window.dapp.signRaw(a, 'the real one'), ALICE));
  const ownId = await until(async () => (await seen(page)).requests.find((r) => r.fromSelf)?.id, { what: "the page's own message" });
  const own = await until(async () => (await waiting(sw)).find((r) => r.messageIds.includes(String(ownId))), { what: "the page's own request" });
  await postToSelf(ownChild, signRawMessage('child-own', "the child's own"));
  const childOwn = await until(async () => (await waiting(sw)).find((r) => r.messageIds.includes('child-own')), { what: "the child's own request" });
  // The wallet took none of the others: only these two wait, in the site's one window, unanswered.
  expect(await waiting(sw)).toEqual([own, childOwn]);
  const win = await windowOf(own);
  expect(approvalWindows(wallet.ctx)).toEqual([win]);
  expect((await seen(page)).replies).toEqual([]);
  expect((await seen(ownChild)).replies).toEqual([]);

  // The child's is answered from the popup; the page's still waits, and is signed only after the click.
  await decideInTab(await tabOf(childOwn), childOwn.id, 'reject');
  expect(await replyTo(ownChild, 'child-own')).toMatchObject({ error: 'Rejected' });
  await answeredAfter(page);
  expect(signing.settled()).toBe(false);
  await decide(win, 'approve');
  const result = await signing.promise;
  if (!('ok' in result)) throw new Error(result.error.message);
  expect(signatureVerify(u8aWrapBytes(result.ok.data), result.ok.signature, ALICE).isValid).toBe(true);
});

test('oversized, deep, non-JSON and prototype-shaped bodies get typed errors and pollute nothing', async () => {
  const page = await openDapp(site, true);
  type Answer = { ok?: unknown; error?: { code: string; message: string } };
  /** A request that waits for the user. */
  const ask = (message: string, make: string) => page.evaluate(`window.dapp.raw(${JSON.stringify(message)}, (${make}))`) as Promise<Answer>;
  /** A request answered at once: no answer within 5 s is a refusal the wallet failed to make. */
  const raw = (message: string, make: string) => within(ask(message, make), `${message} refused at once`, 5000);
  const sign = (data: string) => `{ address: '${ALICE}', data: ${data}, type: 'bytes' }`;
  const def = (extra: string) => `{ chain: 'Hostile', genesisHash: '${GENESIS}', ss58Format: 42, specVersion: 1, tokenDecimals: 12, tokenSymbol: 'UNIT', ${extra} }`;

  // Size: over the relay's limit, just under it (the background's own field limit answers), and a
  // near-limit metadata definition, which waits; a second one would break the site's byte budget.
  expect(await raw('pub(bytes.sign)', sign(`'x'.repeat(${MAX_MESSAGE_CHARS})`))).toMatchObject({ error: { code: 'InvalidInput', message: expect.stringMatching(/too large/) } });
  expect(await raw('pub(bytes.sign)', sign(`'x'.repeat(${MAX_MESSAGE_CHARS - 200})`))).toMatchObject({ error: { code: 'InvalidInput', message: expect.stringMatching(/^Send "data"/) } });
  const big = def(`rawMetadata: '0x' + 'ab'.repeat(${MAX_MESSAGE_CHARS / 2 - 200})`);
  const providing = ask('pub(metadata.provide)', big);
  const metadataWin = await approvalWindow(wallet.ctx, 'metadata');
  expect(await raw('pub(metadata.provide)', big.replace(GENESIS, `0x${'cd'.repeat(32)}`))).toMatchObject({ error: { code: 'TooManyRequests', message: expect.stringMatching(/over 3 MB/) } });
  await decide(metadataWin, 'reject');
  expect(await providing).toMatchObject({ error: { code: 'Rejected' } });

  // Not plain JSON: bigint and cycles are refused by the relay; functions do not even leave the page.
  expect(await raw('pub(bytes.sign)', sign('1n'))).toMatchObject({ error: { code: 'InvalidInput', message: expect.stringMatching(/plain JSON/) } });
  expect(await raw('pub(dark.transfer)', '(() => { const o = { asset: 0, amount: \'1\' }; o.to = o; return o; })()')).toMatchObject({ error: { code: 'InvalidInput', message: expect.stringMatching(/plain JSON/) } });
  expect(await page.evaluate(`(() => { try { postMessage({ id: 'fn', message: 'pub(bytes.sign)', request: { data: () => 1 }, origin: '${PAGE_TAG}' }, location.origin); return 'sent'; } catch (e) { return e.name; } })()`)).toBe('DataCloneError');
  // Nesting that the browser's storage would silently cut short.
  expect(await raw('pub(metadata.provide)', def("types: JSON.parse('{\"T\":' + '{\"a\":'.repeat(80) + '1' + '}'.repeat(81))"))).toMatchObject({ error: { code: 'InvalidInput', message: expect.stringMatching(/nested too deeply/) } });

  // Prototype-pollution shapes (own "__proto__" keys, as JSON.parse and structured clone make them).
  const shaped = (json: string) => `JSON.parse(${JSON.stringify(json)})`;
  const refusals: [string, string, string][] = [
    ['pub(bytes.sign)', `{"__proto__":{"address":"${ALICE}","data":"0x00","type":"bytes"}}`, 'InvalidInput'],
    ['pub(extrinsic.sign)', `{"__proto__":{"isAdmin":true},"address":"${ALICE}","constructor":{"prototype":{"isAdmin":true}}}`, 'InvalidInput'],
    ['pub(accounts.unsubscribe)', '{"id":{"__proto__":{"isAdmin":true}}}', 'InvalidInput'],
    ['pub(dark.transfer)', `{"__proto__":{"isAdmin":true},"asset":0,"to":"${ALICE}","amount":"1"}`, 'ChainUnavailable'],
    ['pub(dark.issue)', '{"constructor":{"prototype":{"isAdmin":true}},"symbol":"GOLD","name":"Gold","decimals":12,"supply":"1"}', 'ChainUnavailable'],
    ['pub(dark.balances)', '{"__proto__":{"address":"5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"}}', 'ChainUnavailable'],
    ['pub(dark.convertToPublic)', `{"to":"${ALICE}","amount":"1","__proto__":{"address":"${ALICE}"}}`, 'ChainUnavailable'],
  ];
  for (const [message, json, code] of refusals) expect([message, await raw(message, shaped(json))]).toMatchObject([message, { error: { code } }]);
  expect(await raw('pub(authorize.tab)', shaped('{"origin":"x","__proto__":{"isAdmin":true}}'))).toEqual({ ok: true });
  // Well-formed requests carrying the shapes wait for the user, who sees only the fields that count.
  const signing = ask('pub(bytes.sign)', shaped(`{"address":"${ALICE}","data":"0x00","type":"bytes","__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}}}`));
  const signWin = await approvalWindow(wallet.ctx, 'signRaw');
  const defining = ask('pub(metadata.provide)', shaped(`{"chain":"Shaped","genesisHash":"${GENESIS}","ss58Format":42,"specVersion":1,"tokenDecimals":12,"tokenSymbol":"U","types":{"__proto__":{"isAdmin":"bool"},"constructor":{"prototype":"u8"}},"userExtensions":{"__proto__":{"x":{"extrinsic":{},"payload":{}}}}}`));
  // It queues in the site's window behind the signRaw; the popup's request list shows it on its own.
  const defineRequest = await until(async () => (await waiting(sw)).find((r) => r.kind === 'metadata'), { what: 'the metadata request' });
  const defineWin = await tabOf(defineRequest);
  await expect(defineWin.getByTestId('metadata-chain').textContent()).resolves.toBe('Shaped');
  await expect(signWin.getByTestId('sign-data').textContent()).resolves.toBe('0x00');
  // Neither the service worker nor the popup that rendered them gained a key on any prototype.
  expect(await prototypes(sw)).toBe(cleanPrototypes);
  expect(await prototypes(signWin)).toBe(cleanPrototypes);
  expect(await prototypes(defineWin)).toBe(cleanPrototypes);
  await decideInTab(defineWin, defineRequest.id, 'reject');
  await decide(signWin, 'reject');
  expect(await signing).toMatchObject({ error: { code: 'Rejected' } });
  expect(await defining).toMatchObject({ error: { code: 'Rejected' } });

  // None of it changed what the wallet does next: a normal signature.
  const normal = page.evaluate((a) => window.dapp.signRaw(a, 'after the hostile bodies'), ALICE);
  await decide(await approvalWindow(wallet.ctx, 'signRaw'), 'approve');
  const result = await normal;
  if (!('ok' in result)) throw new Error(result.error.message);
  expect(signatureVerify(u8aWrapBytes(result.ok.data), result.ok.signature, ALICE).isValid).toBe(true);
  expect(await prototypes(sw)).toBe(cleanPrototypes);
  await onlyApprovedSignatures([page], ['after the hostile bodies']);
});

test('a flood of 500 signRaw and 500 enable calls is capped; the popup stays responsive; a real request still works', async () => {
  const flood = 500;
  const connected = await openDapp(site, true);
  const stranger = await openDapp(other);
  const bytesBefore = await sessionBytes(sw);
  await connected.evaluate(([a, n]) => {
    for (let i = 0; i < n; i++) postMessage({ id: `flood-${i}`, message: 'pub(bytes.sign)', request: { address: a, data: `0x${i.toString(16).padStart(4, '0')}`, type: 'bytes' }, origin: 'dark-wallet.7f3c/page' }, location.origin);
  }, [ALICE, flood] as const);
  await stranger.evaluate(([a, n]) => {
    for (let i = 0; i < n; i++) {
      postMessage({ id: `enable-${i}`, message: 'pub(authorize.tab)', request: { origin: 'Flood' }, origin: 'dark-wallet.7f3c/page' }, location.origin);
      postMessage({ id: `sign-${i}`, message: 'pub(bytes.sign)', request: { address: a, data: '0x00', type: 'bytes' }, origin: 'dark-wallet.7f3c/page' }, location.origin);
    }
  }, [ALICE, flood] as const);

  // The connected page: at most MAX_PENDING_PER_ORIGIN wait, the rest are refused at once.
  const answered = async (page: Page, prefix: string, n: number) => until(async () => {
    const replies = (await seen(page)).replies.filter((r) => String(r.id).startsWith(prefix));
    return replies.length >= n ? replies : null;
  }, { what: `${n} answers to ${prefix}`, timeoutMs: 30_000 });
  const refused = await answered(connected, 'flood-', flood - MAX_PENDING_PER_ORIGIN);
  expect(refused.every((r) => r.error === 'TooManyRequests')).toBe(true);
  // The stranger: one connection request, joined by a few calls; every other call refused.
  expect((await answered(stranger, 'enable-', flood - MAX_WAITING_PER_REQUEST)).every((r) => r.error === 'TooManyRequests')).toBe(true);
  expect((await answered(stranger, 'sign-', flood)).every((r) => r.error === 'NotAuthorized')).toBe(true);
  // One approval window per site: the connected site's and the stranger's connection request.
  await until(async () => approvalWindows(wallet.ctx).length === 2, { what: 'the approval windows' });
  const queue = await waiting(sw);
  expect(queue.filter((r) => r.kind === 'signRaw' && r.origin === site.origin)).toHaveLength(MAX_PENDING_PER_ORIGIN);
  expect(queue.filter((r) => r.kind === 'authorize').map((r) => [r.origin, r.messageIds.length])).toEqual([[other.origin, MAX_WAITING_PER_REQUEST]]);
  expect(queue).toHaveLength(MAX_PENDING_PER_ORIGIN + 1);
  expect(await sessionBytes(sw) - bytesBefore).toBeLessThan(64 * 1024);

  // The popup opens, lists them and answers them promptly while the flood's windows are open.
  let started = Date.now();
  const popup = await wallet.openPopup();
  await expect(popup.getByTestId('requests-banner').textContent()).resolves.toMatch(`${MAX_PENDING_PER_ORIGIN + 1} requests are waiting`);
  await popup.getByTestId('requests-banner').click();
  await popup.getByTestId('screen-requests').waitFor();
  expect(await popup.getByTestId('request').count()).toBe(MAX_PENDING_PER_ORIGIN + 1);
  expect(Date.now() - started).toBeLessThan(5000);
  for (let i = 0; i < 3; i++) {
    started = Date.now();
    await popup.getByTestId('request').filter({ hasText: site.origin }).first().click();
    await popup.getByTestId('screen-sign-raw').waitFor();
    const shown = popup.url();
    await popup.getByTestId('reject').click();
    // The view moves on to the site's next waiting request (one queue per site), not home.
    await popup.waitForURL((u) => u.toString() !== shown);
    await popup.getByTestId('screen-sign-raw').waitFor();
    await popup.evaluate(() => { location.hash = '#/requests'; });
    await popup.getByTestId('screen-requests').waitFor();
    await until(async () => (await popup.getByTestId('request').count()) === MAX_PENDING_PER_ORIGIN - i, { what: `${MAX_PENDING_PER_ORIGIN - i} requests listed` });
    expect(Date.now() - started).toBeLessThan(3000);
  }
  // The stranger's connection request: "not now" (no block), which answers every call that joined it.
  await decide(await approvalWindow(wallet.ctx, 'authorize'), 'cancel');
  const enables = await answered(stranger, 'enable-', flood);
  expect(enables.filter((r) => r.error === 'Cancelled')).toHaveLength(MAX_WAITING_PER_REQUEST);
  // Closing the rest of the windows cancels the rest.
  for (const p of approvalWindows(wallet.ctx)) await p.close();
  const all = await answered(connected, 'flood-', flood);
  const outcome = (code: string) => all.filter((r) => r.error === code).length;
  expect([outcome('TooManyRequests'), outcome('Rejected'), outcome('Cancelled')]).toEqual([flood - MAX_PENDING_PER_ORIGIN, 3, MAX_PENDING_PER_ORIGIN - 3]);
  expect(all.filter((r) => r.signature || r.response)).toEqual([]);
  expect(await waiting(sw)).toEqual([]);

  // Afterwards, a legitimate request is signed after its approval.
  const signing = connected.evaluate((a) => window.dapp.signRaw(a, 'after the flood'), ALICE);
  await decide(await approvalWindow(wallet.ctx, 'signRaw'), 'approve');
  const result = await signing;
  if (!('ok' in result)) throw new Error(result.error.message);
  expect(signatureVerify(u8aWrapBytes(result.ok.data), result.ok.signature, ALICE).isValid).toBe(true);
  await onlyApprovedSignatures([connected, stranger], ['after the flood']);
  await popup.close();
}, 90_000);
