/**
 * View permits in the enclave: an auditor reads exactly the granted assets and fields of the owner,
 * through the auditor's own session; anyone else, another chain or contract, a changed permit, a
 * revoked or expired one reads nothing, with a typed error. A permit never acts as a command or as
 * any other signed message.
 */
import type { KeyringPair } from '@polkadot/keyring/types';
import { Enclave, EnclaveSecret } from '../../../contract/enclave';
import { signAsAccount, verifyAccountSignature } from '../../../shared/crypto/account-signature';
import { encodeSignedPermit, permitMessage, type SignedPermit, type ViewPermit } from '../../../shared/protocol/permit';
import { openSessionMessage, signedQueryMessage, type Query, type QueryResponse } from '../../../shared/protocol/query';
import { signPermit, type PermitGrant } from '../../../shared/client/permits';
import { encodeQuery } from '../../../shared/protocol/query';
import { sealFrame } from '../../../shared/crypto/session';
import { hash32, toHex } from '../../../shared/types';
import {
  BlockBuilder, CONFIG, CONTRACT, Feeder, accounts, amt, ask, asset, historyOf, idOf, newEnclave, openSession, seal, signedRequest, target,
  type Accounts, type SessionClient,
} from './helpers';

let acc: Accounts;
let e: Enclave;
const secret = EnclaveSecret.generate();
let feed: Feeder;
let auditor: SessionClient;

const GRANT = (over: Partial<PermitGrant> = {}): PermitGrant => ({
  name: 'Tax 2026', auditor: idOf(acc.charlie), assets: [asset(1)], fields: { balances: true, history: true }, expiresAtBlock: 1000, ...over,
});
const grant = (over: Partial<PermitGrant> = {}, owner: KeyringPair = acc.alice): SignedPermit => signPermit(owner, target(e), GRANT(over));
const balancesWith = (permit: SignedPermit, s = auditor): QueryResponse => s.ask(e, { kind: 'AuditBalances', permit });
const historyWith = (permit: SignedPermit, s = auditor): QueryResponse => s.ask(e, { kind: 'AuditHistory', permit, from: 0, limit: 100 });
const refused = (code: string) => ({ kind: 'Error', code });

beforeAll(async () => {
  acc = await accounts();
  e = await newEnclave(secret);
  feed = new Feeder();
  const [alice, bob, dave] = [idOf(acc.alice), idOf(acc.bob), idOf(acc.dave)];
  await feed.feed(e, new BlockBuilder().deposit(alice, 1000).deposit(dave, 70));
  await feed.feed(e, new BlockBuilder()
    .push(alice, await seal(e, alice, { kind: 'Issue', symbol: 'GOLD', name: 'Gold', decimals: 0, supply: amt(500) }))
    .push(alice, await seal(e, alice, { kind: 'Issue', symbol: 'SILV', name: 'Silver', decimals: 0, supply: amt(300) })));
  await feed.feed(e, new BlockBuilder()
    .push(alice, await seal(e, alice, { kind: 'Transfer', asset: asset(1), dest: bob, amount: amt(50) }))
    .push(alice, await seal(e, alice, { kind: 'Transfer', asset: asset(2), dest: bob, amount: amt(7) }))
    .push(alice, await seal(e, alice, { kind: 'Issue', symbol: 'gold', name: 'Taken', decimals: 0, supply: amt(9) }))
    .push(alice, Uint8Array.of(1, 2, 3)));
  auditor = await openSession(e, acc.charlie);
});

describe('the named auditor reads exactly what was granted', () => {
  it('balances of the granted assets only, a granted asset the owner holds none of as zero', () => {
    expect(balancesWith(grant())).toEqual({ kind: 'Balances', balances: [{ asset: 1, amount: 450n }] });
    expect(balancesWith(grant({ assets: [asset(0), asset(2), asset(7)] }))).toEqual({
      kind: 'Balances', balances: [{ asset: 0, amount: 1000n }, { asset: 2, amount: 293n }],
    });
    expect(balancesWith(grant({}, acc.bob))).toEqual({ kind: 'Balances', balances: [{ asset: 1, amount: 50n }] });
  });

  it('history entries about the granted assets only: no other asset, no refused Issue, no unreadable command', () => {
    const r = historyWith(grant());
    expect(r.kind).toBe('History');
    if (r.kind !== 'History') return;
    expect(r.total).toBe(2);
    expect(r.entries.map((x) => [x.kind, x.asset, x.amount])).toEqual([['Issue', 1, 500n], ['Transfer', 1, 50n]]);
    const native = historyWith(grant({ assets: [asset(0)] }));
    expect(native).toMatchObject({ kind: 'History', total: 1, entries: [{ kind: 'Deposit', asset: 0, amount: 1000n }] });
  });

  it('pages the granted history among its own entries', () => {
    const p = grant({ assets: [asset(1), asset(2)] });
    const page = auditor.ask(e, { kind: 'AuditHistory', permit: p, from: 1, limit: 2 });
    expect(page).toMatchObject({ kind: 'History', total: 4, entries: [{ kind: 'Issue', asset: 2 }, { kind: 'Transfer', asset: 1 }] });
  });

  it('a field not granted: NotGranted', () => {
    expect(historyWith(grant({ fields: { balances: true, history: false } }))).toEqual(refused('NotGranted'));
    expect(balancesWith(grant({ fields: { balances: false, history: true } }))).toEqual(refused('NotGranted'));
  });

  it('an ed25519 owner signs permits too, and a one-shot signed query by the auditor reads with one', async () => {
    expect(balancesWith(grant({ assets: [asset(0)] }, acc.dave))).toEqual({ kind: 'Balances', balances: [{ asset: 0, amount: 70n }] });
    const r = await ask(e, signedRequest(e, acc.charlie, { kind: 'AuditBalances', permit: grant() }));
    expect(r).toEqual({ kind: 'Balances', balances: [{ asset: 1, amount: 450n }] });
  });
});

describe('everyone and everything else reads nothing', () => {
  it('the permit presented by another account than its auditor, the owner included: NotAuditor', async () => {
    const p = grant();
    expect(balancesWith(p, await openSession(e, acc.bob))).toEqual(refused('NotAuditor'));
    expect(historyWith(p, await openSession(e, acc.alice))).toEqual(refused('NotAuditor'));
  });

  it('without an account (a Public request): NotAuthorized', async () => {
    expect(await ask(e, { kind: 'Public', query: { kind: 'AuditBalances', permit: grant() } })).toEqual(refused('NotAuthorized'));
  });

  it('a permit for another contract or another chain: WrongContract', () => {
    const otherContract = signPermit(acc.alice, { ...target(e), contractId: (CONTRACT + 1) as typeof CONTRACT }, GRANT());
    const otherChain = signPermit(acc.alice, target(e, new Uint8Array(32).fill(7)), GRANT());
    for (const p of [otherContract, otherChain]) {
      expect(balancesWith(p)).toEqual(refused('WrongContract'));
      expect(historyWith(p)).toEqual(refused('WrongContract'));
    }
  });

  const changes: [string, (p: ViewPermit) => ViewPermit][] = [
    ['id', (p) => ({ ...p, id: `0x${'ab'.repeat(16)}` as ViewPermit['id'] })],
    ['name', (p) => ({ ...p, name: 'Tax 2027' })],
    ['genesis', (p) => ({ ...p, genesisHash: hash32(new Uint8Array(32).fill(9)) })],
    ['contract', (p) => ({ ...p, contractId: (CONTRACT + 1) as typeof CONTRACT })],
    ['owner', (p) => ({ ...p, owner: idOf(acc.bob) })],
    ['auditor', (p) => ({ ...p, auditor: idOf(acc.bob) })],
    ['assets', (p) => ({ ...p, assets: [asset(1), asset(2)] })],
    ['fields', (p) => ({ ...p, fields: { balances: true, history: true } })],
    ['expiry', (p) => ({ ...p, expiresAtBlock: p.expiresAtBlock + 1 })],
  ];
  it.each(changes)('a permit with its %s changed after signing reads nothing (typed error)', async (_f, change) => {
    const signed = grant({ fields: { balances: true, history: false } });
    const changed = { ...signed, permit: change(signed.permit) };
    const asker = changed.permit.auditor === idOf(acc.charlie) ? auditor : await openSession(e, acc.bob);
    const r = balancesWith(changed, asker);
    expect(r.kind).toBe('Error');
    expect(['BadSignature', 'WrongContract']).toContain((r as { code: string }).code);
  });

  it('a changed signature or scheme reads nothing: BadSignature', () => {
    const signed = grant();
    const bytes = signed.signature.bytes.slice();
    bytes[10] ^= 1;
    expect(balancesWith({ ...signed, signature: { ...signed.signature, bytes } })).toEqual(refused('BadSignature'));
    expect(balancesWith({ ...signed, signature: { ...signed.signature, scheme: 'Ed25519' } })).toEqual(refused('BadSignature'));
  });

  it('undecodable permit bytes in a session frame: Malformed, and the session still works', () => {
    const good = encodeQuery({ kind: 'AuditBalances', permit: grant() });
    const bad = good.slice();
    bad[1] = 9; // the permit's version
    const reply = auditor.read(e.handleSessionQuery(sealFrame(auditor.key, auditor.id, ++auditor.counter, 'request', bad), 0));
    expect(reply).toEqual(refused('Malformed'));
    expect(balancesWith(grant()).kind).toBe('Balances');
  });
});

describe('revocation and expiry', () => {
  it('a permit reads nothing once the ledger applied its expiry block', async () => {
    const p = grant({ expiresAtBlock: feed.next });
    expect(balancesWith(p).kind).toBe('Balances');
    await feed.feed(e, new BlockBuilder());
    expect(balancesWith(p)).toEqual(refused('PermitExpired'));
    expect(historyWith(p)).toEqual(refused('PermitExpired'));
  });

  it("the owner's RevokePermit applies from its block on, to that permit only; another account's revocation of the same id changes nothing", async () => {
    const [alice, bob] = [idOf(acc.alice), idOf(acc.bob)];
    const revoked = grant();
    const kept = grant();
    await feed.feed(e, new BlockBuilder().push(bob, await seal(e, bob, { kind: 'RevokePermit', permit: revoked.permit.id })));
    expect(balancesWith(revoked).kind).toBe('Balances');
    const payload = await seal(e, alice, { kind: 'RevokePermit', permit: revoked.permit.id });
    expect(balancesWith(revoked).kind).toBe('Balances'); // pushed but not in an applied block yet
    await feed.feed(e, new BlockBuilder().push(alice, payload));
    expect(balancesWith(revoked)).toEqual(refused('PermitRevoked'));
    expect(historyWith(revoked)).toEqual(refused('PermitRevoked'));
    expect(balancesWith(kept)).toEqual({ kind: 'Balances', balances: [{ asset: 1, amount: 450n }] });
    const own = await historyOf(e, acc.alice);
    expect(own[own.length - 1]).toMatchObject({ kind: 'RevokePermit', direction: 'Self', asset: 0, amount: 0n, counterparty: null, outcome: { ok: true } });
    // The auditor never sees the revocation entry, even with asset 0 granted.
    const h = historyWith(grant({ assets: [asset(0)] }));
    expect(h.kind === 'History' && h.entries.every((x) => x.kind === 'Deposit')).toBe(true);
  });

  it('revocations survive sealing and restore', async () => {
    const revoked = grant();
    await feed.feed(e, new BlockBuilder().push(idOf(acc.alice), await seal(e, idOf(acc.alice), { kind: 'RevokePermit', permit: revoked.permit.id })));
    const restored = await Enclave.restore(secret, CONFIG, e.seal());
    const session = await openSession(restored, acc.charlie);
    expect(session.ask(restored, { kind: 'AuditBalances', permit: revoked })).toEqual(refused('PermitRevoked'));
    expect(session.ask(restored, { kind: 'AuditBalances', permit: grant() })).toEqual({ kind: 'Balances', balances: [{ asset: 1, amount: 450n }] });
  });
});

describe('a permit never acts', () => {
  it('its bytes pushed as a command are an unreadable command: nothing moves', async () => {
    const alice = idOf(acc.alice);
    const before = (await historyOf(e, acc.alice)).length;
    await feed.feed(e, new BlockBuilder().push(alice, encodeSignedPermit(grant())));
    const h = await historyOf(e, acc.alice);
    expect(h.length).toBe(before + 1);
    expect(h[h.length - 1]).toMatchObject({ kind: 'Invalid', outcome: { ok: false, error: 'InvalidCommand' } });
    expect(balancesWith(grant())).toEqual({ kind: 'Balances', balances: [{ asset: 1, amount: 450n }] });
  });

  it('its signature verifies over the permit only: never as a session permit or a signed query', () => {
    const p = grant();
    const alice = idOf(acc.alice);
    expect(verifyAccountSignature(alice, p.signature, permitMessage(p.permit))).toBe(true);
    const q: Query = { kind: 'Balances' };
    expect(verifyAccountSignature(alice, p.signature, signedQueryMessage(target(e), alice, 0n, q))).toBe(false);
    expect(verifyAccountSignature(alice, p.signature, openSessionMessage(target(e), alice, new Uint8Array(32), 0n))).toBe(false);
    // And a session or query signature never verifies as a permit.
    const sessionSig = signAsAccount(acc.alice, openSessionMessage(target(e), alice, new Uint8Array(32), 1n));
    expect(verifyAccountSignature(alice, sessionSig, permitMessage(p.permit))).toBe(false);
    expect(toHex(permitMessage(p.permit).subarray(13, 27))).toBe(toHex(new TextEncoder().encode('v2/view-permit')));
  });
});
