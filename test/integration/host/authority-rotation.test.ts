/**
 * The chain rotates its GRANDPA authority set mid-run (root's `grandpa.scheduleChange`) and the
 * worker's enclave follows: the old set finalizes up to the enacting block, the new set after it, and
 * blocks signed by the new set are accepted with set id 1.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import type { ApiPromise } from '@polkadot/api';
import { startChain, type RunningChain } from '../../../contract/chain';
import { startWorker, type RunningWorker } from '../../../contract/host/worker';
import { blake2_256 } from '../../../shared/trie/codec';
import { toHex } from '../../../shared/types';
import { connect, devKeys, finalize } from '../chain/helpers';
import { tempDir } from '../helpers/processes';
import { shutdown } from '../../helpers/teardown';

const nextSeed = blake2_256(new TextEncoder().encode('authority rotation test: next GRANDPA authority'));
let chain: RunningChain;
let api: ApiPromise;
let worker: RunningWorker;
let dir: ReturnType<typeof tempDir>;

beforeAll(async () => {
  chain = await startChain({ port: 0, grandpaSeeds: [nextSeed] });
  api = await connect(chain.url);
  dir = tempDir('rotation');
  worker = await startWorker({
    chainUrl: chain.url, basePath: dir.path, port: 0, contractId: 1, log: () => {},
    attestation: { kind: 'dev', seedPath: chain.devAuthoritySeedPath },
  });
}, 60_000);

afterAll(async () => {
  await worker?.close();
  await shutdown(api, async () => { await chain?.close(); });
  dir?.remove();
});

const numberOf = async (hash: string) => (await api.rpc.chain.getHeader(hash)).number.toNumber();

it('follows a GRANDPA set change scheduled by root while it runs', async () => {
  const { alice, bob } = await devKeys();
  const before = await finalize(api.tx.phalaModule.transferToTee(1, 10n ** 12n), alice);
  await worker.processed(await numberOf(before.blockHash));
  expect(worker.enclave.authoritySetId).toBe(0n);

  const nextSet = [[toHex(ed25519.getPublicKey(nextSeed)), 1]];
  const scheduled = await finalize(api.tx.sudo.sudo(api.tx.grandpa.scheduleChange(nextSet, 1)), alice);
  expect(scheduled.names).toContain('sudo.Sudid');
  await finalize(api.tx.system.remark('0x00'), alice); // the enacting block, still finalized by the old set
  const after = await finalize(api.tx.phalaModule.transferToTee(1, 10n ** 12n), bob); // finalized by the new set

  await worker.processed(await numberOf(after.blockHash));
  expect(worker.enclave.authoritySetId).toBe(1n);
  const health = (await (await fetch(`${worker.url}/health`)).json()) as { authoritySetId: string; following: unknown };
  expect(health).toMatchObject({ authoritySetId: '1', following: { state: 'following' } });
}, 60_000);
