/**
 * `npm run chain` as users run it: the ready line, `--tmp` and `--block-time`, signatures verified
 * on the node's verifier thread (valid accepted, forged refused), clean exit on SIGTERM, bad flags.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { connect, devKeys, finalize, PHA, spawnChain, type ChainProcess } from './helpers';
import { shutdown } from '../../helpers/teardown';
import { until } from '../../helpers/until';

let chain: ChainProcess;
let api: ApiPromise;

beforeAll(async () => {
  chain = await spawnChain(['--tmp', '--block-time', '250']);
  api = await connect(chain.url);
});

afterAll(async () => {
  await shutdown(api, async () => {
    if (chain.proc.exitCode === null) chain.proc.kill('SIGTERM');
  });
});

test('the ready line names the temp base path and the authority seed file (0600)', () => {
  const m = /base-path (\S+) authority-seed (\S+)/.exec(chain.output())!;
  expect(m).not.toBeNull();
  expect(m[2]).toBe(join(m[1], 'dev-attestation-authority.seed'));
  expect(statSync(m[2]).mode & 0o777).toBe(0o600);
});

test('--block-time produces blocks without transactions', async () => {
  const first = (await api.rpc.chain.getHeader()).number.toNumber();
  const { block } = await api.rpc.chain.getBlock();
  expect(block.extrinsics.map((x) => x.method.section)).toEqual(['timestamp']); // nothing but the inherent
  await until(async () => (await api.rpc.chain.getHeader()).number.toNumber() >= first + 3, { what: 'three more blocks', timeoutMs: 10_000 });
});

test('signatures are verified on the node: valid ones are included, forged ones refused', async () => {
  const { alice, bob } = await devKeys();
  expect((await finalize(api.tx.balances.transferKeepAlive(bob.address, PHA), alice)).names).toContain('system.ExtrinsicSuccess');

  const tx = await api.tx.balances.transferKeepAlive(bob.address, PHA).signAsync(alice);
  const bytes = tx.toU8a();
  bytes[Buffer.from(bytes).indexOf(Buffer.from(tx.signature.toU8a())) + 9] ^= 1;
  const silence = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  await expect(api.rpc.author.submitExtrinsic(u8aToHex(bytes))).rejects.toThrow(/1010: Invalid Transaction: Transaction has a bad signature/);
  silence.mockRestore();
  expect(chain.output()).not.toMatch(/verification thread failed/);
});

test('SIGTERM stops the node and removes its --tmp base path', async () => {
  const basePath = /base-path (\S+)/.exec(chain.output())![1];
  await api.disconnect();
  const exited = new Promise((r) => chain.proc.once('exit', r));
  chain.proc.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(existsSync(basePath)).toBe(false);
});

test('contradictory flags are refused with usage', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, '..', '..', '..', 'contract', 'chain', 'main.ts'), '--tmp', '--base-path', '/tmp/x'], { encoding: 'utf8' });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/either --base-path or --tmp/);
});

test('a chain identity the SS58 registry or a wallet could not carry is refused with usage', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, '..', '..', '..', 'contract', 'chain', 'main.ts'), '--tmp', ...args], { encoding: 'utf8' });
  for (const [flags, why] of [
    [['--ss58-format', '46'], /reserved 46 or 47/],
    [['--ss58-format', '16384'], /from 0 to 16383/],
    [['--token-symbol', 'PHA!'], /--token-symbol must be/],
    [['--chain-name', ''], /--chain-name must be/],
  ] as const) {
    const r = run(...flags);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(why);
    expect(r.stderr).toMatch(/--chain-name NAME/);
  }
});
