/**
 * The light client follows the real dev chain: every block's header, FRNK justification, body and
 * System.Events read proof — fetched over plain HTTP JSON-RPC as the host will — verifies, the
 * ledger inputs it derives match what the chain did, and a root-scheduled GRANDPA set change is
 * followed (the new set signs from the enacted block on).
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import type { ApiPromise } from '@polkadot/api';
import { startChain, type RunningChain } from '../../../contract/chain';
import {
  GRANDPA_AUTHORITIES_KEY, GRANDPA_SET_ID_KEY, LightClient, SYSTEM_EVENTS_KEY, type BlockInput, type LightClientState, type VerifiedBlock,
} from '../../../contract/enclave/light-client';
import { blake2_256 } from '../../../shared/trie/codec';
import { ScaleWriter } from '../../../shared/protocol/scale';
import { fromHex, toHex } from '../../../shared/types';
import { connect, devKeys, finalize } from './helpers';
import { shutdown } from '../../helpers/teardown';

interface HeaderJson { parentHash: string; number: string; stateRoot: string; extrinsicsRoot: string; digest: { logs: string[] } }

let chain: RunningChain;
let api: ApiPromise;
const nextSeed = blake2_256(new TextEncoder().encode('light-client test: next GRANDPA authority'));

async function rpc<T>(method: string, params: unknown[]): Promise<T> {
  const res = await fetch(chain.url.replace(/^ws/, 'http'), {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: 1, jsonrpc: '2.0', method, params }),
  });
  const body = (await res.json()) as { result?: T; error?: unknown };
  if (body.error !== undefined) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result as T;
}

/** The SCALE header from its JSON form (digest logs are already SCALE DigestItems). */
function headerBytes(h: HeaderJson): Uint8Array {
  const w = new ScaleWriter(256).fixed(fromHex(h.parentHash), 32).compact(Number(h.number)).fixed(fromHex(h.stateRoot), 32).fixed(fromHex(h.extrinsicsRoot), 32);
  w.compact(h.digest.logs.length);
  for (const log of h.digest.logs) w.fixed(fromHex(log), (log.length - 2) / 2);
  return w.finish();
}

async function fetchBlock(number: number): Promise<BlockInput> {
  const hash = await rpc<string>('chain_getBlockHash', [number]);
  const { block, justifications } = await rpc<{ block: { header: HeaderJson; extrinsics: string[] }; justifications: [string, string][] | null }>('chain_getBlock', [hash]);
  const frnk = justifications?.find(([engine]) => engine === '0x46524e4b');
  const { proof } = await rpc<{ proof: string[] }>('state_getReadProof', [[SYSTEM_EVENTS_KEY], hash]);
  return { header: headerBytes(block.header), justification: frnk ? fromHex(frnk[1]) : null, extrinsics: block.extrinsics.map(fromHex), proof: proof.map(fromHex) };
}

beforeAll(async () => {
  chain = await startChain({ port: 0, grandpaSeeds: [nextSeed], finalityLagMs: 0 });
  api = await connect(chain.url);
});
afterAll(async () => {
  await shutdown(api, async () => chain?.close());
});

it('follows the real dev chain through commands and a GRANDPA set change', async () => {
  const { alice } = await devKeys();
  const payload = new Uint8Array(201).fill(5);
  const pushed = await finalize(api.tx.phalaModule.pushCommand(1, toHex(payload)), alice);
  const nextSet = [[toHex(ed25519.getPublicKey(nextSeed)), 1]];
  const scheduled = await finalize(api.tx.sudo.sudo(api.tx.grandpa.scheduleChange(nextSet, 1)), alice);
  await finalize(api.tx.system.remark('0x00'), alice); // the enacting block
  await finalize(api.tx.system.remark('0x01'), alice); // signed by the new set

  const genesisHash = await rpc<string>('chain_getBlockHash', [0]);
  const genesisHeader = headerBytes(await rpc<HeaderJson>('chain_getHeader', [genesisHash]));
  const metadata = fromHex(await rpc<string>('state_getMetadata', []));
  const client = new LightClient({ genesisHash: fromHex(chain.genesisHash), metadataHash: blake2_256(metadata) }, metadata);
  const genesisProof = await rpc<{ proof: string[] }>('state_getReadProof', [[GRANDPA_AUTHORITIES_KEY, GRANDPA_SET_ID_KEY], genesisHash]);
  let state: LightClientState = client.genesis(genesisHeader, genesisProof.proof.map(fromHex));
  expect(state.set.setId).toBe(0n);

  const head = Number((await rpc<HeaderJson>('chain_getHeader', [])).number);
  const verified: VerifiedBlock[] = [];
  for (let n = 1; n <= head; n++) {
    const result = client.ingest(state, [await fetchBlock(n)]);
    state = result.state;
    verified.push(...result.blocks);
  }

  expect(state.lastNumber).toBe(head);
  expect(state.set.setId).toBe(1n);
  expect(state.set.authorities.map((a) => toHex(a.id))).toEqual([nextSet[0][0]]);
  const pushedBlock = verified.find((b) => b.hash === pushed.blockHash)!;
  expect(pushedBlock.inputs.commands).toEqual([expect.objectContaining({ sender: toHex(alice.publicKey), contractId: 1, payload, success: true })]);
  expect(verified.find((b) => b.hash === scheduled.blockHash)).toBeDefined();
  expect(verified.flatMap((b) => b.inputs.commands)).toHaveLength(1);
});
