/**
 * `npm run worker -- --attestation tdx|sgx` on a machine without the TEE interface: one clear
 * sentence and a non-zero exit, against a real chain (the worker reads its genesis first); and the
 * development-only `--dev-enclave-version` refused with hardware attestation.
 */
import { startChain, type RunningChain } from '../../../contract/chain/index';
import { freePort, launch, tempDir } from '../helpers/processes';

let chain: RunningChain;
beforeAll(async () => {
  chain = await startChain({ port: 0 });
});
afterAll(() => chain?.close());

test.each([
  ['tdx', /This machine offers no TDX quotes: \S+\/sys\/kernel\/config\/tsm\/report does not exist \(not a TDX confidential VM, or configfs is not mounted\)\./],
  ['sgx', /This machine offers no SGX quotes: \S+\/dev\/attestation\/quote does not exist \(not running inside Gramine with remote attestation enabled\)\./],
])('--attestation %s with no device: says so and exits non-zero', async (kind, sentence) => {
  const root = tempDir(`no-${kind}`);
  const base = tempDir('worker');
  try {
    const worker = launch('contract/host/main.ts', [
      '--chain', chain.url, '--base-path', base.path, '--port', String(await freePort()),
      '--attestation', kind, '--attestation-root', root.path, '--pccs', 'http://127.0.0.1:1',
    ]);
    const code = await new Promise<number | null>((r) => worker.proc.once('exit', r));
    expect(code).not.toBe(0);
    expect(worker.output()).toMatch(sentence);
  } finally {
    root.remove();
    base.remove();
  }
});

test('--dev-enclave-version with --attestation tdx: refused, since the hardware reports its own measurement', async () => {
  const base = tempDir('worker');
  try {
    const worker = launch('contract/host/main.ts', [
      '--chain', chain.url, '--base-path', base.path, '--port', String(await freePort()), '--attestation', 'tdx', '--dev-enclave-version', '2',
    ]);
    const code = await new Promise<number | null>((r) => worker.proc.once('exit', r));
    expect(code).toBe(2);
    expect(worker.output()).toMatch(/--dev-enclave-version is for development attestation only: with --attestation tdx the hardware reports its own measurement\./);
  } finally {
    base.remove();
  }
});
