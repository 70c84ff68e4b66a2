/**
 * Spawns the real dev chain and worker as child processes (as `npm start` does), on free loopback
 * ports, and tears them down. Used by the integration, crash and start-up tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../helpers/root';

export { ROOT };

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

export interface Proc {
  proc: ChildProcess;
  /** Everything the process printed, for leak scans and debugging. */
  output: () => string;
  /** Resolves when a line matching `re` has been printed (or rejects after `ms`). */
  waitFor(re: RegExp, ms?: number): Promise<string>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function launch(script: string, args: string[]): Proc {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (c: Buffer) => {
    out += c.toString();
    for (const l of listeners) l();
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  return {
    proc,
    output: () => out,
    waitFor(re, ms = 60_000) {
      return new Promise((res, rej) => {
        const check = () => {
          const m = re.exec(out);
          if (m) {
            listeners.delete(check);
            clearTimeout(timer);
            res(m[0]);
          }
        };
        // A ceiling, not a wait: rejects only if the line never comes.
        const timer = setTimeout(() => {
          listeners.delete(check);
          rej(new Error(`${script} did not print ${re} within ${ms} ms. Output:\n${out.slice(-3000)}`));
        }, ms);
        listeners.add(check);
        proc.once('exit', () => {
          if (listeners.has(check)) {
            listeners.delete(check);
            clearTimeout(timer);
            rej(new Error(`${script} exited before printing ${re}. Output:\n${out.slice(-3000)}`));
          }
        });
        check();
      });
    },
    kill(signal = 'SIGTERM') {
      return new Promise((res) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return res();
        proc.once('exit', () => res());
        proc.kill(signal);
      });
    },
  };
}

export interface ChainProc extends Proc {
  url: string;
  basePath: string;
  seedPath: string;
}

export async function startChainProcess(basePath: string, port?: number): Promise<ChainProc> {
  const p = port ?? (await freePort());
  const proc = launch('contract/chain/main.ts', ['--port', String(p), '--base-path', basePath]);
  await proc.waitFor(/chain ready/);
  return { ...proc, url: `ws://127.0.0.1:${p}`, basePath, seedPath: join(basePath, 'dev-attestation-authority.seed') };
}

export interface WorkerProc extends Proc {
  url: string;
}

/** `extraArgs` e.g. `['--contract', '2', '--relayer-suri', '//Eve']` for a second contract's worker. */
/**
 * The worker as `npm run worker` starts it. Its command relayer (a batch of dummies every interval)
 * runs only when `extraArgs` configure it (`--relay-batch`, `--relay-interval`, …): suites that do not
 * relay keep a quiet chain.
 */
export async function startWorkerProcess(chain: { url: string; seedPath: string }, basePath: string, port?: number, extraArgs: string[] = []): Promise<WorkerProc> {
  const p = port ?? (await freePort());
  const relays = extraArgs.some((a) => a.startsWith('--relay-') && a !== '--relayer-suri');
  const proc = launch('contract/host/main.ts', [
    '--chain', chain.url, '--base-path', basePath, '--port', String(p), '--attestation-seed', chain.seedPath, ...extraArgs, ...(relays ? [] : ['--no-relay']),
  ]);
  await proc.waitFor(/worker ready/, 90_000);
  return { ...proc, url: `http://127.0.0.1:${p}` };
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `dw-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
