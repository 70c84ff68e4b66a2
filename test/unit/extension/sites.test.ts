import { cryptoWaitReady } from '@polkadot/util-crypto';
import type { InjectedAccount } from '@polkadot/extension-inject/types';
import type { WalletState } from '../../../extension/messages/types';
import { until } from '../../helpers/until';
import { ok, pagePort, popupPort, walletWith, type FakePort, type TestWallet } from './fakes';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const DAPP = 'https://dapp.example';

beforeAll(() => cryptoWaitReady());

const walletWithAliceAndBob = (): Promise<TestWallet> => walletWith(['Alice', 'Bob']);

async function pendingIds(w: TestWallet): Promise<string[]> {
  return ok<WalletState>(await w.call('pri(wallet.subscribe)', null, popupPort())).requests.map((r) => r.id);
}

/** Asks to connect and returns the id of the message the answer will carry. */
async function askToConnect(w: TestWallet, page: FakePort): Promise<string> {
  const before = page.sent.length;
  expect(await w.call('pub(authorize.tab)', { origin: 'My dApp' }, page)).toBeNull(); // deferred
  expect(page.sent.length).toBe(before);
  return (await pendingIds(w)).at(-1)!;
}

const lastAnswer = (page: FakePort) => page.sent.filter((r) => r.subscription === undefined).at(-1);

describe('per-site authorization', () => {
  test('approve with chosen accounts: the site sees exactly those', async () => {
    const w = await walletWithAliceAndBob();
    const page = pagePort(DAPP);
    const id = await askToConnect(w, page);
    expect(w.opened).toEqual([`popup.html#/authorize/${id}`]);
    const view = ok<{ origin: string; originName: string }>(await w.call('pri(requests.get)', { id }, popupPort()));
    expect(view).toMatchObject({ kind: 'authorize', origin: DAPP, originName: 'My dApp' });
    ok(await w.call('pri(requests.approveAuthorize)', { id, addresses: [BOB] }, popupPort()));
    expect(lastAnswer(page)?.response).toBe(true);
    expect(w.closedWindows).toEqual([1]);
    const accounts = ok<InjectedAccount[]>(await w.call('pub(accounts.list)', {}, page));
    expect(accounts).toEqual([{ address: BOB, name: 'Bob', type: 'sr25519', genesisHash: null }]);
    // Already approved: answered at once, no new prompt.
    expect(ok(await w.call('pub(authorize.tab)', { origin: 'My dApp' }, pagePort(DAPP)))).toBe(true);
    expect(w.opened).toHaveLength(1);
  });

  test('the trusted origin is the sender URL, not the name the page gives itself', async () => {
    const w = await walletWithAliceAndBob();
    const id = await askToConnect(w, pagePort('https://evil.example'));
    const view = ok<{ origin: string }>(await w.call('pri(requests.get)', { id }, popupPort()));
    expect(view.origin).toBe('https://evil.example');
  });

  test('reject remembers the block; cancel remembers nothing', async () => {
    const w = await walletWithAliceAndBob();
    const page = pagePort(DAPP);
    let id = await askToConnect(w, page);
    ok(await w.call('pri(requests.reject)', { id }, popupPort()));
    expect(lastAnswer(page)?.error?.code).toBe('Blocked');
    const again = await w.call('pub(authorize.tab)', { origin: 'My dApp' }, page);
    expect(again?.error?.code).toBe('Blocked');
    expect(w.opened).toHaveLength(1); // no new prompt for a blocked site
    expect((await w.call('pub(accounts.list)', {}, page))?.error?.code).toBe('Blocked');

    const other = pagePort('https://other.example');
    id = await askToConnect(w, other);
    ok(await w.call('pri(requests.cancel)', { id }, popupPort()));
    expect(lastAnswer(other)?.error?.code).toBe('Cancelled');
    expect(await w.call('pub(authorize.tab)', { origin: 'x' }, other)).toBeNull(); // asks again
    const sites = ok<{ origin: string; blocked: boolean }[]>(await w.call('pri(sites.list)', null, popupPort()));
    expect(sites.map(({ origin, blocked }) => ({ origin, blocked }))).toEqual([{ origin: DAPP, blocked: true }]);
  });

  test('one pending connection request per origin; every caller gets the answer', async () => {
    const w = await walletWithAliceAndBob();
    const first = pagePort(DAPP, 1);
    const second = pagePort(DAPP, 2);
    await askToConnect(w, first);
    expect(await w.call('pub(authorize.tab)', { origin: 'My dApp' }, second)).toBeNull();
    const ids = await pendingIds(w);
    expect(ids).toHaveLength(1);
    expect(w.opened).toHaveLength(1);
    ok(await w.call('pri(requests.approveAuthorize)', { id: ids[0], addresses: [ALICE] }, popupPort()));
    expect(lastAnswer(first)?.response).toBe(true);
    expect(lastAnswer(second)?.response).toBe(true);
  });

  test('an unauthorized origin gets no accounts and cannot sign', async () => {
    const w = await walletWithAliceAndBob();
    const page = pagePort('https://stranger.example');
    for (const [type, request] of [
      ['pub(accounts.list)', {}],
      ['pub(accounts.subscribe)', null],
      ['pub(metadata.list)', null],
      ['pub(bytes.sign)', { address: ALICE, data: '0x1234', type: 'bytes' }],
      ['pub(dark.balances)', {}],
    ] as const) {
      expect((await w.call(type, request as never, page))?.error?.code).toBe('NotAuthorized');
    }
    expect(w.opened).toHaveLength(0);
  });

  test('signing only with the accounts the site was given', async () => {
    const w = await walletWithAliceAndBob();
    const page = pagePort(DAPP);
    const id = await askToConnect(w, page);
    ok(await w.call('pri(requests.approveAuthorize)', { id, addresses: [ALICE] }, popupPort()));
    const refused = await w.call('pub(bytes.sign)', { address: BOB, data: '0x1234', type: 'bytes' }, page);
    expect(refused?.error?.code).toBe('NotAuthorized');
    expect(await w.call('pub(bytes.sign)', { address: ALICE, data: '0x1234', type: 'bytes' }, page)).toBeNull();
  });

  test('changing and revoking access reaches subscribed pages', async () => {
    const w = await walletWithAliceAndBob();
    const page = pagePort(DAPP);
    const id = await askToConnect(w, page);
    ok(await w.call('pri(requests.approveAuthorize)', { id, addresses: [ALICE] }, popupPort()));
    const sub = await w.call('pub(accounts.subscribe)', null, page);
    const subId = ok<string>(sub);
    const pushes = () => page.replies(subId).filter((r) => r.subscription !== undefined).map((r) => (r.subscription as InjectedAccount[]).map((a) => a.address));
    expect(pushes()).toEqual([[ALICE]]);

    ok(await w.call('pri(sites.setAccounts)', { origin: DAPP, addresses: [ALICE, BOB] }, popupPort()));
    await until(() => pushes().length === 2, { what: 'the new account list to be pushed' });
    expect(pushes().at(-1)).toEqual([ALICE, BOB]);

    ok(await w.call('pri(sites.remove)', { origin: DAPP }, popupPort()));
    await until(() => pushes().length === 3, { what: 'the revocation to be pushed' });
    expect(pushes().at(-1)).toEqual([]);
    expect((await w.call('pub(accounts.list)', {}, page))?.error?.code).toBe('NotAuthorized');
  });

  test('secret-asset calls need a connected site; an operation then waits for the user', async () => {
    const w = await walletWithAliceAndBob();
    const page = pagePort(DAPP);
    expect((await w.call('pub(dark.transfer)', { asset: 0, to: BOB, amount: '1' }, page))?.error?.code).toBe('NotAuthorized');
    const id = await askToConnect(w, page);
    ok(await w.call('pri(requests.approveAuthorize)', { id, addresses: [ALICE] }, popupPort()));
    expect(await w.call('pub(dark.transfer)', { asset: 0, to: BOB, amount: '1' }, page)).toBeNull(); // deferred
    expect(w.opened.at(-1)).toMatch(/^popup\.html#\/darkTransfer\/darkTransfer\./);
  });
});

test('two connection requests at the same moment still make one prompt', async () => {
  const w = await walletWithAliceAndBob();
  const [a, b] = [pagePort(DAPP, 1), pagePort(DAPP, 2)];
  await Promise.all([w.call('pub(authorize.tab)', { origin: 'x' }, a), w.call('pub(authorize.tab)', { origin: 'x' }, b)]);
  expect(await pendingIds(w)).toHaveLength(1);
  expect(w.opened).toHaveLength(1);
});
