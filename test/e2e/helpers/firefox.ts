/**
 * Debian's firefox-esr driven over WebDriver BiDi, which it speaks natively (Playwright cannot drive
 * stock Firefox): a headless process on a fresh profile, one WebSocket session, commands matched to
 * their replies by id, events to listeners. `scripts/ensure-firefox.sh` installs the browser.
 */
import { execFileSync, spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import WebSocket from 'ws';
import { tempDir } from './browser';

/** Firefox did not start, or its BiDi session could not be opened. */
export class FirefoxLaunchError extends Error {
  constructor(message: string, readonly outputTail: string) {
    super(`${message}\n--- last lines firefox printed ---\n${outputTail || '(nothing)'}`);
    this.name = 'FirefoxLaunchError';
  }
}

/** A BiDi command answered with an error; `error` is the spec's code, e.g. `invalid web extension`. */
export class BidiError extends Error {
  constructor(readonly method: string, readonly error: string, message: string) {
    super(`${method}: ${error}: ${message}`);
    this.name = 'BidiError';
  }
}

export type Pref = string | number | boolean;
type Arg = string | number | boolean | null;

export interface Firefox {
  /** Sends a command; resolves with its `result`, rejects with a `BidiError` or when the session ends. */
  send<T = Record<string, unknown>>(method: string, params?: object): Promise<T>;
  /** Calls `listener` with the params of each `method` event (after `session.subscribe` to it). */
  on(method: string, listener: (params: any) => void): () => void;
  /**
   * Runs `fn(...args)` in `context` (awaited) and returns its result, passed back as JSON. An exception
   * there rejects with its text.
   */
  call<T, A extends Arg[]>(context: string, fn: (...args: A) => T | Promise<T>, ...args: A): Promise<T>;
  /** What firefox printed (stdout and stderr, the last 256 KiB): uncaught errors appear as `JavaScript error: …`. */
  output(): string;
  close(): Promise<void>;
}

/** Quiet start-up on a throwaway profile; the remote agent adds its own recommended prefs on top. */
const PREFS: Record<string, Pref> = {
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.page': 0,
  'browser.startup.homepage_override.mstone': 'ignore',
  'browser.aboutwelcome.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'toolkit.telemetry.reportingpolicy.firstRun': false,
  'app.update.disabledForTesting': true,
  'app.normandy.enabled': false,
  'extensions.update.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
};

function firefoxPath(): string {
  if (process.env.FIREFOX) return process.env.FIREFOX;
  try {
    return execFileSync('which', ['firefox-esr'], { encoding: 'utf8' }).trim() || 'firefox-esr';
  } catch {
    return 'firefox-esr';
  }
}

const tail = (text: string, lines = 30) => text.trimEnd().split('\n').slice(-lines).join('\n');

export async function launchFirefox(opts: { prefs?: Record<string, Pref>; timeout?: number } = {}): Promise<Firefox> {
  const timeout = opts.timeout ?? 30_000;
  const profile = await tempDir('firefox');
  const prefs = { ...PREFS, ...opts.prefs };
  await writeFile(join(profile, 'user.js'), Object.entries(prefs).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});\n`).join(''));
  const bin = firefoxPath();
  const proc = spawn(bin, ['--headless', '--no-remote', '--remote-debugging-port=0', '--profile', profile, 'about:blank'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const onOutput = (chunk: Buffer) => { output = (output + chunk.toString()).slice(-256 * 1024); };
  proc.stdout.on('data', onOutput);
  proc.stderr.on('data', onOutput);
  const exited = new Promise<void>((resolve) => proc.once('close', () => resolve()));
  const dispose = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    await exited;
    await rm(profile, { recursive: true, force: true });
  };

  let socket: WebSocket;
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer);
        reject(new FirefoxLaunchError(why, tail(output)));
      };
      // A ceiling: a browser that never listens fails the launch with its output.
      const timer = setTimeout(() => fail(`${bin} printed no BiDi address within ${timeout} ms`), timeout);
      proc.once('error', (e) => fail(`cannot run ${bin} (${e.message}); scripts/ensure-firefox.sh installs it`));
      proc.once('exit', (code, signal) => fail(`${bin} exited (${signal ?? code}) before its BiDi server listened`));
      proc.stderr.on('data', () => {
        const m = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    socket = await new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`${url}/session`);
      ws.once('open', () => resolve(ws));
      ws.once('error', (e) => reject(new FirefoxLaunchError(`cannot connect to ${url}/session: ${e.message}`, tail(output))));
    });
  } catch (e) {
    await dispose();
    throw e;
  }

  let nextId = 0;
  let closing = false;
  const waiting = new Map<number, { method: string; resolve(v: unknown): void; reject(e: Error): void }>();
  const listeners = new Map<string, Set<(params: unknown) => void>>();
  socket.on('message', (data) => {
    const msg = JSON.parse(data.toString()) as { type: string; id?: number; result?: unknown; error?: string; message?: string; method?: string; params?: unknown };
    if (msg.type === 'event') {
      for (const listener of listeners.get(msg.method!) ?? []) listener(msg.params);
      return;
    }
    const call = msg.id === undefined ? undefined : waiting.get(msg.id);
    if (!call) return;
    waiting.delete(msg.id!);
    if (msg.type === 'success') call.resolve(msg.result);
    else call.reject(new BidiError(call.method, msg.error ?? 'unknown error', msg.message ?? ''));
  });
  socket.on('close', () => {
    const why = closing ? 'the browser was closed' : `the BiDi connection closed\n${tail(output)}`;
    for (const call of waiting.values()) call.reject(new Error(`${call.method}: ${why}`));
    waiting.clear();
  });

  const send = <T>(method: string, params: object = {}) => new Promise<T>((resolve, reject) => {
    if (socket.readyState !== WebSocket.OPEN) return reject(new Error(`${method}: the BiDi connection is closed\n${tail(output)}`));
    const id = ++nextId;
    waiting.set(id, { method, resolve: resolve as (v: unknown) => void, reject });
    socket.send(JSON.stringify({ id, method, params }));
  });

  try {
    await send('session.new', { capabilities: {} });
  } catch (e) {
    socket.terminate();
    await dispose();
    throw new FirefoxLaunchError(`session.new failed: ${(e as Error).message}`, tail(output));
  }

  return {
    send,
    on(method, listener) {
      const set = listeners.get(method) ?? new Set();
      listeners.set(method, set.add(listener));
      return () => set.delete(listener);
    },
    async call(context, fn, ...args) {
      const res = await send<{ type: string; result?: { value?: string }; exceptionDetails?: { text: string } }>('script.callFunction', {
        functionDeclaration: `async (...args) => JSON.stringify(await (${fn.toString()})(...args))`,
        arguments: args.map((v) => (v === null ? { type: 'null' } : { type: typeof v, value: v })),
        target: { context },
        awaitPromise: true,
        resultOwnership: 'none',
      });
      if (res.type === 'exception') throw new Error(`in the page: ${res.exceptionDetails?.text}`);
      return res.result?.value === undefined ? undefined : JSON.parse(res.result.value);
    },
    output: () => output,
    async close() {
      closing = true;
      await send('browser.close').catch(() => undefined);
      socket.terminate();
      let timer: NodeJS.Timeout | undefined;
      // A ceiling: stop waiting for a browser that ignores browser.close (dispose kills it).
      await Promise.race([exited, new Promise((r) => { timer = setTimeout(r, 5_000); })]);
      clearTimeout(timer);
      await dispose(); // kills it if it is still running
    },
  };
}
