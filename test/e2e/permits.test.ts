/**
 * View permits in the popup, in real Chromium against the real chain and worker: Alice grants
 * Charlie a permit for GOLD's history; the permit file the popup offers lets Charlie (the SDK, his
 * own account) read exactly that; Alice revokes it after confirming (a secret command followed to
 * the worker's verdict); from then on Charlie reads nothing and Alice's history shows the revocation.
 */
import type { Page } from 'playwright-core';
import { ClientError } from '../../shared/client';
import { permitFromFile } from '../../shared/protocol/permit-file';
import { accountId, amount, type AssetId } from '../../shared/types';
import { until } from '../helpers/until';
import { aliceAndBob, closeAliceAndBob } from './helpers/alice-and-bob';
import { screenshot, type Wallet } from './helpers/browser';
import { PHA, type System } from './helpers/system';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const CHARLIE = '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y';

let system: System;
let wallet: Wallet;
let popup: Page;
let gold: AssetId;

beforeAll(async () => {
  ({ system, wallet, popup } = await aliceAndBob());
  const { client, keys: { alice, bob } } = system;
  await client.waitFor(alice, await client.convertToSecret(alice, amount(20n * PHA)), { throwOnFailure: true });
  gold = (await client.waitFor(alice, await client.issue(alice, { symbol: 'GOLD', name: 'Gold', decimals: 0, supply: amount(900) }), { throwOnFailure: true })).asset;
  await client.waitFor(alice, await client.transfer(alice, { asset: gold, dest: accountId(bob.publicKey), amount: amount(100) }), { throwOnFailure: true });
}, 200_000);

afterAll(() => closeAliceAndBob({ system, wallet, popup }));

const permitCard = () => popup.getByTestId('permit').first();

test('Alice grants Charlie a permit for GOLD history in the popup; with its file Charlie reads exactly that', async () => {
  await popup.goto(popup.url().replace(/#.*$/, `#/secret/permits/${ALICE}`));
  await popup.getByTestId('screen-permits').waitFor();
  await popup.getByTestId('permits-empty').waitFor();
  await popup.getByTestId('permit-name').fill('Tax 2026');
  await popup.getByTestId('permit-auditor').fill(CHARLIE);
  await popup.getByTestId('permit-asset-GOLD').check();
  await popup.getByTestId('permit-balances').check();
  await popup.getByTestId('permit-history').check();
  await popup.getByTestId('permit-grant').click();
  await until(async () => (await permitCard().getAttribute('data-status')) === 'active', { what: 'the granted permit' });
  expect(await permitCard().getByTestId('permit-summary').textContent()).toMatch(/^5FLS\S*…\S* may read the balances and history of GOLD until block #[\d,]+\.$/);
  await screenshot(popup, '78-permit-grant');

  const href = await permitCard().getByTestId('permit-download').getAttribute('href');
  const text = await popup.evaluate(async (url) => (await fetch(url!)).text(), href);
  const permit = permitFromFile(text);
  const view = await system.client.audit(permit, system.keys.charlie);
  expect(view.balances).toEqual([{ asset: gold, amount: 800n }]);
  expect(view.history!.map((e) => [e.kind, e.asset, e.amount])).toEqual([['Issue', gold, 900n], ['Transfer', gold, 100n]]);
}, 120_000);

test('Alice revokes it after confirming; Charlie then reads nothing, and the revocation is in her history', async () => {
  const href = await permitCard().getByTestId('permit-download').getAttribute('href');
  const permit = permitFromFile(await popup.evaluate(async (url) => (await fetch(url!)).text(), href));
  await permitCard().getByTestId('permit-revoke').click();
  await popup.getByTestId('permit-revoke-confirm').waitFor();
  await popup.getByTestId('permit-revoke-yes').click();
  await until(async () => (await permitCard().getAttribute('data-status')) === 'revoked', { what: 'the revoked permit', timeoutMs: 90_000 });
  expect(await permitCard().getByTestId('permit-summary').textContent()).toMatch(/; revoked in block #\d+\.$/);
  await screenshot(popup, '79-permit-revoke');

  const refused = await system.client.audit(permit, system.keys.charlie).then(() => null, (e: unknown) => e);
  expect(refused).toBeInstanceOf(ClientError);
  expect((refused as ClientError).reason).toBe('PermitRevoked');
  const own = await system.client.fullHistory(system.keys.alice);
  expect(own[own.length - 1]).toMatchObject({ kind: 'RevokePermit', outcome: { ok: true } });
}, 120_000);
