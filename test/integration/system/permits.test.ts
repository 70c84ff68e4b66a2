/**
 * View permits against the real chain and worker processes: the README's permit block run as a user
 * runs it, an auditor reading exactly the granted assets and fields through the SDK, and every way a
 * permit must read nothing — another auditor, another contract or chain, a changed permit, a field not
 * granted, expiry and revocation (from the block that applied it).
 */
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClientError, DarkClient } from '../../../shared/client';
import { expectResponse } from '../../../shared/client/query-channel';
import { signPermit } from '../../../shared/client/permits';
import { DEFAULT_CONTRACT_ID } from '../../../shared/constants';
import type { SignedPermit } from '../../../shared/protocol/permit';
import { permitFromFile } from '../../../shared/protocol/permit-file';
import { accountId, amount, NATIVE_ASSET, type AssetId } from '../../../shared/types';
import { readmeCliLines, runDarkCli } from '../helpers/dark-cli';
import { tempDir, type ChainProc, type WorkerProc } from '../helpers/processes';
import { startProcessSystem, stopProcessSystem } from '../helpers/system';

let dir: ReturnType<typeof tempDir>;
let chain: ChainProc;
let worker: WorkerProc;
let api: ApiPromise;
let client: DarkClient;
let alice: KeyringPair, bob: KeyringPair, charlie: KeyringPair;
let gold: AssetId, silver: AssetId;

const PHA = 10n ** 12n;

/** `npm run dark -- ARGS` against this test's chain and worker; permit files (`*.json`) go to the test's own folder. */
const dark = (args: string[]) => runDarkCli(args.map((a) => (a.endsWith('.json') ? join(dir.path, a) : a)), { chain: chain.url, worker: worker.url });

/** The worker's reason code for refusing `permit` to `auditor`, or 'read' when it answered. */
async function refusal(permit: SignedPermit, auditor = charlie): Promise<string> {
  try {
    await client.audit(permit, auditor);
    return 'read';
  } catch (e) {
    if (e instanceof ClientError && e.code === 'WorkerRejected' && e.reason) return e.reason;
    throw e;
  }
}

const head = async () => (await api.rpc.chain.getHeader()).number.toNumber();
const grant = async (over: Partial<Parameters<typeof signPermit>[2]> = {}, target = client.contract) => signPermit(alice, target, {
  name: 'Audit', auditor: accountId(charlie.publicKey), assets: [gold], fields: { balances: true, history: true }, expiresAtBlock: (await head()) + 10_000, ...over,
});

beforeAll(async () => {
  ({ dir, chain, worker, api } = await startProcessSystem('permits'));
  client = await DarkClient.connect({ api, workerUrl: worker.url, contractId: DEFAULT_CONTRACT_ID });
  const keyring = new Keyring({ type: 'sr25519' });
  [alice, bob, charlie] = ['//Alice', '//Bob', '//Charlie'].map((s) => keyring.addFromUri(s));
  await client.waitFor(alice, await client.convertToSecret(alice, amount(100n * PHA)), { throwOnFailure: true });
  gold = (await client.waitFor(alice, await client.issue(alice, { symbol: 'GOLD', name: 'Gold', decimals: 0, supply: amount(1000) }), { throwOnFailure: true })).asset;
  silver = (await client.waitFor(alice, await client.issue(alice, { symbol: 'SILVER', name: 'Silver', decimals: 0, supply: amount(500) }), { throwOnFailure: true })).asset;
  await client.waitFor(alice, await client.transfer(alice, { asset: gold, dest: accountId(bob.publicKey), amount: amount(250) }), { throwOnFailure: true });
  await client.waitFor(alice, await client.transfer(alice, { asset: silver, dest: accountId(bob.publicKey), amount: amount(5) }), { throwOnFailure: true });
}, 180_000);

afterAll(() => stopProcessSystem({ dir, chain, worker, api }));

test("the README's permit block: grant to Charlie, Charlie audits exactly GOLD and PHA, revoke, then Charlie reads nothing", async () => {
  const [grantArgs, auditArgs, revokeArgs] = readmeCliLines('## Auditor view permits');
  expect([grantArgs[0], auditArgs[0], revokeArgs[0]]).toEqual(['permit', 'audit', 'permit']);
  const granted = await dark(grantArgs);
  expect(granted).toMatchObject({ code: 0 });
  expect(granted.out).toMatch(/^Wrote \S*tax-2026\.json: 5FLSigC9\S+ may read the balances and history of GOLD, PHA until block #\d+\. Nothing was sent to the chain\.$/m);
  const file = permitFromFile(readFileSync(join(dir.path, 'tax-2026.json'), 'utf8'));
  expect(file.permit.assets).toEqual([NATIVE_ASSET, gold]);

  const audited = await dark(auditArgs);
  expect(audited).toMatchObject({ code: 0 });
  expect(audited.out).toMatch(/^Permit "Tax 2026" from 5Grwva\S+, readable until block #\d+:$/m);
  expect(audited.out).toMatch(/^PHA \(asset 0\): 100$/m);
  expect(audited.out).toMatch(/^GOLD \(asset \d+\): 750$/m);
  expect(audited.out).toMatch(/ Transfer 250 GOLD to 5FHneW\S+ \(ok\)$/m);
  expect(audited.out).not.toMatch(/SILVER/);

  const revoked = await dark(revokeArgs);
  expect(revoked).toMatchObject({ code: 0 });
  expect(revoked.out).toMatch(/^Revoked the permit "Tax 2026"; it reads nothing from the next block on: applied in block #\d+\.$/m);
  const after = await dark(auditArgs);
  expect(after.code).toBe(1);
  expect(after.out.trim()).toBe('The owner revoked this permit.');
  const own = await client.fullHistory(alice);
  expect(own[own.length - 1]).toMatchObject({ kind: 'RevokePermit', outcome: { ok: true } });
}, 180_000);

test('an auditor reads exactly the granted assets and fields, nothing of other assets', async () => {
  const both = await client.audit(await grant(), charlie);
  expect(both.balances).toEqual([{ asset: gold, amount: 750n }]);
  expect(both.history!.map((e) => [e.kind, e.asset, e.amount])).toEqual([['Issue', gold, 1000n], ['Transfer', gold, 250n]]);
  const balancesOnly = await client.audit(await grant({ assets: [silver], fields: { balances: true, history: false } }), charlie);
  expect(balancesOnly).toEqual({ balances: [{ asset: silver, amount: 495n }], history: null });
  const historyOnly = await client.audit(await grant({ fields: { balances: false, history: true } }), charlie);
  expect(historyOnly.balances).toBeNull();
  // Asked directly for the field it does not grant, the worker refuses.
  const r = await client.channel(charlie).query({ kind: 'AuditBalances', permit: await grant({ fields: { balances: false, history: true } }) });
  expect(r).toEqual({ kind: 'Error', code: 'NotGranted' });
  expect(() => expectResponse(r, 'Balances')).toThrow(ClientError);
}, 60_000);

test('someone else than the named auditor, another contract or chain, and a changed permit read nothing', async () => {
  const p = await grant();
  expect(await refusal(p, bob)).toBe('NotAuditor');
  expect(await refusal(p, alice)).toBe('NotAuditor');
  expect(await refusal(await grant({}, { ...client.contract, contractId: (DEFAULT_CONTRACT_ID + 1) as typeof client.contract.contractId }))).toBe('WrongContract');
  expect(await refusal(await grant({}, { ...client.contract, genesisHash: new Uint8Array(32).fill(3) }))).toBe('WrongContract');
  expect(await refusal({ ...p, permit: { ...p.permit, assets: [gold, silver].sort((a, b) => a - b) } })).toBe('BadSignature');
  expect(await refusal({ ...p, permit: { ...p.permit, expiresAtBlock: p.permit.expiresAtBlock + 1 } })).toBe('BadSignature');
  expect(await refusal({ ...p, permit: { ...p.permit, auditor: accountId(bob.publicKey) } }, bob)).toBe('BadSignature');
  expect(await refusal(p)).toBe('read');
}, 60_000);

test('a permit reads nothing once the worker applied its expiry block, and a revoked one from the block that revoked it', async () => {
  const soon = await grant({ expiresAtBlock: (await head()) + 2 });
  const revokedLater = await grant();
  expect(await refusal(soon)).toBe('read');
  // Any two blocks will do: two secret transfers from Bob.
  for (let i = 0; i < 2; i++) await client.waitFor(bob, await client.transfer(bob, { asset: gold, dest: accountId(alice.publicKey), amount: amount(1) }), { throwOnFailure: true });
  expect(await refusal(soon)).toBe('PermitExpired');

  const submitted = await client.revokePermit(alice, revokedLater.permit.id);
  const entry = await client.waitFor(alice, submitted, { throwOnFailure: true });
  expect(entry).toMatchObject({ kind: 'RevokePermit', block: submitted.blockNumber });
  expect(await refusal(revokedLater)).toBe('PermitRevoked');
  expect(await refusal(await grant())).toBe('read');
  // The revocation did not move anything.
  expect(await client.balanceOf(alice, gold)).toBe(752n);
}, 120_000);
