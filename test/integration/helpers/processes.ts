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

/**
 * Test chains seal at once and, when idle, produce an empty block after this long: the worker pays
 * receipts at block-number boundaries, which an idle chain must still reach (`npm start`: 1000 ms).
 */
export const TEST_IDLE_BLOCK_MS = 200;
/** Test workers pay receipts every this many blocks: above 1, so every payout in the suites is a real cadence batch, and small, so it comes soon. */
export const TEST_RECEIPT_CADENCE = 3;

/** The dev chain's arguments for a test chain on `port` keeping its data in `basePath`. */
export const chainArgs = (basePath: string, port: number): string[] =>
  ['--port', String(port), '--base-path', basePath, '--idle-block-time', String(TEST_IDLE_BLOCK_MS)];

/** `extraArgs` e.g. `['--chain-name', 'Second', '--ss58-format', '0']` for a chain that looks like another network. */
export async function startChainProcess(basePath: string, port?: number, extraArgs: string[] = []): Promise<ChainProc> {
  const p = port ?? (await freePort());
  const proc = launch('contract/chain/main.ts', [...chainArgs(basePath, p), ...extraArgs]);
  await proc.waitFor(/chain ready/);
  return { ...proc, url: `ws://127.0.0.1:${p}`, basePath, seedPath: join(basePath, 'dev-attestation-authority.seed') };
}

export interface WorkerProc extends Proc {
  url: string;
  /** The worker's loopback-only operator status (`GET`): session and receipt counts, which `/health` does not show. */
  operatorUrl: string;
}

/**
 * The worker's arguments for a test worker; `extraArgs` come last, so they may override the cadence.
 * Its command relayer (a batch of dummies every interval) runs only when `extraArgs` configure it
 * (`--relay-batch`, `--relay-interval`, …): suites that do not relay keep a quiet chain.
 */
export function workerArgs(chain: { url: string; seedPath: string }, basePath: string, port: number, extraArgs: string[] = []): string[] {
  const relays = extraArgs.some((a) => a.startsWith('--relay-'));
  return [
    '--chain', chain.url, '--base-path', basePath, '--port', String(port), '--attestation-seed', chain.seedPath,
    '--receipt-cadence', String(TEST_RECEIPT_CADENCE), ...extraArgs, ...(relays ? [] : ['--no-relay']),
  ];
}

/** `extraArgs` e.g. `['--contract', '2', '--relayer-suri', '//Eve']` for a second contract's worker. */
export async function startWorkerProcess(chain: { url: string; seedPath: string }, basePath: string, port?: number, extraArgs: string[] = []): Promise<WorkerProc> {
  const p = port ?? (await freePort());
  const proc = launch('contract/host/main.ts', workerArgs(chain, basePath, p, extraArgs));
  await proc.waitFor(/worker ready/, 90_000);
  const operatorUrl = /operator status (http:\/\/\S+)/.exec(proc.output())?.[1];
  if (!operatorUrl) throw new Error(`The worker did not say where its operator status is. Output:\n${proc.output().slice(-3000)}`);
  return { ...proc, url: `http://127.0.0.1:${p}`, operatorUrl };
}

/** The worker's operator status (loopback only): counts the public `/health` leaves out. */
export interface OperatorStatus {
  lastBlock: number;
  sessions: number;
  heldReceipts: number;
  unpaidReceipts: number;
  pendingReceipts: number;
  stuckReceipts: { seq: string; reason: string; chainError?: string; attempts: number; retryInMs: number }[];
}

export async function operatorStatus(worker: { operatorUrl: string }): Promise<OperatorStatus> {
  const r = await fetch(worker.operatorUrl, { signal: AbortSignal.timeout(5000) });
  if (!r.ok) throw new Error(`operator status answered ${r.status}`);
  return (await r.json()) as OperatorStatus;
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `dw-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
