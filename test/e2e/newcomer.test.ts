/**
 * What a newcomer hit, in real Chromium with the built extension against the real chain and worker:
 * a public send above the balance is blocked before any fee (as typed, and with the real fee in the
 * background); a successful send ends on the fresh balance with Done, no block hash; a below-minimum
 * convert-to-public and a convert-to-secret above the public balance are form errors, not failed
 * history cards; a secret transfer above the secret balance is refused before signing.
 */
import type { Page } from 'playwright-core';
import { displayUnits } from '../../shared/units';
import { screenshot, type Wallet } from './helpers/browser';
import { freeBalance, type System } from './helpers/system';
import { until } from '../helpers/until';
import { aliceAndBob, closeAliceAndBob } from './helpers/alice-and-bob';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';

let system: System;
let wallet: Wallet;
let popup: Page;

beforeAll(async () => {
  ({ system, wallet, popup } = await aliceAndBob());
}, 150_000);

afterAll(() => closeAliceAndBob({ system, wallet, popup }));

const open = async (route: string, screen: string) => {
  await popup.goto(popup.url().replace(/#.*$/, `#/${route}`));
  await popup.getByTestId(`screen-${screen}`).waitFor();
};
const nonce = async () => (await system.api.rpc.system.accountNextIndex(ALICE)).toNumber();
const errorText = () => until(async () => (await popup.getByTestId('error').count()) > 0 && popup.getByTestId('error').textContent(), { what: 'the form error' });

test('an over-balance public send is blocked before any fee is paid', async () => {
  const [before, nonceBefore] = [await freeBalance(system.api, ALICE), await nonce()];
  await open(`send/${ALICE}`, 'send');
  await popup.getByTestId('send-available').waitFor();
  await popup.getByTestId('send-to').fill(BOB);
  await popup.getByTestId('send-amount').fill('99999999999');
  await popup.getByTestId('send-over-balance').waitFor();
  expect(await popup.getByTestId('send-submit').isDisabled()).toBe(true);
  await screenshot(popup, '60-send-over-balance');

  // Exactly the balance: the form cannot tell, the background can (the real fee and the existential deposit).
  await popup.getByTestId('send-amount').fill(displayUnits(before, 12, 12).replace(/,/g, ''));
  expect(await popup.getByTestId('send-over-balance').count()).toBe(0);
  await popup.getByTestId('send-submit').click();
  expect(await errorText()).toBe('The public balance does not cover this amount plus the network fee and the existential deposit the account must keep, so nothing was sent. Send or convert less.');
  expect(await freeBalance(system.api, ALICE)).toBe(before);
  expect(await nonce()).toBe(nonceBefore);
});

test('a sent transfer ends on the fresh balance, with Done and no block hash', async () => {
  await open(`send/${ALICE}`, 'send');
  await popup.getByTestId('send-available').waitFor();
  await popup.getByTestId('send-to').fill(BOB);
  await popup.getByTestId('send-amount').fill('1');
  await popup.getByTestId('send-submit').click();
  await popup.getByTestId('send-done').waitFor({ timeout: 60_000 });
  expect(await popup.getByTestId('send-done').textContent()).toBe(`Sent 1 PHA to ${BOB.slice(0, 6)}…${BOB.slice(-6)}.`);
  const fresh = await freeBalance(system.api, ALICE);
  await until(async () => (await popup.getByTestId('send-available').textContent()) === `Available now: ${displayUnits(fresh, 12)} PHA`,
    { what: 'the balance after the transfer and its fee', timeoutMs: 20_000, intervalMs: 100 });
  expect(await popup.getByTestId('screen-send').textContent()).not.toMatch(/block|0x[0-9a-f]{6}/i);
  await screenshot(popup, '61-send-done');
  await popup.getByTestId('send-finished').click();
  await popup.getByTestId('screen-home').waitFor();
});

test('below-minimum convert-to-public and over-balance convert-to-secret are form errors, not failed history cards', async () => {
  const nonceBefore = await nonce();
  await open(`secret/to-public/${ALICE}`, 'secret-to-public');
  await popup.getByTestId('secret-amount-input').fill('0.001');
  await popup.getByTestId('secret-submit').click();
  expect(await errorText()).toBe('That amount is below the smallest public transfer the chain allows; convert a larger amount.');

  await open(`secret/to-secret/${ALICE}`, 'secret-to-secret');
  await popup.getByTestId('public-available').waitFor();
  await popup.getByTestId('secret-amount-input').fill('99999999999');
  await popup.getByTestId('secret-submit').click();
  expect(await errorText()).toMatch(/^The public balance does not cover this amount plus the network fee/);

  await open(`secret/transfer/${ALICE}`, 'secret-transfer');
  await popup.getByTestId('secret-asset').waitFor();
  await popup.getByTestId('secret-to').fill(BOB);
  await popup.getByTestId('secret-amount-input').fill('999000');
  await until(async () => !(await popup.getByTestId('secret-submit').isDisabled()), { what: 'the form ready' });
  await popup.getByTestId('secret-submit').click();
  expect(await errorText()).toBe('The secret balance is lower than this amount, so the confidential contract would refuse it. Nothing was sent.');

  expect(await nonce()).toBe(nonceBefore);
  await open(`secret/history/${ALICE}`, 'secret-history');
  await popup.getByTestId('history-empty').waitFor();
  expect(await popup.getByTestId('activity').count()).toBe(0);
});
