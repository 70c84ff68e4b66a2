/**
 * A chain and a worker as real child processes in a temp directory, and a polkadot-js client of the
 * chain: the set-up of the system suites (secret flow, CLI, relayer), with the matching teardown.
 * `startSharedContractSystem` runs several workers of one contract instead (failover suites).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { EnclaveSecret } from '../../../contract/enclave';
import { shutdown } from '../../helpers/teardown';
import { withKnownContractSecret } from '../../helpers/known-secret';
import { startChainProcess, startWorkerProcess, tempDir, type ChainProc, type WorkerProc } from './processes';

export interface ProcessSystem {
  dir: ReturnType<typeof tempDir>;
  chain: ChainProc;
  worker: WorkerProc;
  api: ApiPromise;
}

/** `workerArgs`: extra worker flags, e.g. `['--receipt-cadence', '24']`. */
export async function startProcessSystem(name: string, workerArgs: string[] = []): Promise<ProcessSystem> {
  await cryptoWaitReady();
  const dir = tempDir(name);
  const chain = await startChainProcess(`${dir.path}/chain`);
  const worker = await startWorkerProcess(chain, `${dir.path}/worker`, undefined, workerArgs);
  const api = await ApiPromise.create({ provider: new WsProvider(chain.url), noInitWarn: true });
  return { dir, chain, worker, api };
}

export interface SharedContractSystem extends Omit<ProcessSystem, 'worker'> {
  workers: WorkerProc[];
}

/**
 * Data directories for `count` workers of one contract: each its own root secret (its own identity
 * and sealing key) and the same contract key, written the way the worker host stores them — the dev
 * provisioning `EnclaveSecret.devOnlyWithContractSecret` stands for until keys are handed over on chain.
 */
export function provisionSharedContract(paths: string[]): void {
  const { contractSecret } = withKnownContractSecret();
  for (const path of paths) {
    mkdirSync(path, { recursive: true });
    const keyFile = EnclaveSecret.newDevKeyFile();
    writeFileSync(join(path, 'enclave.key'), keyFile);
    writeFileSync(join(path, 'enclave.secret'), EnclaveSecret.devOnlyWithContractSecret(contractSecret).wrapForDev(keyFile));
  }
}

/** A chain and `count` workers of contract 1 sharing its key, started one after the other (each registers and publishes its endpoint). */
export async function startSharedContractSystem(name: string, count: number, workerArgs: string[] = []): Promise<SharedContractSystem> {
  await cryptoWaitReady();
  const dir = tempDir(name);
  const sys: Partial<SharedContractSystem> & { dir: typeof dir; workers: WorkerProc[] } = { dir, workers: [] };
  try {
    sys.chain = await startChainProcess(`${dir.path}/chain`);
    const paths = Array.from({ length: count }, (_, i) => `${dir.path}/worker-${i}`);
    provisionSharedContract(paths);
    for (const path of paths) sys.workers.push(await startWorkerProcess(sys.chain, path, undefined, workerArgs));
    sys.api = await ApiPromise.create({ provider: new WsProvider(sys.chain.url), noInitWarn: true });
    return sys as SharedContractSystem;
  } catch (e) {
    await stopProcessSystem(sys);
    throw e;
  }
}

/** Safe after a set-up that failed halfway. */
export async function stopProcessSystem(s: Partial<ProcessSystem> & { workers?: WorkerProc[] }): Promise<void> {
  await shutdown(s.api, async () => {
    await s.worker?.kill();
    for (const w of s.workers ?? []) await w.kill();
    await s.chain?.kill();
  });
  s.dir?.remove();
}
