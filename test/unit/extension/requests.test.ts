import { u8aWrapBytes } from '@polkadot/util';
import { cryptoWaitReady, signatureVerify } from '@polkadot/util-crypto';
import { MAX_PENDING_PER_ORIGIN } from '../../../extension/messages/constants';
import type { WalletState } from '../../../extension/messages/types';
import { until } from '../../helpers/until';
import { ok, pagePort, popupPort, walletWith, type FakePort, type TestWallet } from './fakes';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const DAPP = 'https://dapp.example';
const DATA = '0x48656c6c6f'; // "Hello"

beforeAll(() => cryptoWaitReady());

async function connected(): Promise<{ w: TestWallet; page: FakePort }> {
  const w = await walletWith(['Alice']);
  const page = pagePort(DAPP, 7);
  await w.call('pub(authorize.tab)', { origin: 'dApp' }, page);
  ok(await w.call('pri(requests.approveAuthorize)', { id: w.opened[0].split('/').at(-1)!, addresses: [ALICE] }, popupPort()));
  return { w, page };
}

async function requests(w: TestWallet) {
  return ok<WalletState>(await w.call('pri(wallet.subscribe)', null, popupPort())).requests;
}

/** Sends signRaw from the page; returns the request id and the page message id. */
async function askToSign(w: TestWallet, page: FakePort): Promise<{ id: string; messageId: string }> {
  const messageId = `m${Math.random()}`;
  await w.bg.handle(messageId, 'pub(bytes.sign)', { address: ALICE, data: DATA, type: 'bytes' }, page);
  expect(page.replies(messageId)).toEqual([]); // waits for the user
  return { id: (await requests(w)).at(-1)!.id, messageId };
}

describe('request queue', () => {
  test('approving signRaw answers the page with a signature over the wrapped bytes', async () => {
    const { w, page } = await connected();
    const { id, messageId } = await askToSign(w, page);
    expect(id).toMatch(/^signRaw\.[0-9a-f-]{36}$/);
    expect(w.opened.at(-1)).toBe(`popup.html#/signRaw/${id}`);
    expect(ok(await w.call('pri(requests.get)', { id }, popupPort()))).toMatchObject({ kind: 'signRaw', text: 'Hello', accountName: 'Alice' });
    ok(await w.call('pri(requests.approve)', { id }, popupPort()));
    const [answer] = page.replies(messageId);
    const { signature } = answer.response as { signature: string };
    expect(signatureVerify(u8aWrapBytes(DATA), signature, ALICE).isValid).toBe(true);
    expect(await requests(w)).toEqual([]);
    expect(w.badge.at(-1)).toBe(0);
  });

  test('a locked wallet signs nothing: the request stays pending', async () => {
    const { w, page } = await connected();
    const { id, messageId } = await askToSign(w, page);
    ok(await w.call('pri(wallet.lock)', null, popupPort()));
    const reply = await w.call('pri(requests.approve)', { id }, popupPort());
    expect(reply?.error?.code).toBe('Locked');
    expect(page.replies(messageId)).toEqual([]);
    expect((await requests(w)).map((r) => r.id)).toEqual([id]);
  });

  test('a restarted worker keeps the request exactly once and still answers the page (through the tab)', async () => {
    const { w, page } = await connected();
    const { id, messageId } = await askToSign(w, page);
    // The worker stops: its ports die with it (no disconnect handler runs in a dead worker).
    page.connected = false;
    w.restart();
    expect((await requests(w)).map((r) => r.id)).toEqual([id]);
    ok(await w.call('pri(requests.approve)', { id }, popupPort()));
    const [delivery] = w.tabDeliveries;
    expect(delivery).toMatchObject({ tabId: 7, frameId: 0 });
    expect(delivery.message.clientId).toBe(page.name.split('/').at(-1));
    expect(delivery.message.reply.id).toBe(messageId);
    const { signature } = delivery.message.reply.response as { signature: string };
    expect(signatureVerify(u8aWrapBytes(DATA), signature, ALICE).isValid).toBe(true);
    expect(await requests(w)).toEqual([]);
    // Approving twice does nothing.
    expect((await w.call('pri(requests.approve)', { id }, popupPort()))?.error?.code).toBe('UnknownRequest');
    expect(w.tabDeliveries).toHaveLength(1);
  });

  test('closing the dApp tab ends its requests and closes their windows', async () => {
    const { w, page } = await connected();
    await askToSign(w, page);
    await w.bg.tabRemoved(7);
    expect(await requests(w)).toEqual([]);
    expect(w.closedWindows.at(-1)).toBe(w.opened.length);
  });

  test('a page that navigates away (its port closes while the worker lives) ends its requests', async () => {
    const { w } = await connected();
    const page = pagePort(DAPP, 7);
    w.bg.connect(page);
    await askToSign(w, page);
    page.drop();
    await until(async () => (await requests(w)).length === 0, { what: "the page's requests to end" });
    expect(await requests(w)).toEqual([]);
  });

  test('closing the approval window cancels the request', async () => {
    const { w, page } = await connected();
    const { messageId } = await askToSign(w, page);
    await w.bg.windowRemoved(w.opened.length);
    expect(page.replies(messageId)[0].error?.code).toBe('Cancelled');
    expect(await requests(w)).toEqual([]);
  });

  test('reject tells the page it was rejected', async () => {
    const { w, page } = await connected();
    const { id, messageId } = await askToSign(w, page);
    ok(await w.call('pri(requests.reject)', { id }, popupPort()));
    expect(page.replies(messageId)[0].error).toEqual({ code: 'Rejected', message: 'The request was rejected in Dark Wallet.' });
  });

  test(`at most ${MAX_PENDING_PER_ORIGIN} prompts wait per origin`, async () => {
    const { w, page } = await connected();
    for (let i = 0; i < MAX_PENDING_PER_ORIGIN; i++) await askToSign(w, page);
    const reply = await w.call('pub(bytes.sign)', { address: ALICE, data: DATA, type: 'bytes' }, page);
    expect(reply?.error?.code).toBe('TooManyRequests');
    expect(await requests(w)).toHaveLength(MAX_PENDING_PER_ORIGIN);
  });

  test('access revoked while a request waits: approving refuses and ends it', async () => {
    const { w, page } = await connected();
    const { id, messageId } = await askToSign(w, page);
    ok(await w.call('pri(sites.remove)', { origin: DAPP }, popupPort()));
    expect((await w.call('pri(requests.approve)', { id }, popupPort()))?.error?.code).toBe('NotAuthorized');
    expect(page.replies(messageId)[0].error?.code).toBe('NotAuthorized');
    expect(await requests(w)).toEqual([]);
  });
});
