/**
 * `npm ci && npm start` as a newcomer runs it: from a clean copy of the repository, wait for ready,
 * do a secret transfer through the SDK, press Ctrl-C (SIGINT to the whole foreground process group,
 * as a terminal does), and find every process gone and every port free. A second start resumes the
 * same chain and secret state.
 */
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { DarkClient } from '../../../shared/client';
import { accountId, amount, NATIVE_ASSET } from '../../../shared/types';
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

function start(cwd: string, args: string[]): Promise<Started> {
  const proc = spawn('npm', ['start', '--', ...args], { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
  proc.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start was not ready in time:\n${out.slice(-3000)}`)), 240_000);
    const check = setInterval(() => {
      if (/^READY$/m.test(out)) {
        clearInterval(check);
        clearTimeout(timer);
        resolve({ proc, output: () => out });
      }
    }, 200);
    proc.once('exit', (code) => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before ready:\n${out.slice(-3000)}`));
    });
  });
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
  const deadline = Date.now() + 20_000;
  while (groupMembers(pgid).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  expect(groupMembers(pgid)).toEqual([]);
  for (const p of ports) expect(await portFree(p)).toBe(true);
  expect(s.output()).toMatch(/all stopped/);
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
    let api = await ApiPromise.create({ provider: new WsProvider(`ws://127.0.0.1:${chainPort}`), noInitWarn: true });
    let client = await DarkClient.connect({ api, workerUrl: `http://127.0.0.1:${workerPort}` });
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
    client = await DarkClient.connect({ api, workerUrl: `http://127.0.0.1:${workerPort}` });
    expect(await client.balanceOf(bob, NATIVE_ASSET)).toBe(3n * UNIT);
    expect(await client.balanceOf(alice, NATIVE_ASSET)).toBe(7n * UNIT);
    await api.disconnect();
    await ctrlC(second, ports);
  } finally {
    dir.remove();
  }
});
