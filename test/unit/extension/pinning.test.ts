/**
 * The contract key pinned on first use (DESIGN.md §9), over the fake chain + worker whose attestation
 * reports are really signed and verified: the first use pins the key in storage.local; another key
 * named by the chain endpoint blocks every secret operation (nothing sealed or submitted, waiting
 * approvals refused with a typed reason) until the user accepts it; a removed measurement blocks
 * and cannot be accepted.
 */
import { cryptoWaitReady } from '@polkadot/util-crypto';
import type { SecretOperationView, SecretStatusView, WalletState } from '../../../extension/messages/types';
import { toHex } from '../../../shared/types';
import { until } from '../../helpers/until';
import { PASSWORD, ok, pagePort, popupPort, walletWith, type FakePort, type TestWallet } from './fakes';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const DAPP = 'https://dapp.example';
const PHA = 10n ** 12n;
const FIRST_KEY = toHex(new Uint8Array(32).fill(7));

beforeAll(() => cryptoWaitReady());

async function wallet(): Promise<TestWallet> {
  const w = await walletWith(['Alice']);
  w.dark.fund(ALICE, 10n * PHA);
  return w;
}

async function connect(w: TestWallet): Promise<FakePort> {
  const page = pagePort(DAPP, 7);
  await w.call('pub(authorize.tab)', { origin: 'dApp' }, page);
  ok(await w.call('pri(requests.approveAuthorize)', { id: w.opened.at(-1)!.split('/').at(-1)!, addresses: [ALICE] }, popupPort()));
  return page;
}

const status = async (w: TestWallet) => ok<SecretStatusView>(await w.call('pri(dark.status)', null, popupPort()));
const requestIds = async (w: TestWallet) => ok<WalletState>(await w.call('pri(wallet.subscribe)', null, popupPort())).requests.map((r) => r.id);
const transfer = (w: TestWallet) => w.call('pri(dark.transfer)', { address: ALICE, asset: 0, to: BOB, amount: '1' }, popupPort());
const pins = async (w: TestWallet) => (await w.platform.local.get('contractPins')).contractPins as Record<string, { ecdhPub: string; measurement: string }>;

async function pageTransfer(w: TestWallet, page: FakePort): Promise<string> {
  const messageId = `m${Math.random()}`;
  await w.bg.handle(messageId, 'pub(dark.transfer)', { address: ALICE, asset: 0, to: BOB, amount: PHA.toString() }, page);
  return messageId;
}

test('the first use verifies and pins the key per genesis and contract, in storage that outlives the service worker', async () => {
  const w = await wallet();
  expect(await w.platform.local.get('contractPins')).toEqual({});
  expect(await status(w)).toMatchObject({ state: 'verified', pin: null });
  const pinned = await pins(w);
  expect(Object.keys(pinned)).toEqual([`${toHex(new Uint8Array(32).fill(3))}/1`]);
  expect(Object.values(pinned)[0]).toMatchObject({ ecdhPub: FIRST_KEY, contractId: 1 });

  w.restart();
  w.dark.swapKey(); // the endpoint lies after the restart: the stored pin still stands
  expect(await status(w)).toMatchObject({ state: 'keyChanged' });
});

test('a changed key blocks at once: nothing sealed or submitted, waiting approvals refused with the reason', async () => {
  const w = await wallet();
  const page = await connect(w);
  ok(await w.call('pri(wallet.unlock)', { password: PASSWORD }, popupPort()));
  expect(await status(w)).toMatchObject({ state: 'verified' }); // pinned, and following heads
  const waiting = await pageTransfer(w, page);
  expect(await requestIds(w)).toHaveLength(1);

  const newKey = toHex(w.dark.swapKey());
  w.dark.newHead();
  const refused = await until(() => page.replies(waiting)[0], { what: 'the waiting request to be refused' });
  expect(refused.error?.code).toBe('ContractKeyChanged');
  expect(await requestIds(w)).toEqual([]);

  const blocked = await status(w);
  expect(blocked).toMatchObject({ state: 'keyChanged', pin: { reason: 'keyChanged', pinned: { ecdhPub: FIRST_KEY }, seen: { ecdhPub: newKey } } });
  expect(blocked.message).toMatch(/not the one Dark Wallet verified/);
  expect((await transfer(w))?.error?.code).toBe('ContractKeyChanged');
  const fromPage = await pageTransfer(w, page);
  expect(page.replies(fromPage)[0].error?.code).toBe('ContractKeyChanged');
  expect(w.dark.submissions).toEqual([]);
  expect(await requestIds(w)).toEqual([]);
});

test('an approval given after the key changed (no head seen yet) is refused and ends the request', async () => {
  const w = await wallet();
  const page = await connect(w);
  ok(await w.call('pri(wallet.unlock)', { password: PASSWORD }, popupPort()));
  const waiting = await pageTransfer(w, page);
  const [id] = await requestIds(w);
  w.dark.swapKey();
  expect((await w.call('pri(requests.approve)', { id }, popupPort()))?.error?.code).toBe('ContractKeyChanged');
  expect(page.replies(waiting)[0].error?.code).toBe('ContractKeyChanged');
  expect(await requestIds(w)).toEqual([]);
  expect(w.dark.submissions).toEqual([]);
});

test('accepting the key shown re-verifies and re-pins it; operations then seal to the new key', async () => {
  const w = await wallet();
  ok(await w.call('pri(wallet.unlock)', { password: PASSWORD }, popupPort()));
  expect(await status(w)).toMatchObject({ state: 'verified' });
  const newKey = toHex(w.dark.swapKey());
  expect(await status(w)).toMatchObject({ state: 'keyChanged' });

  const stale = await w.call('pri(dark.acceptContractKey)', { ecdhPub: FIRST_KEY }, popupPort());
  expect(stale?.error?.code).toBe('InvalidInput'); // not the key the warning shows
  ok(await w.call('pri(dark.acceptContractKey)', { ecdhPub: newKey }, popupPort()));
  expect(Object.values(await pins(w))[0].ecdhPub).toBe(newKey);
  expect(await status(w)).toMatchObject({ state: 'verified', pin: null });

  const op = ok<SecretOperationView>(await transfer(w));
  await until(() => w.dark.submissions[0], { what: `operation ${op.id} to be submitted` });
  expect(w.dark.submissions).toEqual([expect.objectContaining({ op: 'transfer', sealedTo: newKey })]);
});

test('a removed measurement refuses every operation and cannot be accepted, until governance allows it again', async () => {
  const w = await wallet();
  ok(await w.call('pri(wallet.unlock)', { password: PASSWORD }, popupPort()));
  expect(await status(w)).toMatchObject({ state: 'verified' });
  w.dark.measurementAllowed = false;

  const revoked = await status(w);
  expect(revoked).toMatchObject({ state: 'revoked', pin: { reason: 'revoked', seen: null } });
  expect(revoked.message).toMatch(/no longer allows the code/);
  expect((await transfer(w))?.error?.code).toBe('MeasurementRevoked');
  expect((await w.call('pri(dark.acceptContractKey)', { ecdhPub: FIRST_KEY }, popupPort()))?.error?.code).toBe('MeasurementRevoked');
  expect(w.dark.submissions).toEqual([]);

  w.dark.measurementAllowed = true;
  expect(await status(w)).toMatchObject({ state: 'verified' });
  ok(await transfer(w));
  await until(() => w.dark.submissions[0], { what: 'the transfer to be submitted' });
});
