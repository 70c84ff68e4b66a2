/** Shared fixtures for the dev chain tests: a running chain, a real @polkadot/api client, dev keys. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { EventRecord } from '@polkadot/types/interfaces';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startChain, type RunningChain } from '../../../contract/chain/index';
import { shutdown } from '../../helpers/teardown';

export { freeBalance, PHA } from '../../helpers/chain';

export const connect = (url: string): Promise<ApiPromise> => ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });

export async function devKeys() {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519' });
  const dev = (name: string) => keyring.addFromUri(`//${name}`);
  return { keyring, alice: dev('Alice'), bob: dev('Bob'), charlie: dev('Charlie'), dave: dev('Dave'), eve: dev('Eve'), ferdie: dev('Ferdie') };
}

export interface Finalized {
  blockHash: string;
  events: EventRecord[];
  /** `section.method` of each event of the extrinsic. */
  names: string[];
}

/** Signs (when a signer is given) and submits, resolving once finalized; rejects on refusal. */
export function finalize(tx: SubmittableExtrinsic<'promise'>, signer?: KeyringPair): Promise<Finalized> {
  return new Promise((resolve, reject) => {
    const onStatus = (r: { status: { isFinalized: boolean; isInvalid: boolean; isDropped: boolean; asFinalized: { toHex(): string } }; events: EventRecord[] }) => {
      if (r.status.isFinalized) {
        resolve({ blockHash: r.status.asFinalized.toHex(), events: r.events, names: r.events.map((e) => `${e.event.section}.${e.event.method}`) });
      } else if (r.status.isInvalid || r.status.isDropped) reject(new Error('transaction became invalid'));
    };
    (signer ? tx.signAndSend(signer, onStatus) : tx.send(onStatus)).catch(reject);
  });
}

/** A chain running as a real child process (`node --import tsx contract/chain/main.ts …`). */
export interface ChainProcess {
  url: string;
  genesisHash: string;
  proc: ChildProcess;
  output: () => string;
}

export function spawnChain(args: string[]): Promise<ChainProcess> {
  const root = join(__dirname, '..', '..', '..');
  const proc = spawn(process.execPath, ['--import', 'tsx', join(root, 'contract', 'chain', 'main.ts'), '--port', '0', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /chain ready (ws:\/\/\S+) genesis (0x[0-9a-f]{64})/.exec(out);
      if (m) resolve({ url: m[1], genesisHash: m[2], proc, output: () => out });
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    proc.once('exit', (code) => reject(new Error(`chain exited with ${code}:\n${out}`)));
  });
}

export function killHard(c: ChainProcess): Promise<void> {
  return new Promise((resolve) => {
    if (c.proc.exitCode !== null || c.proc.signalCode !== null) return resolve();
    c.proc.once('exit', () => resolve());
    c.proc.kill('SIGKILL');
  });
}

export type DevKeys = Awaited<ReturnType<typeof devKeys>>;

/** What `chainSuite` sets up before the suite's tests run. */
export interface ChainSuite {
  node: RunningChain;
  api: ApiPromise;
  keys: DevKeys;
}

/**
 * One in-process dev chain for a suite, with a real @polkadot/api client over WebSocket and the dev
 * keys: started in `beforeAll`, shut down in `afterAll`. Read the fields inside tests.
 */
export function chainSuite(): ChainSuite {
  const suite: Partial<ChainSuite> = {};
  beforeAll(async () => {
    suite.node = await startChain({ port: 0 });
    suite.api = await connect(suite.node.url);
    suite.keys = await devKeys();
  });
  afterAll(async () => {
    await shutdown(suite.api, async () => suite.node?.close());
  });
  return suite as ChainSuite;
}
