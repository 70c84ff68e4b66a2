/**
 * Relayed secret commands with the real processes (DESIGN.md §12): the dev chain and a worker running
 * its command relayer, driven through the SDK with `relayUrl`. Fresh accounts that never held public
 * PHA receive secret PHA and a token, pass them on and issue a token; then a chain observer's scan
 * finds none of their keys or addresses anywhere on chain, every command payload has one size and
 * every batch holds the same number of envelopes. An ecdsa account (its account id the blake2 hash of
 * its key) reads and relays through the SDK like the others, and converts to public through the
 * relayer: the receipt is paid at a cadence boundary, and only the destination appears on chain.
 */
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { randomAsU8a } from '@polkadot/util-crypto';
import { DarkClient } from '../../../shared/client';
import { accountOf } from '../../../shared/client/account';
import { COMMAND_ENVELOPE_SIZE, DEFAULT_CONTRACT_ID } from '../../../shared/constants';
import { accountId, amount, NATIVE_ASSET, type AssetId } from '../../../shared/types';
import { chainView, scan } from '../helpers/leak-scan';
import { startChainProcess, startWorkerProcess, tempDir, TEST_RECEIPT_CADENCE, type ChainProc, type WorkerProc } from '../helpers/processes';
import { stopProcessSystem } from '../helpers/system';
import { freeBalance } from '../../helpers/chain';
import { until } from '../../helpers/until';

const UNIT = 10n ** 12n;
const pha = (n: number) => amount(BigInt(n) * UNIT);
const BATCH = 4;
const FEE = amount(UNIT / 100n);

let dir: ReturnType<typeof tempDir>;
let chain: ChainProc;
let worker: WorkerProc;
let api: ApiPromise;
let direct: DarkClient;
let relayed: DarkClient;
let alice: KeyringPair;
let fresh: KeyringPair[];

beforeAll(async () => {
  dir = tempDir('relayed');
  chain = await startChainProcess(`${dir.path}/chain`);
  worker = await startWorkerProcess(chain, `${dir.path}/worker`, undefined, ['--relay-batch', String(BATCH), '--relay-interval', '300', '--relay-fee', String(FEE)]);
  api = await ApiPromise.create({ provider: new WsProvider(chain.url), noInitWarn: true });
  direct = await DarkClient.connect({ api, workerUrl: worker.url, contractId: DEFAULT_CONTRACT_ID });
  relayed = await DarkClient.connect({ api, workerUrl: worker.url, contractId: DEFAULT_CONTRACT_ID, relayUrl: worker.url });
  alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
  // Random seeds: accounts nobody ever used, in any run.
  fresh = (['sr25519', 'ed25519', 'sr25519'] as const).map((type) => new Keyring({ type }).addFromSeed(randomAsU8a(32)));
}, 120_000);

afterAll(() => stopProcessSystem({ dir, chain, worker, api }));

test('fresh accounts with no public PHA transfer and issue through the relayer; the chain shows none of them', async () => {
  const [u1, u2, u3] = fresh;
  const id = (p: KeyringPair) => accountId(p.publicKey);
  // Alice funds u1 in secret only: secret PHA and a token.
  await direct.waitFor(alice, await direct.convertToSecret(alice, pha(50)), { throwOnFailure: true });
  await direct.waitFor(alice, await direct.issue(alice, { symbol: 'RELAYT', name: 'Relay test', decimals: 12, supply: pha(1000) }), { throwOnFailure: true });
  const token = (await direct.assets()).find((a) => a.symbol === 'RELAYT')!.id as AssetId;
  await direct.waitFor(alice, await direct.transfer(alice, { asset: NATIVE_ASSET, dest: id(u1), amount: pha(10) }), { throwOnFailure: true });
  await direct.waitFor(alice, await direct.transfer(alice, { asset: token, dest: id(u1), amount: pha(100) }), { throwOnFailure: true });

  // u1 passes both on through the relayer, u2 passes PHA on, u1 issues a token: all applied, fees paid.
  const steps: [KeyringPair, () => ReturnType<DarkClient['transfer']>][] = [
    [u1, () => relayed.transfer(u1, { asset: NATIVE_ASSET, dest: id(u2), amount: pha(4) })],
    [u1, () => relayed.transfer(u1, { asset: token, dest: id(u2), amount: pha(30) })],
    [u2, () => relayed.transfer(u2, { asset: NATIVE_ASSET, dest: id(u3), amount: pha(1) })],
    [u1, () => relayed.issue(u1, { symbol: `R${Date.now() % 1e9}`, name: 'Fresh token', decimals: 0, supply: amount(77n) })],
  ];
  for (const [who, step] of steps) {
    const entry = await relayed.waitFor(who, await step(), { throwOnFailure: true });
    expect(entry.outcome.ok).toBe(true);
  }
  expect(await relayed.balanceOf(u1, NATIVE_ASSET)).toBe(pha(10) - pha(4) - 3n * FEE);
  expect(await relayed.balanceOf(u2, token)).toBe(pha(30));
  expect(await relayed.balanceOf(u2, NATIVE_ASSET)).toBe(pha(4) - pha(1) - FEE);
  expect(await relayed.balanceOf(u3, NATIVE_ASSET)).toBe(pha(1));
  for (const u of fresh) expect(await freeBalance(api, u.address)).toBe(0n);

  // The chain observer's view: every block, extrinsic, event and storage value.
  const view = await chainView(api);
  const needles = fresh.flatMap((u, i) => [
    { label: `u${i + 1} public key`, bytes: u.publicKey },
    { label: `u${i + 1} SS58`, bytes: new TextEncoder().encode(u.address) },
  ]);
  expect(scan(view, needles)).toEqual([]);

  // Every command payload has the one size; every relayer batch the same count.
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  const batches: number[] = [];
  const sizes = new Set<number>();
  for (let n = 1; n <= head; n++) {
    const block = await api.rpc.chain.getBlock(await api.rpc.chain.getBlockHash(n));
    for (const ex of block.block.extrinsics) {
      const { section, method, args } = ex.method;
      if (section !== 'phalaModule') continue;
      if (method === 'pushCommand') sizes.add((args[1] as unknown as { length: number }).length);
      if (method === 'pushCommands') {
        const payloads = args[1] as unknown as { length: number }[];
        batches.push(payloads.length);
        for (const p of payloads) sizes.add(p.length);
      }
    }
  }
  expect([...sizes]).toEqual([COMMAND_ENVELOPE_SIZE]);
  expect(batches.length).toBeGreaterThanOrEqual(4);
  expect(new Set(batches)).toEqual(new Set([BATCH]));
}, 240_000);

test('an ecdsa account that never held public PHA reads, relays and converts to public: paid at a cadence boundary, only the destination on chain', async () => {
  const user = new Keyring({ type: 'ecdsa' }).addFromSeed(randomAsU8a(32));
  const dest = new Keyring({ type: 'sr25519' }).addFromSeed(randomAsU8a(32));
  expect(user.publicKey).toHaveLength(33); // compressed secp256k1; its account is blake2-256 of it
  await direct.waitFor(alice, await direct.convertToSecret(alice, pha(6)), { throwOnFailure: true });
  await direct.waitFor(alice, await direct.transfer(alice, { asset: NATIVE_ASSET, dest: accountOf(user), amount: pha(5) }), { throwOnFailure: true });
  expect(await relayed.balanceOf(user, NATIVE_ASSET)).toBe(pha(5)); // its own signed query session

  // A relayer that does not answer: a typed error, and nothing leaves from the account.
  const down = await DarkClient.connect({ api, workerUrl: worker.url, contractId: DEFAULT_CONTRACT_ID, relayUrl: 'http://127.0.0.1:9' });
  await expect(down.convertToPublic(user, { dest: accountId(dest.publicKey), amount: pha(2) })).rejects.toMatchObject({ code: 'RelayUnavailable' });
  await expect(down.ensureAffordable(user, { kind: 'Withdraw', dest: accountId(dest.publicKey), amount: pha(2) })).rejects.toMatchObject({ code: 'RelayUnavailable' });
  // Relayed, the fee counts against secret PHA: 5 PHA cannot pay 5 PHA and the fee.
  await expect(relayed.ensureAffordable(user, { kind: 'Withdraw', dest: accountId(dest.publicKey), amount: pha(5) })).rejects.toMatchObject({ code: 'InsufficientBalance' });

  const submitted = await relayed.convertToPublic(user, { dest: accountId(dest.publicKey), amount: pha(2) });
  const entry = await relayed.waitFor(user, submitted, { throwOnFailure: true });
  if (!entry.outcome.ok || entry.outcome.receiptSeq === null) throw new Error('no receipt');
  const seq = entry.outcome.receiptSeq;
  expect((await relayed.fullHistory(user)).filter((e) => e.ref === submitted.ref).map((e) => [e.kind, e.amount])).toEqual(
    expect.arrayContaining([['Withdraw', pha(2)], ['RelayFee', FEE]]));
  expect(await relayed.balanceOf(user, NATIVE_ASSET)).toBe(pha(3) - FEE);

  // Paid to the destination at the first cadence boundary after the command's block, not in the block after it.
  await until(async () => (await api.query.phalaModule.usedReceipts(DEFAULT_CONTRACT_ID, seq)).isTrue, { what: 'the receipt paid', timeoutMs: 60_000, intervalMs: 100 });
  expect(await freeBalance(api, dest.address)).toBe(pha(2));
  const boundary = Math.ceil(submitted.blockNumber / TEST_RECEIPT_CADENCE) * TEST_RECEIPT_CADENCE;
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  let paidIn = 0;
  for (let n = submitted.blockNumber; n <= head && !paidIn; n++) {
    const records = (await (await api.at(await api.rpc.chain.getBlockHash(n))).query.system.events()) as unknown as { event: { section: string; method: string; data: { toJSON(): unknown[] } } }[];
    if (records.some(({ event }) => event.section === 'phalaModule' && event.method === 'TransferToChain' && BigInt(event.data.toJSON()[2] as number) === seq)) paidIn = n;
  }
  expect(paidIn).toBeGreaterThanOrEqual(boundary);
  expect(paidIn).toBeGreaterThan(submitted.blockNumber); // never in the command's own block

  // The chain observer's view: the destination appears, the user nowhere.
  const view = await chainView(api);
  const seen = (bytes: Uint8Array) => scan(view, [{ label: 'x', bytes }]).length > 0;
  expect(seen(dest.publicKey)).toBe(true);
  expect(scan(view, [
    { label: 'ecdsa public key', bytes: user.publicKey },
    { label: 'ecdsa account id', bytes: user.addressRaw },
    { label: 'ecdsa SS58', bytes: new TextEncoder().encode(user.address) },
  ])).toEqual([]);
}, 180_000);

test('the relayer refuses an envelope of another size with a typed error, and quotes its fee', async () => {
  const quote = await (await fetch(`${worker.url}/relay/quote`)).json() as { fee: string; batchSize: number };
  expect(quote).toMatchObject({ fee: FEE.toString(), batchSize: BATCH });
  const res = await fetch(`${worker.url}/relay`, { method: 'POST', body: new Uint8Array(COMMAND_ENVELOPE_SIZE - 1), headers: { 'content-type': 'application/octet-stream' } });
  expect(res.status).toBe(400);
  expect(await res.json()).toMatchObject({ error: 'BadEnvelopeSize' });
});
