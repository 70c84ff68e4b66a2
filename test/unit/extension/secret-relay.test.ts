/**
 * The background's relay path: which client a network's settings give (a relayer set → every secret
 * command through it, no direct path), the relayer's fee in approvals and status, the fee entry in the
 * history next to its operation, the balance rule (secret PHA pays the fee, no public balance), and a
 * relayer that is down: a typed error and nothing submitted from the account.
 * The client behind is the fake chain + worker (dark-fake.ts) acting as `DarkClient` with a
 * `relayUrl`; the real relayer runs in test/integration/system/relayed.test.ts and test/e2e.
 */
import type { ApiPromise } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import type { DarkClientOptions } from '../../../shared/client/dark-client';
import { clientOptions, LiveDarkConnector, type DarkBackend } from '../../../extension/background/secret/backend';
import { relayFeeView } from '../../../extension/background/secret/relay';
import type { NetworkSettings, SecretActivityView, SecretOperationView, SecretRequestView, SecretStatusView, WalletState } from '../../../extension/messages/types';
import type { SecretOperationResult } from '../../../extension/page/types';
import { amount } from '../../../shared/types';
import { until } from '../../helpers/until';
import { ok, pagePort, popupPort, walletWith, type FakePort, type TestWallet } from './fakes';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const DAPP = 'https://dapp.example';
const PHA = 10n ** 12n;
const FEE = PHA / 100n;
const RELAY = 'http://127.0.0.1:8000'; // a new install's relayer: npm start's worker

beforeAll(() => cryptoWaitReady());

/** A wallet whose client relays for FEE (the network's relayer is the default one). */
async function relayingWallet(): Promise<TestWallet> {
  const w = await walletWith(['Alice', 'Bob']);
  w.dark.relayFee = FEE;
  return w;
}

async function connect(w: TestWallet, addresses: string[]): Promise<FakePort> {
  const page = pagePort(DAPP, 7);
  await w.call('pub(authorize.tab)', { origin: 'dApp' }, page);
  ok(await w.call('pri(requests.approveAuthorize)', { id: w.opened.at(-1)!.split('/').at(-1)!, addresses }, popupPort()));
  return page;
}

async function pageTransfer(w: TestWallet, page: FakePort, value: bigint): Promise<{ messageId: string; id: string }> {
  const messageId = `m${Math.random()}`;
  await w.bg.handle(messageId, 'pub(dark.transfer)', { address: ALICE, asset: 0, to: BOB, amount: value.toString() }, page);
  const state = ok<WalletState>(await w.call('pri(wallet.subscribe)', null, popupPort()));
  return { messageId, id: state.requests.at(-1)!.id };
}

const requestView = async (w: TestWallet, id: string) => ok<SecretRequestView>(await w.call('pri(requests.get)', { id }, popupPort()));
const operations = async (w: TestWallet) => ok<SecretOperationView[]>(await w.call('pri(dark.operations)', null, popupPort()));

describe('the client a network gives', () => {
  const network: NetworkSettings = { chainEndpoint: 'ws://127.0.0.1:9944', workerEndpoint: 'http://127.0.0.1:8000', contractId: 1, relayEndpoint: 'https://relay.example' };
  const api = {} as ApiPromise; // passed through untouched

  test('a relayer set: the client relays (no direct path); none: the client sends from the account', () => {
    expect(clientOptions(api, network)).toMatchObject({ workerUrl: 'http://127.0.0.1:8000', contractId: 1, relayUrl: 'https://relay.example' });
    expect(clientOptions(api, { ...network, relayEndpoint: null })).not.toHaveProperty('relayUrl');
  });

  test('a changed relayer connects a new client with it; the same settings keep the client', async () => {
    let current = network;
    const asked: DarkClientOptions[] = [];
    const connector = new LiveDarkConnector({
      api: async () => api, network: async () => current, token: async () => ({ symbol: 'PHA', decimals: 12 }),
      connect: async (opts) => {
        asked.push(opts);
        return {} as DarkBackend;
      },
    });
    await connector.client();
    await connector.client();
    current = { ...network, relayEndpoint: null };
    await connector.client();
    current = { ...network, relayEndpoint: 'https://other-relay.example' };
    await connector.client();
    expect(asked.map((o) => o.relayUrl ?? 'direct')).toEqual(['https://relay.example', 'direct', 'https://other-relay.example']);
  });
});

test('the fee as approvals show it: smallest units, and in PHA with every decimal it has', () => {
  expect(relayFeeView(RELAY, amount(FEE), { symbol: 'PHA', decimals: 12 })).toEqual({ endpoint: RELAY, fee: '10000000000', feeText: '0.01 PHA' });
  expect(relayFeeView(RELAY, amount(1n), { symbol: 'PHA', decimals: 12 }).feeText).toBe('0.000000000001 PHA');
});

test('a relayed page transfer: the approval shows the fee and that no public balance is needed; the history shows the fee beside it', async () => {
  const w = await relayingWallet();
  w.dark.fund(ALICE, 100n * PHA); // secret PHA only: the fake chain has no public balance at all
  const page = await connect(w, [ALICE]);
  const { messageId, id } = await pageTransfer(w, page, 30n * PHA);
  expect(await requestView(w, id)).toMatchObject({ refusal: null, warning: null, relay: { endpoint: RELAY, fee: FEE.toString(), feeText: '0.01 PHA' } });

  ok(await w.call('pri(requests.approve)', { id }, popupPort()));
  const answer = await until(() => page.replies(messageId)[0], { what: 'the page to be answered' });
  expect(answer.response as SecretOperationResult).toMatchObject({ status: 'applied' });
  expect(w.dark.submissions).toEqual([expect.objectContaining({ op: 'transfer', relayed: true })]);
  expect(w.dark.balance(ALICE)).toBe(70n * PHA - FEE);

  const history = ok<SecretActivityView[]>(await w.call('pri(dark.history)', { address: ALICE }, popupPort()));
  const [transfer, fee] = [history.findIndex((e) => e.kind === 'Transfer'), history.findIndex((e) => e.kind === 'RelayFee')];
  expect(Math.abs(transfer - fee)).toBe(1); // next to each other
  expect(history[fee]).toMatchObject({ direction: 'Out', amount: FEE.toString(), symbol: 'PHA', ref: history[transfer].ref, status: 'applied' });

  const status = ok<SecretStatusView>(await w.call('pri(dark.status)', null, popupPort()));
  expect(status).toMatchObject({ state: 'verified', relayEndpoint: RELAY, relay: { feeText: '0.01 PHA' }, relayMessage: null });
});

test('secret PHA must cover the fee, and the amount when it moves PHA: otherwise refused before anything is sent', async () => {
  const w = await relayingWallet();
  w.dark.fund(ALICE, 30n * PHA);
  const refused = await w.call('pri(dark.transfer)', { address: ALICE, asset: 0, to: BOB, amount: '30' }, popupPort());
  expect(refused?.error).toEqual({ code: 'InvalidInput', message: expect.stringMatching(/^The secret PHA balance cannot pay this and the relayer's fee/) });
  const page = await connect(w, [ALICE]);
  const { id } = await pageTransfer(w, page, 30n * PHA);
  expect((await requestView(w, id)).refusal).toMatch(/relayer's fee/);
  expect(w.dark.submissions).toEqual([]);

  const sent = ok<SecretOperationView>(await w.call('pri(dark.transfer)', { address: ALICE, asset: 0, to: BOB, amount: '29.99' }, popupPort()));
  await until(async () => (await operations(w)).find((o) => o.id === sent.id && o.status === 'applied'), { what: 'the transfer applied' });
  expect(w.dark.balance(ALICE)).toBe(0n);
});

test('a relayer that is down: a typed error in the approval, the form and the status; nothing is sent from the account', async () => {
  const w = await relayingWallet();
  w.dark.fund(ALICE, 100n * PHA);
  w.dark.relayUp = false;
  const page = await connect(w, [ALICE]);
  const { messageId, id } = await pageTransfer(w, page, 5n * PHA);
  const view = await requestView(w, id);
  expect(view.relay).toBeNull();
  expect(view.warning).toMatch(/^The relayer at http:\/\/127\.0\.0\.1:8000 is not reachable, so nothing was sent\. Dark Wallet does not send it from your account instead/);

  const approved = await w.call('pri(requests.approve)', { id }, popupPort());
  expect(approved?.error).toEqual({ code: 'RelayUnavailable', message: view.warning });
  const typed = await w.call('pri(dark.transfer)', { address: ALICE, asset: 0, to: BOB, amount: '5' }, popupPort());
  expect(typed?.error).toEqual({ code: 'RelayUnavailable', message: view.warning });
  const status = ok<SecretStatusView>(await w.call('pri(dark.status)', null, popupPort()));
  expect(status).toMatchObject({ state: 'verified', relay: null, relayMessage: view.warning });

  expect(w.dark.submissions).toEqual([]);
  expect(await operations(w)).toEqual([]);
  expect(page.replies(messageId)).toEqual([]); // still waiting: the user may reject it or try again
  expect(w.dark.balance(ALICE)).toBe(100n * PHA);

  w.dark.relayUp = true; // back: the same approval goes through the relayer
  ok(await w.call('pri(requests.approve)', { id }, popupPort()));
  await until(() => page.replies(messageId)[0], { what: 'the page to be answered' });
  expect(w.dark.submissions).toEqual([expect.objectContaining({ relayed: true })]);
});

test('with the relayer cleared in Settings the approval shows no fee: the operation is sent from the account', async () => {
  const w = await walletWith(['Alice', 'Bob']);
  w.dark.fund(ALICE, 100n * PHA);
  const settings = ok<NetworkSettings>(await w.call('pri(settings.get)', null, popupPort()));
  expect(settings.relayEndpoint).toBe(RELAY);
  ok(await w.call('pri(settings.save)', { ...settings, relayEndpoint: '', autoLockMinutes: 15 }, popupPort()));
  const page = await connect(w, [ALICE]);
  const { id } = await pageTransfer(w, page, 5n * PHA);
  expect((await requestView(w, id)).relay).toBeNull();
  expect(ok<SecretStatusView>(await w.call('pri(dark.status)', null, popupPort()))).toMatchObject({ relayEndpoint: null, relay: null });
});
