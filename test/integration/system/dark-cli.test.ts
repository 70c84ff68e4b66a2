/**
 * `npm run dark` as a newcomer runs it: the README's CLI block, copied from README.md itself, on a
 * chain where other tokens were issued first, moves exactly GOLD (the `--asset` takes the symbol);
 * every result names the token and amount it moved; failures are sentences — no raw chain JSON, no
 * bare ledger codes, no advice about settings the CLI does not have — and an over-balance transfer
 * is refused before any fee is paid.
 */
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { freeBalance } from '../../helpers/chain';
import { readmeCliLines, runDarkCli, type CliRun } from '../helpers/dark-cli';
import { tempDir, type ChainProc, type WorkerProc } from '../helpers/processes';
import { startProcessSystem, stopProcessSystem } from '../helpers/system';

let dir: ReturnType<typeof tempDir>;
let chain: ChainProc;
let worker: WorkerProc;
let api: ApiPromise;

/** `npm run dark -- ARGS` against this test's chain and worker (what the README's lines run). */
const dark = (args: string[]): Promise<CliRun> => runDarkCli(args, { chain: chain.url, worker: worker.url });

async function ok(args: string[]): Promise<string> {
  const r = await dark(args);
  if (r.code !== 0) throw new Error(`dark ${args.join(' ')} exited ${r.code}:\n${r.out}`);
  return r.out;
}

/** What a user must never read: raw chain JSON, a bare code, a settings screen the CLI does not have. */
function expectReadable(out: string): void {
  expect(out).not.toMatch(/[{}]/);
  expect(out).not.toMatch(/settings/i);
  expect(out).not.toMatch(/^\s*[A-Z][a-z]+(?:[A-Z][a-z]+)+\.?\s*$/m); // SymbolTaken, InsufficientBalance
  expect(out).not.toMatch(/Unexpected failure/);
}

beforeAll(async () => {
  ({ dir, chain, worker, api } = await startProcessSystem('dark-cli'));
}, 120_000);

afterAll(() => stopProcessSystem({ dir, chain, worker, api }));

test("the README's CLI block, on a chain where other tokens were issued first, moves exactly GOLD", async () => {
  // Someone else issued two tokens before: GOLD will not be asset 1.
  expect(await ok(['issue', '--symbol', 'SILVER', '--name', 'Silver', '--decimals', '12', '--supply', '5000', '--suri', '//Bob']))
    .toMatch(/^Issued 5000 SILVER as asset 1: applied in block #\d+\.$/m);
  expect(await ok(['issue', '--symbol', 'IRON', '--name', 'Iron', '--decimals', '6', '--supply', '7000', '--suri', '//Bob']))
    .toMatch(/^Issued 7000 IRON as asset 2: applied in block #\d+\.$/m);
  await ok(['transfer', '--asset', 'SILVER', '--to', new Keyring({ type: 'sr25519' }).addFromUri('//Alice').address, '--amount', '900', '--suri', '//Bob']);

  const lines = readmeCliLines('## For token issuers');
  expect(lines.map((l) => l[0])).toEqual(['convert-to-secret', 'issue', 'assets', 'transfer', 'mint', 'balances', 'history']);
  const outs: string[] = [];
  for (const args of lines) outs.push(await ok(args));
  const [converted, issued, assets, sent, minted, charlie, history] = outs;

  expect(converted).toMatch(/^Converted 100 PHA to secret: applied in block #\d+\.$/m);
  expect(issued).toMatch(/^Issued 1000000 GOLD as asset 3: applied in block #\d+\.$/m);
  // Listed as Alice (the default --suri): her GOLD says so; Bob's SILVER names no issuer.
  expect(assets).toMatch(/^3\tGOLD\tGold\t12 decimals\tissued by you$/m);
  expect(assets).toMatch(/^1\tSILVER\tSilver\t12 decimals$/m);
  expect(sent).toMatch(/^Sent 250 GOLD \(asset 3\) to 5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y: applied in block #\d+\.$/m);
  expect(minted).toMatch(/^Minted 10 GOLD \(asset 3\): applied in block #\d+\.$/m);
  // Charlie holds exactly the 250 GOLD, and none of Alice's SILVER moved.
  expect(charlie.trim().split('\n')).toEqual(['GOLD (asset 3): 250']);
  expect(history).toMatch(/Transfer 250 GOLD to 5FLSigC9/);
  expect(history).toMatch(/Transfer 900 SILVER from /);
  expect(history).not.toMatch(/Transfer 250 SILVER/);
  for (const out of outs) expectReadable(out);
}, 240_000);

test('failures read as sentences: a taken symbol, an unknown asset, a bad address, an unreachable worker', async () => {
  const taken = await dark(['issue', '--symbol', 'gold', '--name', 'Fake', '--decimals', '12', '--supply', '1', '--suri', '//Dave']);
  expect(taken).toMatchObject({ code: 1 });
  expect(taken.out).toMatch(/Another secret token already uses this symbol\. Choose another symbol\./);

  const unknown = await dark(['transfer', '--asset', 'PLATINUM', '--to', '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y', '--amount', '1']);
  expect(unknown).toMatchObject({ code: 1 });
  expect(unknown.out).toMatch(/There is no secret asset with the symbol PLATINUM\. `npm run dark -- assets` lists them\./);
  const badId = await dark(['mint', '--asset', '99', '--amount', '1']);
  expect(badId.out).toMatch(/There is no secret asset with id 99\./);

  const badAddress = await dark(['transfer', '--to', 'not-an-address', '--amount', '1']);
  expect(badAddress.out).toMatch(/--to is not a valid address/);

  const noWorker = await runDarkCli(['balances'], { chain: chain.url, worker: 'http://127.0.0.1:9' });
  expect(noWorker.code).toBe(1);
  expect(noWorker.out).toMatch(/The worker at http:\/\/127\.0\.0\.1:9 is not reachable\. Check that it is running and that this is its address\./);
  for (const r of [taken, unknown, badId, badAddress, noWorker]) expectReadable(r.out);
}, 120_000);

test('a transfer above the secret balance and a conversion above the public balance are refused before any fee', async () => {
  const eve = new Keyring({ type: 'sr25519' }).addFromUri('//Eve');
  const before = await freeBalance(api, eve.address);
  const transfer = await dark(['transfer', '--to', '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y', '--amount', '999000', '--suri', '//Eve']);
  expect(transfer.code).toBe(1);
  expect(transfer.out).toMatch(/The secret balance is lower than this amount, so the confidential contract would refuse it\. Nothing was sent\./);
  const convert = await dark(['convert-to-secret', '--amount', '99999999999', '--suri', '//Eve']);
  expect(convert.code).toBe(1);
  expect(convert.out).toMatch(/The public balance does not cover this amount plus the network fee/);
  expect(await freeBalance(api, eve.address)).toBe(before);
  expect((await api.rpc.system.accountNextIndex(eve.address)).toNumber()).toBe(0);
  for (const r of [transfer, convert]) expectReadable(r.out);
}, 120_000);
