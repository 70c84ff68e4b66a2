/**
 * The confidential contract running against the chain, with the real processes: dev chain and
 * worker spawned as `npm start` does, driven through the client SDK and the real @polkadot/api.
 */
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { DarkClient } from '../../../shared/client';
import { requestOnce } from '../../../shared/client/query-channel';
import { WorkerTransport } from '../../../shared/client/transport';
import { signAsAccount } from '../../../shared/crypto/account-signature';
import { MAX_HISTORY_PAGE, signedQueryMessage } from '../../../shared/protocol/query';
import { accountId, accountIdToBytes, amount, assetId, hash32, NATIVE_ASSET, toHex, type AssetId } from '../../../shared/types';
import { DEFAULT_CONTRACT_ID } from '../../../shared/constants';
import { until } from '../../helpers/until';
import { freeBalance as freeBalanceAt } from '../../helpers/chain';
import { chainView, scan, u128Le } from '../helpers/leak-scan';
import { tempDir, type ChainProc, type WorkerProc } from '../helpers/processes';
import { startProcessSystem, stopProcessSystem } from '../helpers/system';

const UNIT = 10n ** 12n;
const pha = (n: number) => amount(BigInt(n) * UNIT);

let dir: ReturnType<typeof tempDir>;
let chain: ChainProc;
let worker: WorkerProc;
let api: ApiPromise;
let client: DarkClient;
let alice: KeyringPair, bob: KeyringPair, charlie: KeyringPair, dave: KeyringPair;

const freeBalance = (who: KeyringPair, at?: string) => freeBalanceAt(api, who.address, at);

beforeAll(async () => {
  ({ dir, chain, worker, api } = await startProcessSystem('flow'));
  client = await DarkClient.connect({ api, workerUrl: worker.url, contractId: DEFAULT_CONTRACT_ID });
  const keyring = new Keyring({ type: 'sr25519' });
  [alice, bob, charlie, dave] = ['//Alice', '//Bob', '//Charlie', '//Dave'].map((s) => keyring.addFromUri(s));
}, 120_000);

afterAll(() => stopProcessSystem({ dir, chain, worker, api }));

describe('secret assets end to end', () => {
  let gold: AssetId;
  const secretBlocks: number[] = [];

  test('Alice converts 100 PHA to secret and sees it', async () => {
    const s = await client.convertToSecret(alice, pha(100));
    const entry = await client.waitFor(alice, s);
    expect(entry).toMatchObject({ kind: 'Deposit', direction: 'In', amount: pha(100), outcome: { ok: true } });
    expect(await client.balanceOf(alice, NATIVE_ASSET)).toBe(pha(100));
  });

  test('a secret transfer of 30 to Bob shows in both balances and both histories', async () => {
    const s = await client.transfer(alice, { asset: NATIVE_ASSET, dest: accountId(bob.publicKey), amount: pha(30) });
    secretBlocks.push(s.blockNumber);
    const entry = await client.waitFor(alice, s, { throwOnFailure: true });
    expect(entry).toMatchObject({ kind: 'Transfer', direction: 'Out', counterparty: accountId(bob.publicKey), amount: pha(30) });
    expect(await client.balanceOf(alice, NATIVE_ASSET)).toBe(pha(70));
    expect(await client.balanceOf(bob, NATIVE_ASSET)).toBe(pha(30));
    const bobHistory = await client.fullHistory(bob);
    expect(bobHistory).toContainEqual(expect.objectContaining({ kind: 'Transfer', direction: 'In', counterparty: accountId(alice.publicKey), amount: pha(30), ref: s.ref }));
  });

  test('Bob converts 10 back to public: the relayed receipt grows his public balance by exactly 10', async () => {
    const s = await client.convertToPublic(bob, { dest: accountId(bob.publicKey), amount: pha(10) });
    // As of the push's own block: its fee is paid there, and the payout (a later block) is not. Read at
    // the head, the payout could already be in: the worker follows finality, which it may see first.
    const afterPush = await freeBalance(bob, s.blockHash);
    const entry = await client.waitFor(bob, s, { throwOnFailure: true });
    expect(entry.kind).toBe('Withdraw');
    expect(entry.outcome).toEqual({ ok: true, receiptSeq: 1n });
    const paid = await until(async () => {
      const now = await freeBalance(bob);
      return now !== afterPush ? now : null;
    }, { what: 'the relayed payout to Bob', intervalMs: 200 });
    expect(paid - afterPush).toBe(pha(10));
    expect(await client.balanceOf(bob, NATIVE_ASSET)).toBe(pha(20));
  });

  test('a withdrawal the chain could never pay (below the existential deposit) is refused before anything is spent', async () => {
    await expect(client.convertToPublic(bob, { dest: accountId(bob.publicKey), amount: amount(1n) })).rejects.toMatchObject({ code: 'BelowMinimum' });
    expect(await client.balanceOf(bob, NATIVE_ASSET)).toBe(pha(20));
  });

  test('the worker refuses what a client that skips those checks sends: an unpayable withdrawal, a look-alike symbol', async () => {
    // Pushed raw, as a hostile or outdated client would: the ledger itself must refuse.
    const below = await client.push(bob, { kind: 'Withdraw', dest: accountId(bob.publicKey), amount: amount(1n) }, { preflight: false });
    expect((await client.waitFor(bob, below)).outcome).toEqual({ ok: false, error: 'BelowMinimum' });
    expect(await client.balanceOf(bob, NATIVE_ASSET)).toBe(pha(20));
    const lookAlike = await client.push(bob, { kind: 'Issue', symbol: '\u0420\u041d\u0410', name: 'Not PHA', decimals: 12, supply: pha(1) }, { preflight: false }); // Cyrillic "РНА"
    expect((await client.waitFor(bob, lookAlike)).outcome).toEqual({ ok: false, error: 'InvalidSymbol' });
    expect((await client.assets()).map((a) => a.symbol)).toEqual(['PHA']);
  });

  test('Alice issues GOLD and transfers some to Charlie, who sees it', async () => {
    const issued = await client.issue(alice, { symbol: 'GOLD', name: 'Gold', decimals: 12, supply: pha(1000) });
    secretBlocks.push(issued.blockNumber);
    const entry = await client.waitFor(alice, issued, { throwOnFailure: true });
    gold = entry.asset;
    expect(gold).toBe(assetId(1));
    expect(await client.assets()).toContainEqual(expect.objectContaining({ id: gold, symbol: 'GOLD', name: 'Gold', decimals: 12 }));
    const sent = await client.transfer(alice, { asset: gold, dest: accountId(charlie.publicKey), amount: pha(250) });
    secretBlocks.push(sent.blockNumber);
    await client.waitFor(alice, sent, { throwOnFailure: true });
    expect(await client.balances(charlie)).toEqual([{ asset: gold, amount: pha(250) }]);
    expect(await client.balanceOf(alice, gold)).toBe(pha(750));
  });

  test('a transfer above the secret balance is refused before signing: no fee is paid', async () => {
    const before = await freeBalance(dave);
    await expect(client.transfer(dave, { asset: NATIVE_ASSET, dest: accountId(charlie.publicKey), amount: pha(5) }))
      .rejects.toMatchObject({ code: 'InsufficientBalance', message: expect.stringMatching(/^The secret balance is lower than this amount/) });
    await expect(client.convertToSecret(dave, amount(before))).rejects.toMatchObject({ code: 'InsufficientFunds' });
    expect(await freeBalance(dave)).toBe(before);
    expect((await api.rpc.system.accountNextIndex(dave.address)).toNumber()).toBe(0);
  });

  test('a failed command shows only in the sender\'s history, with its reason', async () => {
    // Past the SDK's balance check (a hostile or outdated client): the ledger refuses it itself.
    const s = await client.push(dave, { kind: 'Transfer', asset: NATIVE_ASSET, dest: accountId(charlie.publicKey), amount: pha(5) }, { preflight: false });
    const entry = await client.waitFor(dave, s);
    expect(entry.outcome).toEqual({ ok: false, error: 'InsufficientBalance' });
    expect((await client.fullHistory(charlie)).some((e) => e.ref === s.ref)).toBe(false);
  });

  test("Dave's query for Alice's balances is refused", async () => {
    const query = { kind: 'Balances' } as const;
    const issuedAt = BigInt(Date.now());
    const aliceId = accountId(alice.publicKey);
    // Dave signs a query that claims to be Alice's.
    const signature = signAsAccount(dave, signedQueryMessage(client.contract, aliceId, issuedAt, query));
    const answer = await requestOnce(new WorkerTransport(worker.url), client.contract, { kind: 'Signed', account: aliceId, issuedAt, query, signature });
    expect(answer).toEqual({ kind: 'Error', code: 'BadSignature' });
    // With his own signature Dave only ever learns his own (empty) balances.
    expect(await client.balances(dave)).toEqual([]);
  });

  test('the chain shows no secret transfer: no Balances.Transfer, no secret amount or recipient anywhere', async () => {
    for (const n of secretBlocks) {
      const at = await api.at(await api.rpc.chain.getBlockHash(n));
      const events = (await at.query.system.events()) as unknown as { event: { section: string; method: string } }[];
      expect(events.filter((e) => e.event.section === 'balances' && e.event.method === 'Transfer')).toEqual([]);
    }
    const view = await chainView(api);
    expect(view.length).toBeGreaterThan(10);
    const hits = scan(view, [
      { label: 'secret transfer amount 30 PHA', bytes: u128Le(pha(30)) },
      { label: 'GOLD supply', bytes: u128Le(pha(1000)) },
      { label: 'GOLD transfer amount', bytes: u128Le(pha(250)) },
      { label: 'failed transfer amount', bytes: u128Le(pha(5)) },
      { label: 'secret recipient Charlie', bytes: accountIdToBytes(accountId(charlie.publicKey)) },
    ]);
    // Charlie is funded at genesis, so his id is in System.Account's *key*, never in a value.
    expect(hits).toEqual([]);
    // The scan does see what is public by nature: the deposit amount in transferToTee.
    expect(scan(view, [{ label: 'deposit', bytes: u128Le(pha(100)) }]).length).toBeGreaterThan(0);
  });
});

describe('following an operation', () => {
  let eve: KeyringPair;
  beforeAll(() => {
    eve = new Keyring({ type: 'sr25519' }).addFromUri('//Eve');
  });

  test('waitFor reads only the newest history, however long the past is', async () => {
    // Zero-amount transfers fail in the ledger but each leaves an entry: a history over two pages long,
    // pushed with explicit nonces so they share a few blocks; then the one to follow. Immortal: sealing
    // and signing them all takes seconds under load, while the chain keeps producing (idle) blocks.
    const pages = 2;
    const zero = { kind: 'Transfer', asset: NATIVE_ASSET, dest: accountId(charlie.publicKey), amount: amount(0n) } as const;
    const nonce = (await api.rpc.system.accountNextIndex(eve.address)).toNumber();
    // Half a page more than needed: a few of the batch may not make it into a block.
    const past = await Promise.all(Array.from({ length: (pages + 0.5) * MAX_HISTORY_PAGE }, async (_, i) =>
      api.tx.phalaModule.pushCommand(DEFAULT_CONTRACT_ID, toHex(await client.sealFor(eve, zero))).signAsync(eve, { nonce: nonce + i, era: 0 })));
    await Promise.all(past.map((tx) => api.rpc.author.submitExtrinsic(tx)));
    const last = await client.transfer(eve, zero);
    let posts = 0;
    const counting = await DarkClient.connect({
      api, workerUrl: worker.url, contractId: DEFAULT_CONTRACT_ID,
      fetch: (url, init) => {
        if (init?.method === 'POST') posts++;
        return fetch(url, { ...init, body: init?.body?.slice() }); // a copy: fetch's types want an ArrayBuffer-backed view
      },
    });
    await counting.waitForBlock(last.blockNumber);
    expect((await counting.history(eve, 0, 0)).total).toBeGreaterThan(pages * MAX_HISTORY_PAGE); // opens the query session too
    posts = 0;
    const entry = await counting.waitFor(eve, last);
    expect(entry).toMatchObject({ ref: last.ref, outcome: { ok: false, error: 'ZeroAmount' } });
    expect(posts).toBe(2); // how many entries there are, then the newest page: not every page of the past
  }, 180_000);

  test('an operation the worker has no record of is NotFound, not a timeout', async () => {
    const real = await client.transfer(eve, { asset: NATIVE_ASSET, dest: accountId(charlie.publicKey), amount: amount(0n) });
    const unknown = { ...real, ref: hash32(new Uint8Array(32).fill(7)) };
    await expect(client.waitFor(eve, unknown)).rejects.toMatchObject({ code: 'NotFound', message: expect.stringContaining(`block #${real.blockNumber}`) });
    expect(await client.waitFor(eve, real)).toMatchObject({ ref: real.ref }); // the real one is there
  });
});
