/**
 * `npm start`: builds the extension, starts the dev chain (durable under .data/), the worker and the
 * demo dApp server, waits until each is healthy, then says where everything is. Ctrl-C, or SIGTERM,
 * SIGINT or SIGHUP to `npm start` alone (what systemd, Docker or a CI runner sends), stops all of it;
 * the next start resumes the same chain and secret state.
 *
 * No process outlives the orchestrator: the npm script `exec`s this file so npm's forwarded signal
 * reaches it (a plain `sh -c` would die of it and orphan us), this process stops everything when it
 * is orphaned, and every child stops itself when this process dies, even by SIGKILL
 * (shared/process/supervised.ts).
 * `npm start -- --chain ws://HOST:PORT` runs only the worker and the dApp against an existing chain.
 * The worker runs its command relayer, the default relayer of the extension's dev network and of
 * `npm run dark` (both default to this worker's address).
 * `npm start -- --workers N` runs N workers of contract 1 on successive ports (8000, 8001, …): the
 * first creates (or keeps) the contract keys, the others `--join` and receive them by attested
 * handover (DESIGN.md §11). Default 1: on a 2-core machine every worker verifies and replays every
 * block, a joiner replays from genesis, and one worker is all a first run needs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { stopWhenAskedOrOrphaned } from '../shared/process/supervised';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    chain: { type: 'string' },
    data: { type: 'string', default: join(root, '.data') },
    'chain-port': { type: 'string', default: '9944' },
    'worker-port': { type: 'string', default: '8000' },
    'dapp-port': { type: 'string', default: '8080' },
    workers: { type: 'string', default: '1' },
    'attestation-seed': { type: 'string' },
    'skip-build': { type: 'boolean', default: false },
  },
});

const dataDir = resolve(values.data!);
const children: { name: string; proc: ChildProcess }[] = [];
let stopping = false;

const say = (line: string) => console.log(`[start] ${line}`);

function launch(name: string, script: string, args: string[]): ChildProcess {
  if (stopping) throw new Error('stopping'); // a stop that began while we awaited starts nothing new
  const proc = spawn(process.execPath, ['--import', 'tsx', join(root, script), ...args], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env },
  });
  // Children log progress only (never secrets); prefix so a person can follow who said what.
  const relay = (stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) => {
    let buf = '';
    stream.on('data', (c: Buffer) => {
      buf += c.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        out.write(`[${name}] ${buf.slice(0, i)}\n`);
        buf = buf.slice(i + 1);
      }
    });
  };
  relay(proc.stdout!, process.stdout);
  relay(proc.stderr!, process.stderr);
  proc.on('exit', (code, signal) => {
    if (!stopping) {
      say(`${name} stopped unexpectedly (${signal ?? `exit ${code}`}); shutting everything down.`);
      void shutdown(1);
    }
  });
  children.push({ name, proc });
  return proc;
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) throw new Error('stopping');
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not become ready within ${timeoutMs / 1000} s.`);
}

function wsAnswers(url: string): Promise<boolean> {
  return new Promise((res) => {
    const ws = new WebSocket(url);
    const done = (ok: boolean) => { ws.removeAllListeners(); ws.terminate(); res(ok); };
    ws.on('open', () => ws.send(JSON.stringify({ id: 1, jsonrpc: '2.0', method: 'system_health', params: [] })));
    ws.on('message', () => done(true));
    ws.on('error', () => done(false));
    setTimeout(() => done(false), 2000);
  });
}

const httpOk = async (url: string) => (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;

/** A child that has not exited this long after SIGTERM is killed, so a stop always ends within a supervisor's patience. */
const KILL_AFTER_MS = 5_000;

/** Stops every child and exits; only the first call does anything, whoever asks (signal, orphaning, a child's death). */
async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  await Promise.all(children.map(({ proc }) => new Promise<void>((r) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return r();
    proc.once('exit', () => r());
    proc.kill('SIGTERM');
    setTimeout(() => proc.kill('SIGKILL'), KILL_AFTER_MS).unref();
  })));
  say('all stopped.');
  process.exit(code);
}

// Orphaned, our terminal or pipe may be gone: a failed write must not crash us before the children are stopped.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);
stopWhenAskedOrOrphaned(() => void shutdown(0));

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  if (!values['skip-build']) {
    say('building the extension…');
    const { build } = await import('./build');
    await build();
    say('extension built.');
  }

  let chainUrl = values.chain;
  const seed = values['attestation-seed'] ?? join(dataDir, 'chain', 'dev-attestation-authority.seed');
  if (!chainUrl) {
    const port = values['chain-port']!;
    say(`starting the dev chain (data in ${join(dataDir, 'chain')})…`);
    // An idle chain keeps producing blocks: the worker pays withdrawal receipts every N of them.
    launch('chain', 'contract/chain/main.ts', ['--port', port, '--base-path', join(dataDir, 'chain'), '--idle-block-time', '1000']);
    chainUrl = `ws://127.0.0.1:${port}`;
    await waitUntil('the dev chain', () => wsAnswers(chainUrl!));
    say(`dev chain ready at ${chainUrl}`);
  }
  if (!existsSync(seed)) {
    say(`no dev attestation authority seed at ${seed}; pass --attestation-seed FILE for this chain.`);
    return shutdown(1);
  }

  const workerCount = Number(values.workers);
  if (!Number.isInteger(workerCount) || workerCount < 1 || workerCount > 16) {
    say(`--workers is a whole number from 1 to 16, not ${values.workers}.`);
    return shutdown(2);
  }
  const workerUrls: string[] = [];
  // One after another: each joiner registers (paid by the same dev account) and waits for its keys.
  for (let i = 0; i < workerCount; i++) {
    const port = String(Number(values['worker-port']) + i);
    const name = i === 0 ? 'worker' : `worker-${i + 1}`;
    say(i === 0 ? 'starting the worker (enclave host)…' : `starting ${name}: it joins contract 1 and waits for the keys…`);
    // Joiners relay no commands: the first worker's command relayer is the one clients are given.
    launch(name, 'contract/host/main.ts', [
      '--chain', chainUrl, '--port', port, '--base-path', join(dataDir, name), '--attestation-seed', seed, ...(i === 0 ? [] : ['--join', '--no-relay']),
    ]);
    const url = `http://127.0.0.1:${port}`;
    await waitUntil(name, () => httpOk(`${url}/health`));
    say(`${name} ready at ${url}`);
    workerUrls.push(url);
  }
  const workerUrl = workerUrls[0];

  const dappPort = values['dapp-port']!;
  say('starting the demo dApp…');
  launch('dapp', 'scripts/serve-demo.ts', ['--port', dappPort, '--chain', chainUrl, '--worker', workerUrl]);
  const dappUrl = `http://127.0.0.1:${dappPort}`;
  await waitUntil('the demo dApp', () => httpOk(dappUrl));

  console.log(`
Dark Wallet is running.
  Extension (Chromium): chrome://extensions → Developer mode → Load unpacked → ${join(root, 'dist', 'extension')}
  Extension (Firefox):  about:debugging → This Firefox → Load Temporary Add-on → ${join(root, 'dist', 'firefox', 'manifest.json')}
  Dev chain:  ${chainUrl}
  Worker:     ${workerUrls.map((u) => `${u}  (health: ${u}/health)`).join('\n              ')}
  Relayer:    ${workerUrl}  (the worker's; fee: ${workerUrl}/relay/quote) — the extension's and \`npm run dark\`'s default
              relayer, so secret operations need no public PHA (\`npm run dark -- … --direct\` sends from the account)
  Demo dApp:  ${dappUrl}
  Dev accounts to import (Import → seed or derivation path): //Alice, //Bob, //Charlie, //Dave, //Eve, //Ferdie
Press Ctrl-C to stop everything.
READY`);
}

main().catch((e: unknown) => {
  if (stopping) return;
  say(e instanceof Error ? e.message : 'failed to start.');
  void shutdown(1);
});
