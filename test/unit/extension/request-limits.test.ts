/**
 * Pages cannot grow the waiting requests without bound: they live in `storage.session`, whose quota
 * the unlocked keys share, so a full queue would break imports and unlocks (seen in Chromium: ten
 * 2 MB `metadata.provide` calls filled the 10 MB quota and the next account import failed).
 */
import { cryptoWaitReady } from '@polkadot/util-crypto';
import {
  MAX_PENDING_BYTES, MAX_PENDING_BYTES_PER_ORIGIN, MAX_WAITING_PER_REQUEST,
} from '../../../extension/messages/constants';
import type { WalletState } from '../../../extension/messages/types';
import { makeWallet, ok, pagePort, popupPort, walletWith, type TestWallet } from './fakes';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const MB = 1024 * 1024;

beforeAll(() => cryptoWaitReady());

async function walletWithSites(...origins: string[]): Promise<TestWallet> {
  const w = await walletWith(['Alice']);
  for (const origin of origins) {
    await w.call('pub(authorize.tab)', { origin: 'dApp' }, pagePort(origin));
    ok(await w.call('pri(requests.approveAuthorize)', { id: w.opened.at(-1)!.split('/').at(-1)!, addresses: [ALICE] }, popupPort()));
  }
  return w;
}

/** A metadata definition of about `size` bytes (its raw metadata as hex). */
const metadata = (size: number, n: number) => ({
  chain: `Chain ${n}`, genesisHash: `0x${n.toString(16).padStart(64, '0')}` as `0x${string}`, icon: 'substrate', ss58Format: 42,
  specVersion: 1, tokenDecimals: 12, tokenSymbol: 'UNIT', types: {}, rawMetadata: `0x${'ab'.repeat(size / 2 - 1)}` as `0x${string}`,
});

const queued = async (w: TestWallet) => ok<WalletState>(await w.call('pri(wallet.subscribe)', null, popupPort())).requests;
const sessionBytes = (w: TestWallet) => [...w.platform.session.data.values()].reduce((n, v) => n + v.length, 0);

test('one site\'s waiting requests stay under their byte budget; an honest 2 MB metadata definition still fits', async () => {
  const w = await walletWithSites('https://a.example', 'https://b.example');
  const page = pagePort('https://a.example');
  expect(await w.call('pub(metadata.provide)', metadata(2 * MB - 1024, 1), page)).toBeNull(); // waits for the user
  const refused = await w.call('pub(metadata.provide)', metadata(1.5 * MB, 2), page);
  expect(refused?.error).toEqual({ code: 'TooManyRequests', message: expect.stringMatching(/over 3 MB/) });
  // Small requests still fit, and other sites are not affected.
  expect(await w.call('pub(bytes.sign)', { address: ALICE, data: '0x00', type: 'bytes' }, page)).toBeNull();
  expect(await w.call('pub(metadata.provide)', metadata(1.5 * MB, 3), pagePort('https://b.example'))).toBeNull();
  expect((await queued(w)).map((r) => r.kind)).toEqual(['metadata', 'signRaw', 'metadata']);
  expect(sessionBytes(w)).toBeLessThan(MAX_PENDING_BYTES_PER_ORIGIN + 2 * MB);
});

test('all waiting requests together stay under the overall budget, leaving room in storage.session', async () => {
  const origins = ['https://a.example', 'https://b.example', 'https://c.example'];
  const w = await walletWithSites(...origins);
  let n = 0;
  for (const origin of origins.slice(0, 2)) {
    for (let i = 0; i < 2; i++) expect(await w.call('pub(metadata.provide)', metadata(1.45 * MB, ++n), pagePort(origin))).toBeNull();
  }
  const refused = await w.call('pub(metadata.provide)', metadata(0.5 * MB, ++n), pagePort(origins[2]));
  expect(refused?.error).toEqual({ code: 'TooManyRequests', message: 'Too much is waiting for an answer in Dark Wallet. Answer the waiting requests, then try again.' });
  expect(sessionBytes(w)).toBeLessThan(MAX_PENDING_BYTES + 64 * 1024);
  // Answering frees the room again.
  ok(await w.call('pri(requests.reject)', { id: (await queued(w))[0].id }, popupPort()));
  expect(await w.call('pub(metadata.provide)', metadata(0.5 * MB, ++n), pagePort(origins[2]))).toBeNull();
});

test('a page that keeps asking to connect joins the one waiting request up to a limit, then is refused', async () => {
  const w = makeWallet();
  const page = pagePort('https://pushy.example');
  const replies = await Promise.all(Array.from({ length: 100 }, () => w.call('pub(authorize.tab)', { origin: 'Pushy' }, page)));
  expect(replies.filter((r) => r === null)).toHaveLength(MAX_WAITING_PER_REQUEST);
  for (const r of replies.filter((r) => r !== null)) expect(r?.error?.code).toBe('TooManyRequests');
  const [request] = await queued(w);
  expect(await queued(w)).toHaveLength(1);
  expect(w.opened).toHaveLength(1);
  // Cancelling answers every call that waited, once each.
  ok(await w.call('pri(requests.cancel)', { id: request.id }, popupPort()));
  const answers = page.sent.filter((r) => r.error?.code === 'Cancelled');
  expect(answers).toHaveLength(MAX_WAITING_PER_REQUEST);
  expect(new Set(answers.map((a) => a.id)).size).toBe(MAX_WAITING_PER_REQUEST);
});
