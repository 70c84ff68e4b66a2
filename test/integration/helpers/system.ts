/**
 * A chain and a worker as real child processes in a temp directory, and a polkadot-js client of the
 * chain: the set-up of the system suites (secret flow, CLI, relayer), with the matching teardown.
 */
import { ApiPromise, WsProvider } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { shutdown } from '../../helpers/teardown';
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

/** Safe after a set-up that failed halfway. */
export async function stopProcessSystem(s: Partial<ProcessSystem>): Promise<void> {
  await shutdown(s.api, async () => {
    await s.worker?.kill();
    await s.chain?.kill();
  });
  s.dir?.remove();
}
