/**
 * The secret-asset domain of the background, driven through `handle()` like the popup and pages do,
 * over a fake chain + worker (dark-fake.ts): statuses, balances, history, the four operations followed
 * pending → included → applied / failed, page requests behind approval with validated plaintext
 * intents, restarts of the service worker, and what is (never) stored.
 */
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { MAX_SECRET_READS_PER_ORIGIN } from '../../../extension/messages/constants';
import { NEVER_LOG, type MessageType } from '../../../extension/messages/registry';
import type {
  SecretActivityView, SecretBalanceView, SecretOperationView, SecretRequestView, SecretStatusView, WalletState,
} from '../../../extension/messages/types';
import type { SecretOperationResult } from '../../../extension/page/types';
import { MAX_AUTOMATIC_ATTEMPTS } from '../../../extension/background/secret/follower';
import { accountId } from '../../../shared/types';
import { until } from '../../helpers/until';
import { PASSWORD, ok, pagePort, popupPort, walletWith, type FakePort, type TestWallet } from './fakes';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const CHARLIE = '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y';
const DAPP = 'https://dapp.example';
const PHA = 10n ** 12n;

beforeAll(() => cryptoWaitReady());

const wallet = (): Promise<TestWallet> => walletWith(['Alice', 'Bob']);

/** Connects DAPP with `addresses`. */
async function connect(w: TestWallet, addresses: string[], origin = DAPP, tabId = 7): Promise<FakePort> {
  const page = pagePort(origin, tabId);
  await w.call('pub(authorize.tab)', { origin: 'dApp' }, page);
  ok(await w.call('pri(requests.approveAuthorize)', { id: w.opened.at(-1)!.split('/').at(-1)!, addresses }, popupPort()));
  return page;
}

const operations = async (w: TestWallet) => ok<SecretOperationView[]>(await w.call('pri(dark.operations)', null, popupPort()));

/** The operation once the background has its verdict (applied or failed). */
const finished = (w: TestWallet, id: string) =>
  until(async () => (await operations(w)).find((o) => o.id === id && (o.status === 'applied' || o.status === 'failed')), { what: `operation ${id} to finish` });

async function requestIds(w: TestWallet): Promise<string[]> {
  return ok<WalletState>(await w.call('pri(wallet.subscribe)', null, popupPort())).requests.map((r) => r.id);
}

/** Sends a page message; returns its message id (the answer comes later, or now as an error). */
async function ask(w: TestWallet, page: FakePort, type: MessageType, request: unknown): Promise<string> {
  const messageId = `m${Math.random()}`;
  await w.bg.handle(messageId, type, request, page);
  return messageId;
}

describe('worker trust status', () => {
  test('a verified key shows its attestation label and the worker block', async () => {
    const w = await wallet();
    const status = ok<SecretStatusView>(await w.call('pri(dark.status)', null, popupPort()));
    expect(status).toMatchObject({ state: 'verified', message: null, attestationLabel: 'development attestation — not hardware protected', hardwareProtected: false, workerBlock: 10 });
  });

  test('an untrusted key, an unreachable worker and an impostor worker each say so in a sentence', async () => {
    const w = await wallet();
    w.dark.trusted = false;
    let status = ok<SecretStatusView>(await w.call('pri(dark.status)', null, popupPort()));
    expect(status.state).toBe('untrusted');
    expect(status.message).toMatch(/^Dark Wallet does not trust the confidential worker's key \(no worker is registered for contract 1\), so it sends nothing to it/);
    const refused = await w.call('pri(dark.balances)', { address: ALICE }, popupPort());
    expect(refused?.error?.code).toBe('UntrustedWorker');

    w.dark.trusted = true;
    w.dark.workerUp = false;
    status = ok<SecretStatusView>(await w.call('pri(dark.status)', null, popupPort()));
    expect(status).toMatchObject({ state: 'unreachable', attestationLabel: 'development attestation — not hardware protected' });
    expect(status.message).toBe("None of the contract's confidential workers on this chain is reachable. Check your connection, or pin a worker endpoint in Settings.");
    expect((await w.call('pri(dark.balances)', { address: ALICE }, popupPort()))?.error?.code).toBe('WorkerUnavailable');

    w.dark.workerUp = true;
    status = ok<SecretStatusView>(await w.call('pri(dark.status)', null, popupPort()));
    // How many attested workers serve the contract, which one answered; no checkpoint pallet on this chain: no alarm.
    expect(status).toMatchObject({ state: 'verified', workers: 1, answeredBy: 'http://127.0.0.1:8000', checkpoints: { state: 'none' } });
    // A second worker registers for the contract: the next status counts it, without reconnecting.
    const resets = w.dark.resets;
    w.dark.joinedWorkers = 1;
    status = ok<SecretStatusView>(await w.call('pri(dark.status)', null, popupPort()));
    expect(status).toMatchObject({ state: 'verified', workers: 2 });
    expect(w.dark.resets).toBe(resets);

    w.dark.impostor = true;
    status = ok<SecretStatusView>(await w.call('pri(dark.status)', null, popupPort()));
    expect(status.state).toBe('untrusted');
    expect(status.message).toMatch(/does not hold the contract key attested on this chain/);
  });

  test('locking drops the client (and its query sessions); a new worker endpoint reconnects', async () => {
    const w = await wallet();
    const before = w.dark.resets;
    ok(await w.call('pri(wallet.lock)', null, popupPort()));
    await until(() => w.dark.resets > before, { what: 'the client to be dropped' });
    expect((await w.call('pri(dark.balances)', { address: ALICE }, popupPort()))?.error?.code).toBe('Locked');
    ok(await w.call('pri(wallet.unlock)', { password: PASSWORD }, popupPort()));
    const resets = w.dark.resets;
    const settings = ok<{ chainEndpoint: string; workerEndpoint: string; autoLockMinutes: 15 }>(await w.call('pri(settings.get)', null, popupPort()));
    ok(await w.call('pri(settings.save)', { ...settings, workerEndpoint: 'http://127.0.0.1:8001' }, popupPort()));
    expect(w.dark.resets).toBe(resets + 1);
  });
});

describe('operations from the popup', () => {
  test('convert to secret: pending → included → applied; balance and history follow', async () => {
    const w = await wallet();
    let release!: () => void;
    w.dark.gate = new Promise((r) => { release = r; });
    const op = ok<SecretOperationView>(await w.call('pri(dark.convertToSecret)', { address: ALICE, amount: '100' }, popupPort()));
    expect(op).toMatchObject({ status: 'pending', op: 'convertToSecret', amount: (100n * PHA).toString(), symbol: 'PHA', decimals: 12, origin: null });
    // Under way: the history shows it on top, before the worker knows anything.
    const early = ok<SecretActivityView[]>(await w.call('pri(dark.history)', { address: ALICE }, popupPort()));
    expect(early[0]).toMatchObject({ id: op.id, kind: 'Deposit', status: 'pending', block: null });
    release();
    w.dark.gate = null;
    const done = await finished(w, op.id);
    expect(done).toMatchObject({ status: 'applied', block: 11, asset: 0, reason: null });
    expect(done.ref).toBe(w.dark.historyOf(ALICE)[0].ref);
    const balances = ok<SecretBalanceView[]>(await w.call('pri(dark.balances)', { address: ALICE }, popupPort()));
    expect(balances).toEqual([{ id: 0, symbol: 'PHA', name: 'Secret PHA', decimals: 12, issuer: null, amount: (100n * PHA).toString() }]);
    const history = ok<SecretActivityView[]>(await w.call('pri(dark.history)', { address: ALICE }, popupPort()));
    expect(history).toEqual([expect.objectContaining({ kind: 'Deposit', status: 'applied', block: 11, amount: (100n * PHA).toString(), symbol: 'PHA' })]);
  });

  test('secret transfer: the recipient sees it; a transfer beyond the balance is a form error, and nothing is sent', async () => {
    const w = await wallet();
    w.dark.fund(ALICE, 100n * PHA);
    const sent = ok<SecretOperationView>(await w.call('pri(dark.transfer)', { address: ALICE, asset: 0, to: BOB, amount: '30' }, popupPort()));
    expect(await finished(w, sent.id)).toMatchObject({ status: 'applied', to: BOB, amount: (30n * PHA).toString() });
    const bob = ok<SecretActivityView[]>(await w.call('pri(dark.history)', { address: BOB }, popupPort()));
    expect(bob).toEqual([expect.objectContaining({ kind: 'Transfer', direction: 'In', counterparty: ALICE, counterpartyName: 'Alice', status: 'applied' })]);
    expect(ok<SecretBalanceView[]>(await w.call('pri(dark.balances)', { address: BOB }, popupPort()))[0].amount).toBe((30n * PHA).toString());

    const submitted = w.dark.submissions.length;
    const tooMuch = await w.call('pri(dark.transfer)', { address: ALICE, asset: 0, to: BOB, amount: '1000' }, popupPort());
    expect(tooMuch?.error).toEqual({ code: 'InvalidInput', message: 'The secret balance is lower than this amount, so the confidential contract would refuse it. Nothing was sent.' });
    expect(w.dark.submissions).toHaveLength(submitted);
    expect((await operations(w)).map((o) => o.status)).toEqual(['applied']); // no failed card for what was never sent
  });

  test('typed amounts and recipients are checked before anything is sent', async () => {
    const w = await wallet();
    const cases: [MessageType, unknown, RegExp][] = [
      ['pri(dark.transfer)', { address: ALICE, asset: 0, to: BOB, amount: '0' }, /greater than zero, with at most 12 decimals/],
      ['pri(dark.transfer)', { address: ALICE, asset: 0, to: BOB, amount: '1.0000000000001' }, /at most 12 decimals/],
      ['pri(dark.transfer)', { address: ALICE, asset: 0, to: 'not an address', amount: '1' }, /^The recipient is not a valid address\. Check it and try again\.$/],
      ['pri(dark.transfer)', { address: ALICE, asset: 0, to: ALICE, amount: '1' }, /recipient is the sending account/],
      ['pri(dark.transfer)', { address: ALICE, asset: 9, to: BOB, amount: '1' }, /Choose one of the secret assets/],
      ['pri(dark.convertToSecret)', { address: ALICE, amount: '-1' }, /greater than zero/],
      ['pri(dark.issue)', { address: ALICE, symbol: 'TOO LONG SYMBOL', name: 'x', decimals: 2, supply: '1' }, /symbol of 1 to 12 ASCII letters and digits, starting with a letter, like GOLD/],
      ['pri(dark.issue)', { address: ALICE, symbol: 'GOLD', name: 'x'.repeat(33), decimals: 2, supply: '1' }, /name of 1 to 32 bytes/],
      ['pri(dark.issue)', { address: ALICE, symbol: 'GOLD', name: 'Gold', decimals: 39, supply: '1' }, /^Decimals is a whole number from 0 to 38, like 12\.$/],
      ['pri(dark.issue)', { address: ALICE, symbol: 'pha', name: 'Fake', decimals: 2, supply: '1' }, /already uses the symbol pha/],
    ];
    for (const [type, request, message] of cases) {
      const reply = await w.call(type, request as never, popupPort());
      expect(reply?.error?.code).toBe('InvalidInput');
      expect(reply?.error?.message).toMatch(message);
    }
    expect(w.dark.submissions).toEqual([]);
  });

  test('issue: the new asset id is known once applied; the asset is listed and held', async () => {
    const w = await wallet();
    const op = ok<SecretOperationView>(await w.call('pri(dark.issue)', { address: ALICE, symbol: 'GOLD', name: 'Gold', decimals: 2, supply: '1000' }, popupPort()));
    expect(op).toMatchObject({ status: 'pending', asset: null, symbol: 'GOLD', decimals: 2, amount: '100000', name: 'Gold' });
    expect(await finished(w, op.id)).toMatchObject({ status: 'applied', asset: 1 });
    expect(ok(await w.call('pri(dark.assets)', null, popupPort()))).toContainEqual({ id: 1, symbol: 'GOLD', name: 'Gold', decimals: 2, issuer: null });
    // The issuer is named in the issuer's own balances only (asked through its own session).
    expect(ok<SecretBalanceView[]>(await w.call('pri(dark.balances)', { address: ALICE }, popupPort()))).toContainEqual(expect.objectContaining({ id: 1, symbol: 'GOLD', amount: '100000', issuer: ALICE }));
    expect(ok<SecretBalanceView[]>(await w.call('pri(dark.balances)', { address: BOB }, popupPort()))).toContainEqual(expect.objectContaining({ id: 1, symbol: 'GOLD', amount: '0', issuer: null }));
  });

  test('convert to public: to another address; the chain refusing ends the operation with a sentence', async () => {
    const w = await wallet();
    w.dark.fund(BOB, 50n * PHA);
    const op = ok<SecretOperationView>(await w.call('pri(dark.convertToPublic)', { address: BOB, to: CHARLIE, amount: '10' }, popupPort()));
    expect(await finished(w, op.id)).toMatchObject({ status: 'applied', to: CHARLIE });
    const self = ok<SecretOperationView>(await w.call('pri(dark.convertToPublic)', { address: BOB, to: '', amount: '1' }, popupPort()));
    expect(self.to).toBe(BOB);
    await finished(w, self.id);

    w.dark.refuseNext = true;
    const refused = ok<SecretOperationView>(await w.call('pri(dark.convertToSecret)', { address: BOB, amount: '5' }, popupPort()));
    const done = await finished(w, refused.id);
    expect(done).toMatchObject({ status: 'failed', block: null });
    expect(done.reason).toBe('The public balance is too low for this amount. Send or convert less.');
    // It never reached the ledger, so the history shows it from the wallet's own record.
    const history = ok<SecretActivityView[]>(await w.call('pri(dark.history)', { address: BOB }, popupPort()));
    expect(history[0]).toMatchObject({ id: refused.id, status: 'failed', kind: 'Deposit' });
  });

  test('operations are pushed to subscribers as their status changes', async () => {
    const w = await wallet();
    const port = popupPort();
    await w.call('pri(dark.operations)', null, port);
    const op = ok<SecretOperationView>(await w.call('pri(dark.convertToSecret)', { address: ALICE, amount: '1' }, popupPort()));
    await finished(w, op.id);
    const pushed = port.sent.filter((m) => m.subscription !== undefined).map((m) => (m.subscription as SecretOperationView[]).find((o) => o.id === op.id)?.status);
    expect(pushed).toEqual(expect.arrayContaining(['pending', 'included', 'applied']));
  });
});

describe('operations from pages', () => {
  test('balances and history of the site\'s accounts answer without approval; other accounts do not', async () => {
    const w = await wallet();
    w.dark.fund(BOB, 7n * PHA);
    const page = await connect(w, [BOB]);
    const noAddress = await ask(w, page, 'pub(dark.balances)', {});
    expect(page.replies(noAddress)[0].response).toEqual([{ asset: 0, symbol: 'PHA', name: 'Secret PHA', decimals: 12, amount: (7n * PHA).toString() }]);
    const history = await ask(w, page, 'pub(dark.history)', { address: BOB, from: 0, limit: 10 });
    expect(page.replies(history)[0].response).toEqual([]);
    const alice = await ask(w, page, 'pub(dark.balances)', { address: ALICE });
    expect(page.replies(alice)[0].error?.code).toBe('NotAuthorized');
    const stranger = pagePort('https://stranger.example', 8);
    const refused = await ask(w, stranger, 'pub(dark.balances)', {});
    expect(stranger.replies(refused)[0].error?.code).toBe('NotAuthorized');
    expect(w.opened.filter((p) => p.includes('dark'))).toEqual([]);
  });

  test('a page flooding secret reads gets TooManyRequests beyond the in-flight cap, per site, and can read again once answered', async () => {
    const w = await wallet();
    w.dark.fund(BOB, 7n * PHA);
    const page = await connect(w, [BOB]);
    const other = await connect(w, [BOB], 'https://other.example', 9);
    let open!: () => void;
    w.dark.readGate = new Promise((r) => (open = r));
    const asks = Array.from({ length: 10 }, (_, i) => w.bg.handle(`flood${i}`, i % 2 ? 'pub(dark.history)' : 'pub(dark.balances)', { address: BOB }, page));
    const refusedCount = () => Array.from({ length: 10 }, (_, i) => page.replies(`flood${i}`)[0]?.error?.code).filter(Boolean).length;
    await until(() => refusedCount() === 10 - MAX_SECRET_READS_PER_ORIGIN && w.dark.readsWaiting === MAX_SECRET_READS_PER_ORIGIN, { what: 'the flood to be split' });
    const refused = Array.from({ length: 10 }, (_, i) => page.replies(`flood${i}`)[0]?.error?.code).filter(Boolean);
    expect(refused).toEqual(Array(10 - MAX_SECRET_READS_PER_ORIGIN).fill('TooManyRequests'));
    // Another site is not held back by this one's flood: its read reaches the worker too.
    const otherAsk = w.bg.handle('other', 'pub(dark.balances)', { address: BOB }, other);
    await until(() => w.dark.readsWaiting === MAX_SECRET_READS_PER_ORIGIN + 1, { what: "the other site's read to reach the worker" });
    expect(other.replies('other')).toEqual([]);
    open();
    await Promise.all([...asks, otherAsk]);
    const answered = Array.from({ length: 10 }, (_, i) => page.replies(`flood${i}`)[0]).filter((r) => r.response !== undefined);
    expect(answered).toHaveLength(MAX_SECRET_READS_PER_ORIGIN);
    expect(other.replies('other')[0].response).toHaveLength(1);
    w.dark.readGate = null;
    const again = await ask(w, page, 'pub(dark.balances)', { address: BOB });
    expect(page.replies(again)[0].response).toHaveLength(1);
  });

  test('a transfer waits for approval showing the plaintext intent, then resolves with the ledger\'s verdict', async () => {
    const w = await wallet();
    w.dark.fund(ALICE, 100n * PHA);
    const page = await connect(w, [ALICE]);
    const messageId = await ask(w, page, 'pub(dark.transfer)', { address: ALICE, asset: 0, to: BOB, amount: (30n * PHA).toString() });
    expect(page.replies(messageId)).toEqual([]);
    const [id] = await requestIds(w);
    expect(id).toMatch(/^darkTransfer\./);
    expect(w.opened.at(-1)).toBe(`popup.html#/darkTransfer/${id}`);
    const view = ok<SecretRequestView>(await w.call('pri(requests.get)', { id }, popupPort()));
    expect(view).toMatchObject({
      kind: 'darkTransfer', origin: DAPP, address: ALICE, amountText: '30 PHA', to: BOB, toName: 'Bob',
      asset: { id: 0, symbol: 'PHA', decimals: 12 }, attestationLabel: 'development attestation — not hardware protected', warning: null, refusal: null,
    });
    expect(w.dark.submissions).toEqual([]); // nothing is sealed or sent before the user says so

    ok(await w.call('pri(requests.approve)', { id }, popupPort()));
    const answer = await until(() => page.replies(messageId)[0], { what: 'the page to be answered' });
    const result = answer.response as SecretOperationResult;
    expect(result).toMatchObject({ status: 'applied', block: w.dark.historyOf(ALICE).at(-1)!.block });
    expect(result.error).toBeUndefined();
    expect(result.blockHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(result.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(result.ref).toBe(w.dark.historyOf(ALICE).at(-1)!.ref);
    expect(w.dark.balance(BOB)).toBe(30n * PHA);
    expect(await requestIds(w)).toEqual([]);
    expect(w.closedWindows.length).toBeGreaterThan(0);
    const [op] = await operations(w);
    expect(await finished(w, op.id)).toMatchObject({ status: 'applied', origin: DAPP });
    const history = ok<SecretActivityView[]>(await w.call('pri(dark.history)', { address: ALICE }, popupPort()));
    expect(history[0]).toMatchObject({ kind: 'Transfer', origin: DAPP, counterpartyName: 'Bob' });
  });

  test('a transfer above the secret balance: the approval says why and cannot be approved; nothing is sent', async () => {
    const w = await wallet();
    w.dark.fund(ALICE, 10n * PHA);
    const page = await connect(w, [ALICE]);
    const messageId = await ask(w, page, 'pub(dark.transfer)', { address: ALICE, asset: 0, to: BOB, amount: (999_000n * PHA).toString() });
    const [id] = await requestIds(w);
    const view = ok<SecretRequestView>(await w.call('pri(requests.get)', { id }, popupPort()));
    expect(view.refusal).toBe('The secret balance is lower than this amount, so the confidential contract would refuse it. Nothing was sent.');
    const approved = await w.call('pri(requests.approve)', { id }, popupPort());
    expect(approved?.error).toMatchObject({ code: 'InvalidInput', message: view.refusal });
    expect(w.dark.submissions).toEqual([]);
    expect(page.replies(messageId)).toEqual([]); // still waiting for the user to reject it
    expect(await requestIds(w)).toEqual([id]);
  });

  test("approved operations the balance cannot both cover: the second resolves as failed with the ledger's reason", async () => {
    const w = await wallet();
    w.dark.fund(ALICE, 100n * PHA);
    const page = await connect(w, [ALICE]);
    let release!: () => void;
    w.dark.gate = new Promise((r) => { release = r; }); // both are approved before either reaches the ledger
    const first = await ask(w, page, 'pub(dark.transfer)', { address: ALICE, asset: 0, to: BOB, amount: (60n * PHA).toString() });
    const second = await ask(w, page, 'pub(dark.transfer)', { address: ALICE, asset: 0, to: BOB, amount: (60n * PHA).toString() });
    for (const id of await requestIds(w)) ok(await w.call('pri(requests.approve)', { id }, popupPort()));
    expect(page.replies(first)).toEqual([]);
    release();
    w.dark.gate = null;
    const answers = await until(() => page.replies(first)[0] && page.replies(second)[0] && [page.replies(first)[0], page.replies(second)[0]], { what: 'both verdicts' });
    expect(answers.map((a) => (a.response as SecretOperationResult).status)).toEqual(['applied', 'failed']);
    expect(answers[1].response).toMatchObject({ status: 'failed', error: 'InsufficientBalance', reason: 'Not enough secret balance.' });
    expect(w.dark.balance(BOB)).toBe(60n * PHA);
  });

  test('a rejected operation answers Rejected and sends nothing', async () => {
    const w = await wallet();
    const page = await connect(w, [ALICE]);
    const messageId = await ask(w, page, 'pub(dark.convertToSecret)', { address: ALICE, amount: '5' });
    const [id] = await requestIds(w);
    ok(await w.call('pri(requests.reject)', { id }, popupPort()));
    expect(page.replies(messageId)[0].error?.code).toBe('Rejected');
    expect(w.dark.submissions).toEqual([]);
    expect(await operations(w)).toEqual([]);
  });

  test('hostile inputs are refused before anything is queued', async () => {
    const w = await wallet();
    const page = await connect(w, [ALICE]);
    const bad: [MessageType, unknown][] = [
      ['pub(dark.transfer)', { asset: 0, to: BOB, amount: '-1' }],
      ['pub(dark.transfer)', { asset: 0, to: BOB, amount: '1e18' }],
      ['pub(dark.transfer)', { asset: 0, to: BOB, amount: 5 }],
      ['pub(dark.transfer)', { asset: 0, to: BOB, amount: '0' }],
      ['pub(dark.transfer)', { asset: 0, to: BOB, amount: (1n << 128n).toString() }],
      ['pub(dark.transfer)', { asset: 0, to: BOB, amount: '1'.repeat(41) }],
      ['pub(dark.transfer)', { asset: -1, to: BOB, amount: '1' }],
      ['pub(dark.transfer)', { asset: 2 ** 32, to: BOB, amount: '1' }],
      ['pub(dark.transfer)', { asset: 7, to: BOB, amount: '1' }], // no such asset
      ['pub(dark.transfer)', { asset: 0, to: 'x'.repeat(5000), amount: '1' }],
      ['pub(dark.transfer)', { asset: 0, to: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ', amount: '1' }],
      ['pub(dark.transfer)', { address: ALICE, asset: 0, to: ALICE, amount: '1' }],
      ['pub(dark.transfer)', 'not an object'],
      ['pub(dark.convertToPublic)', { amount: '1' }],
      ['pub(dark.issue)', { symbol: 'G O', name: 'Gold', decimals: 2, supply: '1' }],
      ['pub(dark.issue)', { symbol: 'GOLD\u0000', name: 'Gold', decimals: 2, supply: '1' }],
      ['pub(dark.issue)', { symbol: 'GOLD', name: 'Go\u0007ld', decimals: 2, supply: '1' }],
      ['pub(dark.issue)', { symbol: 'GOLD', name: 'é'.repeat(17), decimals: 2, supply: '1' }],
      ['pub(dark.issue)', { symbol: 'GOLD', name: 'Gold', decimals: 2.5, supply: '1' }],
      ['pub(dark.issue)', { symbol: 'GOLD', name: 'Gold', decimals: 2, supply: '0' }],
      ['pub(dark.history)', { limit: 1000 }],
      ['pub(dark.history)', { from: -1 }],
    ];
    for (const [type, request] of bad) {
      const messageId = await ask(w, page, type, request);
      expect([type, request, page.replies(messageId)[0]?.error?.code]).toEqual([type, request, 'InvalidInput']);
    }
    const notMine = await ask(w, page, 'pub(dark.transfer)', { address: BOB, asset: 0, to: ALICE, amount: '1' });
    expect(page.replies(notMine)[0].error?.code).toBe('NotAuthorized');
    expect(await requestIds(w)).toEqual([]);
  });

  test('no address: the user picks one of the site\'s accounts in the approval window', async () => {
    const w = await wallet();
    w.dark.fund(BOB, 10n * PHA);
    const page = await connect(w, [ALICE, BOB]);
    const messageId = await ask(w, page, 'pub(dark.convertToPublic)', { to: CHARLIE, amount: (2n * PHA).toString() });
    const [id] = await requestIds(w);
    const view = ok<SecretRequestView>(await w.call('pri(requests.get)', { id }, popupPort()));
    expect(view).toMatchObject({ address: null, accounts: [{ address: ALICE, name: 'Alice' }, { address: BOB, name: 'Bob' }], amountText: '2 PHA', to: CHARLIE, toName: null });
    const notGranted = await w.call('pri(requests.approve)', { id, address: CHARLIE }, popupPort());
    expect(notGranted?.error?.code).toBe('NotAuthorized');
    // Choosing an account the site was not granted ends the request: the site is told too.
    expect(page.replies(messageId)[0].error?.code).toBe('NotAuthorized');

    const again = await ask(w, page, 'pub(dark.convertToPublic)', { to: CHARLIE, amount: (2n * PHA).toString() });
    const [second] = await requestIds(w);
    ok(await w.call('pri(requests.approve)', { id: second, address: BOB }, popupPort()));
    await until(() => page.replies(again)[0], { what: 'the page to be answered' });
    expect(w.dark.submissions).toEqual([expect.objectContaining({ op: 'convertToPublic', sender: accountId(BOB) })]);
  });

  test('a locked wallet or an untrusted worker keeps the request waiting; a double approval sends once', async () => {
    const w = await wallet();
    w.dark.fund(ALICE, 10n * PHA);
    const page = await connect(w, [ALICE]);
    const messageId = await ask(w, page, 'pub(dark.issue)', { address: ALICE, symbol: 'GOLD', name: 'Gold', decimals: 0, supply: '500' });
    const [id] = await requestIds(w);
    expect(ok<SecretRequestView>(await w.call('pri(requests.get)', { id }, popupPort()))).toMatchObject({ kind: 'darkIssue', amountText: '500 GOLD', intent: { op: 'issue', symbol: 'GOLD', name: 'Gold', decimals: 0, supply: '500' } });

    ok(await w.call('pri(wallet.lock)', null, popupPort()));
    expect((await w.call('pri(requests.approve)', { id }, popupPort()))?.error?.code).toBe('Locked');
    ok(await w.call('pri(wallet.unlock)', { password: PASSWORD }, popupPort()));
    w.dark.trusted = false;
    expect((await w.call('pri(requests.approve)', { id }, popupPort()))?.error?.code).toBe('UntrustedWorker');
    const warned = ok<SecretRequestView>(await w.call('pri(requests.get)', { id }, popupPort()));
    expect(warned.warning).toMatch(/does not trust the confidential worker/);
    expect(await requestIds(w)).toEqual([id]);
    expect(page.replies(messageId)).toEqual([]);

    w.dark.trusted = true;
    await Promise.all([w.call('pri(requests.approve)', { id }, popupPort()), w.call('pri(requests.approve)', { id }, popupPort())]);
    await until(() => page.replies(messageId)[0], { what: 'the page to be answered' });
    expect(w.dark.submissions).toHaveLength(1);
  });
});

/** Fires the follower's retries as their time comes, until the operation is `unconfirmed`. */
const unconfirmed = (w: TestWallet, id: string) => until(async () => {
  w.timer.fire();
  return (await operations(w)).find((o) => o.id === id && o.status === 'unconfirmed');
}, { what: `operation ${id} to be unconfirmed` });

describe('an operation whose verdict cannot be read', () => {
  test('after the last automatic attempt it shows the reason and a retry; the retry follows it to its verdict', async () => {
    const w = await wallet();
    w.dark.fund(ALICE, 100n * PHA);
    w.dark.waitForFails = true; // the worker does not answer about it
    const sent = ok<SecretOperationView>(await w.call('pri(dark.transfer)', { address: ALICE, asset: 0, to: BOB, amount: '1' }, popupPort()));
    const stuck = await unconfirmed(w, sent.id);
    expect(stuck).toMatchObject({
      status: 'unconfirmed', block: 11,
      reason: "None of the contract's confidential workers on this chain is reachable. Check your connection, or pin a worker endpoint in Settings.",
    });
    expect(w.dark.waitForCalls).toBe(MAX_AUTOMATIC_ATTEMPTS);
    expect(w.timer.pending).toBe(0); // no further automatic attempt: it waits for the user
    // A retry while the worker is still away ends the same way, after as many attempts again.
    const retryTooSoon = ok<SecretOperationView>(await w.call('pri(dark.retry)', { id: sent.id }, popupPort()));
    expect(retryTooSoon).toMatchObject({ id: sent.id, status: 'included', reason: null });
    expect((await unconfirmed(w, sent.id)).reason).toMatch(/is reachable/);
    expect(w.dark.waitForCalls).toBe(2 * MAX_AUTOMATIC_ATTEMPTS);

    w.dark.workerUp = true;
    w.dark.waitForFails = false;
    const retried = ok<SecretOperationView>(await w.call('pri(dark.retry)', { id: sent.id }, popupPort()));
    expect(retried).toMatchObject({ id: sent.id, status: 'included', reason: null });
    expect(await finished(w, sent.id)).toMatchObject({ status: 'applied', reason: null });
  });

  test('a retry of an operation the wallet no longer follows says so', async () => {
    const w = await wallet();
    const reply = await w.call('pri(dark.retry)', { id: 'op.gone' }, popupPort());
    expect(reply?.error).toEqual({ code: 'InvalidInput', message: 'Dark Wallet no longer follows this operation. Check your secret history.' });
  });
});

describe('service-worker restarts', () => {
  test('an included operation is followed to its verdict by the next worker; a half-sent one ends with a sentence', async () => {
    const w = await wallet();
    w.dark.fund(ALICE, 100n * PHA);
    w.dark.waitForFails = true; // the worker lags: the operation stays included
    const page = await connect(w, [ALICE]);
    const included = ok<SecretOperationView>(await w.call('pri(dark.transfer)', { address: ALICE, asset: 0, to: BOB, amount: '1' }, popupPort()));
    await until(async () => (await operations(w))[0].status === 'included', { what: 'the transfer to be included' });

    // A page request approved while the chain hangs: the worker stops before it is included.
    let release!: () => void;
    w.dark.gate = new Promise((r) => { release = r; });
    const messageId = await ask(w, page, 'pub(dark.convertToSecret)', { address: ALICE, amount: PHA.toString() });
    const [id] = await requestIds(w);
    ok(await w.call('pri(requests.approve)', { id }, popupPort()));
    expect((await operations(w)).map((o) => o.status)).toEqual(['included', 'pending']);

    w.dark.waitForFails = false;
    w.restart(); // a new instance over the same session storage; the old one is gone
    const ops = await until(async () => {
      const list = await operations(w);
      return list.every((o) => o.status === 'applied' || o.status === 'failed') ? list : null;
    }, { what: 'both operations to finish' });
    expect(ops.find((o) => o.id === included.id)).toMatchObject({ status: 'applied' });
    expect(ops.find((o) => o.op === 'convertToSecret')).toMatchObject({ status: 'failed', reason: expect.stringMatching(/restarted before the chain confirmed/) });
    // The page was still waiting: it learns the same (through its tab, as its port belonged to the old worker).
    const delivered = w.tabDeliveries.find((d) => d.message.reply.id === messageId);
    expect(delivered?.message.reply.error?.code ?? page.replies(messageId)[0]?.error?.code).toBe('TransactionFailed');
    release();
  });

  test('session storage holds the operations but never a key, a password or a seed', async () => {
    const w = await wallet();
    const op = ok<SecretOperationView>(await w.call('pri(dark.convertToSecret)', { address: ALICE, amount: '1' }, popupPort()));
    await finished(w, op.id);
    const stored = JSON.parse(w.platform.session.data.get('secretOperations')!) as Record<string, unknown>[];
    expect(stored).toHaveLength(1);
    expect(Object.keys(stored[0]).sort()).toEqual([
      'address', 'amount', 'asset', 'atBlock', 'block', 'blockHash', 'createdAt', 'decimals', 'extrinsicIndex', 'finishedAt', 'id', 'name', 'op',
      'origin', 'reason', 'ref', 'status', 'symbol', 'targets', 'to', 'txHash',
    ]);
    expect(w.platform.local.dump()).not.toContain('secretOperations');
    expect(w.platform.session.data.get('secretOperations')).not.toContain(PASSWORD);
  });
});

test('every secret-asset message is on the never-log list', () => {
  const dark: MessageType[] = [
    'pub(dark.balances)', 'pub(dark.history)', 'pub(dark.transfer)', 'pub(dark.convertToSecret)', 'pub(dark.convertToPublic)', 'pub(dark.issue)',
    'pri(dark.balances)', 'pri(dark.history)', 'pri(dark.operations)', 'pri(dark.retry)', 'pri(dark.convertToSecret)', 'pri(dark.convertToPublic)',
    'pri(dark.transfer)', 'pri(dark.issue)', 'pri(requests.get)',
  ];
  for (const t of dark) expect([t, NEVER_LOG.has(t)]).toEqual([t, true]);
});
