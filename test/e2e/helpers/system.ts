/**
 * The real dev chain and worker processes for browser tests (one pair per test file), a Node-side
 * @polkadot/api + DarkClient to check what the extension did, and the popup steps around them.
 */
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import type { Page } from 'playwright-core';
import { DarkClient } from '../../../shared/client';
import { shutdown } from '../../helpers/teardown';
import { provisionSharedContract } from '../../integration/helpers/system';
import {
  startChainProcess, startWorkerProcess, tempDir, type ChainProc, type WorkerProc,
} from '../../integration/helpers/processes';
import { DEFAULT_CONTRACT_ID } from '../../../shared/constants';

export { freeBalance, PHA } from '../../helpers/chain';

export interface System {
  chain: ChainProc;
  /** The first worker: the one the suites pin in Settings. */
  worker: WorkerProc;
  /** Every worker of the contract (sharing its key), `worker` first. */
  workers: WorkerProc[];
  api: ApiPromise;
  client: DarkClient;
  keys: { alice: KeyringPair; bob: KeyringPair; charlie: KeyringPair };
  /** The directory holding the chain's and the workers' data (`worker`, `worker-1`, …); removed by `stop`. */
  dir: string;
  stop(): Promise<void>;
}

/**
 * `workers`: how many workers of contract 1 to run (more than one share its key, dev provisioning);
 * `workerArgs`: e.g. `['--relay-interval', '1000']` to run each worker's command relayer (off otherwise).
 */
export async function startSystem(opts: { workers?: number; workerArgs?: string[] } = {}): Promise<System> {
  await cryptoWaitReady();
  const dir = tempDir('e2e-secret');
  const chain = await startChainProcess(`${dir.path}/chain`);
  const paths = Array.from({ length: opts.workers ?? 1 }, (_, i) => `${dir.path}/worker${i === 0 ? '' : `-${i}`}`);
  if (paths.length > 1) provisionSharedContract(paths);
  const workers: WorkerProc[] = [];
  for (const path of paths) workers.push(await startWorkerProcess(chain, path, undefined, opts.workerArgs ?? []));
  const [worker] = workers;
  const api = await ApiPromise.create({ provider: new WsProvider(chain.url), noInitWarn: true });
  const client = await DarkClient.connect({ api, workerUrl: worker.url, contractId: DEFAULT_CONTRACT_ID });
  const keyring = new Keyring({ type: 'sr25519' });
  const [alice, bob, charlie] = ['//Alice', '//Bob', '//Charlie'].map((s) => keyring.addFromUri(s));
  return {
    chain, worker, workers, api, client, keys: { alice, bob, charlie }, dir: dir.path,
    async stop() {
      await shutdown(api, async () => {
        for (const w of workers) await w.kill();
        await chain.kill();
      });
      dir.remove();
    },
  };
}

/** `section.method` events of blocks `from`..head with their data as JSON. */
export async function eventsSince(api: ApiPromise, from: number): Promise<{ block: number; name: string; data: unknown[] }[]> {
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  const out: { block: number; name: string; data: unknown[] }[] = [];
  for (let n = from; n <= head; n++) {
    const at = await api.at(await api.rpc.chain.getBlockHash(n));
    const records = (await at.query.system.events()) as unknown as { event: { section: string; method: string; data: { toJSON(): unknown[] } } }[];
    for (const r of records) out.push({ block: n, name: `${r.event.section}.${r.event.method}`, data: r.event.data.toJSON() });
  }
  return out;
}


/**
 * Points the wallet at the test's chain and worker through the settings screen; secret operations go
 * through `relay` when given, else directly from the account (the default dev relayer is npm start's).
 */
export async function useEndpoints(page: Page, chain: string, worker: string, relay = ''): Promise<void> {
  await page.goto(page.url().replace(/#.*$/, '#/settings'));
  await page.getByTestId('chain-endpoint').fill(chain);
  await page.getByTestId('worker-endpoint').fill(worker);
  await page.getByTestId('relay-endpoint').fill(relay);
  await page.getByTestId('settings-save').click();
  await page.getByTestId('settings-saved').waitFor();
}
