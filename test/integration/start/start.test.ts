/**
 * `npm ci && npm start` as a newcomer runs it: from a clean copy of the repository, wait for ready,
 * do a secret transfer through the SDK, press Ctrl-C (SIGINT to the whole foreground process group,
 * as a terminal does), and find every process gone and every port free. A second start resumes the
 * same chain and secret state. And what a supervisor does (systemd, Docker, a CI runner): a signal
 * to the npm process alone, or SIGKILL to the orchestrator, leaves no process and no held port.
 */
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { DarkClient } from '../../../shared/client';
import { accountId, amount, NATIVE_ASSET } from '../../../shared/types';
import { DEFAULT_CONTRACT_ID } from '../../../shared/constants';
import { until } from '../../helpers/until';
import { freePort, ROOT, tempDir } from '../helpers/processes';

jest.setTimeout(420_000);

const UNIT = 10n ** 12n;

function cleanCopy(into: string): void {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT }).toString().split('\0').filter(Boolean);
  for (const f of files) {
    mkdirSync(dirname(join(into, f)), { recursive: true });
    copyFileSync(join(ROOT, f), join(into, f));
  }
  // `npm ci` is the README's first half; the dependencies are the same bytes, so link them.
  symlinkSync(join(ROOT, 'node_modules'), join(into, 'node_modules'), 'dir');
}

interface Started {
  proc: ChildProcess;
  output: () => string;
}

/** `setsid npm start -- ARGS` (detached: its own session and process group), resolved once it says READY. */
async function start(cwd: string, args: string[]): Promise<Started> {
  const proc = spawn('npm', ['start', '--', ...args], { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let exited: string | null = null;
  proc.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
  proc.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
  proc.once('exit', (code, signal) => { exited = signal ?? String(code); });
  await until(() => {
    if (exited !== null) throw new Error(`npm start exited (${exited}) before ready:\n${out.slice(-3000)}`);
    return /^READY$/m.test(out);
  }, { timeoutMs: 240_000, intervalMs: 200, what: `npm start to say READY:\n${out.slice(-3000)}` }).catch((e: unknown) => {
    if (exited === null) process.kill(-proc.pid!, 'SIGKILL'); // leave nothing behind a failed start
    throw e;
  });
  return { proc, output: () => out };
}

/** The README's curl command against the chain's port: plain HTTP POST, no WebSocket, no client library. */
async function curlChainGetHeader(port: number): Promise<unknown> {
  const body = JSON.stringify({ id: 1, jsonrpc: '2.0', method: 'chain_getHeader', params: [] });
  const { stdout } = await promisify(execFile)('curl', ['-s', '--fail-with-body', '-H', 'Content-Type: application/json', '-d', body, `http://127.0.0.1:${port}`]);
  return JSON.parse(stdout);
}

const groupMembers = (pgid: number): number[] => {
  try {
    return execFileSync('ps', ['-o', 'pid=', '-g', String(pgid)]).toString().split('\n').map((s) => Number(s.trim())).filter(Boolean);
  } catch {
    return []; // ps exits 1 when the group is empty
  }
};

const portFree = (port: number) => new Promise<boolean>((res) => {
  const s = createServer();
  s.once('error', () => res(false));
  s.listen(port, '127.0.0.1', () => s.close(() => res(true)));
});

async function ctrlC(s: Started, ports: number[]): Promise<void> {
  const pgid = s.proc.pid!;
  expect(groupMembers(pgid).length).toBeGreaterThanOrEqual(4); // npm, start, chain, worker, dApp server…
  const exited = new Promise<string>((r) => s.proc.once('exit', (code, signal) => r(signal ?? String(code))));
  process.kill(-pgid, 'SIGINT');
  // npm itself ends by the signal, as in a terminal; what counts is that everything below it stopped.
  expect(['0', 'SIGINT']).toContain(await exited);
  await allGone(pgid, ports, 20_000);
  expect(s.output()).toMatch(/all stopped/);
  expect(s.output().match(/\[start\] stopping…/g)).toHaveLength(1); // npm forwards the terminal's SIGINT too
}

/** Within `ms`: no process of the group left and every port free. */
async function allGone(pgid: number, ports: number[], ms: number): Promise<void> {
  await until(async () => groupMembers(pgid).length === 0 && (await Promise.all(ports.map(portFree))).every(Boolean), {
    timeoutMs: ms, intervalMs: 100, what: `the group of npm start to be gone and ports ${ports.join(', ')} free (left: ${groupMembers(pgid).join(' ')})`,
  });
}

test('npm start brings the system up, Ctrl-C stops all of it, and the next start resumes the same state', async () => {
  await cryptoWaitReady();
  const dir = tempDir('start');
  try {
    cleanCopy(join(dir.path, 'repo'));
    const [chainPort, workerPort, dappPort] = [await freePort(), await freePort(), await freePort()];
    const args = ['--data', join(dir.path, 'data'), '--chain-port', String(chainPort), '--worker-port', String(workerPort), '--dapp-port', String(dappPort)];
    const ports = [chainPort, workerPort, dappPort];
    const keyring = new Keyring({ type: 'sr25519' });
    const [alice, bob] = [keyring.addFromUri('//Alice'), keyring.addFromUri('//Bob')];

    const first = await start(join(dir.path, 'repo'), args);
    expect(first.output()).toContain(`Demo dApp:  http://127.0.0.1:${dappPort}`);
    expect((await fetch(`http://127.0.0.1:${dappPort}/`)).ok).toBe(true);
    // The worker's relayer, the default of the extension's dev network and of `npm run dark`, answers.
    expect(first.output()).toContain(`Relayer:    http://127.0.0.1:${workerPort}`);
    expect(await (await fetch(`http://127.0.0.1:${workerPort}/relay/quote`)).json()).toMatchObject({ fee: '10000000000', contractId: DEFAULT_CONTRACT_ID });
    expect(await curlChainGetHeader(chainPort)).toMatchObject({
      id: 1,
      jsonrpc: '2.0',
      result: { number: expect.stringMatching(/^0x[0-9a-f]+$/), parentHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) },
    });
    let api = await ApiPromise.create({ provider: new WsProvider(`ws://127.0.0.1:${chainPort}`), noInitWarn: true });
    let client = await DarkClient.connect({ api, workerUrl: `http://127.0.0.1:${workerPort}`, contractId: DEFAULT_CONTRACT_ID });
    await client.waitFor(alice, await client.convertToSecret(alice, amount(10n * UNIT)), { throwOnFailure: true });
    await client.waitFor(alice, await client.transfer(alice, { asset: NATIVE_ASSET, dest: accountId(bob.publicKey), amount: amount(3n * UNIT) }), { throwOnFailure: true });
    expect(await client.balanceOf(bob, NATIVE_ASSET)).toBe(3n * UNIT);
    const head = (await api.rpc.chain.getHeader()).hash.toHex();
    await api.disconnect();
    await ctrlC(first, ports);

    const second = await start(join(dir.path, 'repo'), [...args, '--skip-build']);
    expect(second.output()).toMatch(/restored sealed state/);
    api = await ApiPromise.create({ provider: new WsProvider(`ws://127.0.0.1:${chainPort}`), noInitWarn: true });
    expect((await api.rpc.chain.getBlock(head)).block.header.hash.toHex()).toBe(head); // same chain
    client = await DarkClient.connect({ api, workerUrl: `http://127.0.0.1:${workerPort}`, contractId: DEFAULT_CONTRACT_ID });
    expect(await client.balanceOf(bob, NATIVE_ASSET)).toBe(3n * UNIT);
    expect(await client.balanceOf(alice, NATIVE_ASSET)).toBe(7n * UNIT);
    await api.disconnect();
    await ctrlC(second, ports);
  } finally {
    dir.remove();
  }
});

describe('a supervisor stops npm start by signalling one process', () => {
  let dir: ReturnType<typeof tempDir>;
  let args: string[];
  let ports: number[];

  beforeAll(async () => {
    dir = tempDir('start-signals');
    ports = [await freePort(), await freePort(), await freePort()];
    // --skip-build: what is under test is the processes, and the extension build is not one of them.
    args = ['--skip-build', '--data', join(dir.path, 'data'), '--chain-port', String(ports[0]), '--worker-port', String(ports[1]), '--dapp-port', String(ports[2])];
  });
  afterAll(() => dir.remove());

  test.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('%s to npm alone stops every process within 10 s, frees every port, and says stopping once', async (signal) => {
    const s = await start(ROOT, args);
    const pgid = s.proc.pid!;
    expect(groupMembers(pgid).length).toBeGreaterThanOrEqual(4); // npm, the orchestrator, chain, worker, dApp server
    process.kill(pgid, signal); // npm's pid, not its group
    await allGone(pgid, ports, 10_000);
    expect(s.output().match(/\[start\] stopping…/g) ?? []).toHaveLength(1);
  });

  test('SIGKILL to the orchestrator: its children notice and stop within 10 s', async () => {
    const s = await start(ROOT, args);
    const pgid = s.proc.pid!;
    const orchestrator = Number(execFileSync('pgrep', ['-g', String(pgid), '-f', 'scripts/start.ts']).toString().trim().split('\n')[0]);
    expect(orchestrator).toBeGreaterThan(0);
    process.kill(orchestrator, 'SIGKILL');
    await allGone(pgid, ports, 10_000);
  });
});
