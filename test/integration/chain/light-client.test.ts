/**
 * The light client follows the real dev chain: every block's header, FRNK justification, body and
 * System.Events read proof — fetched over plain HTTP JSON-RPC by the host's ChainReader — verifies, the
 * ledger inputs it derives match what the chain did, and a root-scheduled GRANDPA set change is
 * followed (the new set signs from the enacted block on).
 */
import { COMMAND_ENVELOPE_SIZE } from '../../../shared/constants';
import { ed25519 } from '@noble/curves/ed25519.js';
import type { ApiPromise } from '@polkadot/api';
import { startChain, type RunningChain } from '../../../contract/chain';
import {
  LightClient, type BlockInput, type LightClientState, type VerifiedBlock,
} from '../../../contract/enclave/light-client';
import { blake2_256 } from '../../../shared/trie/codec';
import { ChainReader, type HeaderJson } from '../../../contract/host/chain-reader';
import { httpRpc } from '../../helpers/http-rpc';
import { fromHex, toHex } from '../../../shared/types';
import { connect, devKeys, finalize } from './helpers';
import { shutdown } from '../../helpers/teardown';

let chain: RunningChain;
let api: ApiPromise;
const nextSeed = blake2_256(new TextEncoder().encode('light-client test: next GRANDPA authority'));

const rpc = <T>(method: string, params: unknown[]) => httpRpc(chain.url)<T>(method, params);
const fetchBlock = (number: number): Promise<BlockInput> => new ChainReader(rpc).block(number);

beforeAll(async () => {
  chain = await startChain({ port: 0, grandpaSeeds: [nextSeed], finalityLagMs: 0 });
  api = await connect(chain.url);
});
afterAll(async () => {
  await shutdown(api, async () => chain?.close());
});

it('follows the real dev chain through commands and a GRANDPA set change', async () => {
  const { alice } = await devKeys();
  const payload = new Uint8Array(COMMAND_ENVELOPE_SIZE).fill(5);
  const pushed = await finalize(api.tx.phalaModule.pushCommand(1, toHex(payload)), alice);
  const nextSet = [[toHex(ed25519.getPublicKey(nextSeed)), 1]];
  const scheduled = await finalize(api.tx.sudo.sudo(api.tx.grandpa.scheduleChange(nextSet, 1)), alice);
  await finalize(api.tx.system.remark('0x00'), alice); // the enacting block
  await finalize(api.tx.system.remark('0x01'), alice); // signed by the new set

  const genesis = await new ChainReader(rpc).genesis();
  const client = new LightClient({ genesisHash: fromHex(chain.genesisHash), metadataHash: blake2_256(genesis.metadata) }, genesis.metadata);
  let state: LightClientState = client.genesis(genesis.header, genesis.proof);
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
