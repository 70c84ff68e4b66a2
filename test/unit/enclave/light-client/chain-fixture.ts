/**
 * A chain built by hand for the light-client tests: real SCALE headers and extrinsics (polkadot-js,
 * signed with sr25519 dev keys), real events (the dev chain's own codec), real GRANDPA precommits
 * (ed25519 via @noble/curves), and state roots, proofs and extrinsics roots from the independent
 * reference, Substrate's own trie compiled to wasm (@acala-network/chopsticks-executor).
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { blake2b } from '@noble/hashes/blake2.js';
import { Keyring } from '@polkadot/keyring';
import { expandMetadata } from '@polkadot/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { buildMetadata } from '../../../../contract/chain/metadata/build';
import { RuntimeCodec, type EventRecordInput } from '../../../../contract/chain/runtime/codec';
import { dispatchInfo } from '../../../../contract/chain/runtime/fees';
import { RUNTIME_VERSION } from '../../../../contract/chain/config';
import { encodeVersionedAuthorityList, type Authority } from '../../../../contract/enclave/light-client/authority-set';
import { encodeHeader, type DigestItem } from '../../../../contract/enclave/light-client/header';
import { precommitPayload } from '../../../../contract/enclave/light-client/justification';
import {
  GRANDPA_AUTHORITIES_KEY, GRANDPA_SET_ID_KEY, LightClient, SYSTEM_EVENTS_KEY, type BlockInput,
} from '../../../../contract/enclave/light-client';
import { ScaleWriter } from '../../../../shared/protocol/scale';
import { referenceProof, referenceRoot } from '../../../helpers/reference-trie';
import { fromHex, toHex } from '../../../../shared/types';

export const blake = (b: Uint8Array) => blake2b(b, { dkLen: 32 });

export interface Voter {
  seed: Uint8Array;
  id: Uint8Array;
  weight: bigint;
}

export const voter = (n: number, weight = 1n): Voter => {
  const seed = blake(new TextEncoder().encode(`voter ${n}`));
  return { seed, id: ed25519.getPublicKey(seed), weight };
};
export const asAuthorities = (vs: readonly Voter[]): Authority[] => vs.map((v) => ({ id: v.id, weight: v.weight }));

export const runtime = buildMetadata();
export const codec = new RuntimeCodec(runtime);
const tx = expandMetadata(runtime.registry, runtime.metadata).tx;

let keyring: Keyring | null = null;
export async function devKeys() {
  await cryptoWaitReady();
  keyring ??= new Keyring({ type: 'sr25519' });
  return { alice: keyring.addFromUri('//Alice'), bob: keyring.addFromUri('//Bob') };
}

/** A real signed extrinsic, length-prefixed as a block body holds it. */
function signed(call: ReturnType<typeof tx.phalaModule.pushCommand>, pair: Awaited<ReturnType<typeof devKeys>>['alice'], genesisHash: Uint8Array, nonce: number): Uint8Array {
  const ext = runtime.registry.createType('Extrinsic', call);
  ext.sign(pair, {
    blockHash: toHex(genesisHash), genesisHash: toHex(genesisHash), nonce,
    runtimeVersion: runtime.registry.createType('RuntimeVersion', RUNTIME_VERSION),
  });
  return ext.toU8a();
}

export const pushCommandTx = (pair: Awaited<ReturnType<typeof devKeys>>['alice'], genesisHash: Uint8Array, nonce: number, contractId: number, payload: Uint8Array) =>
  signed(tx.phalaModule.pushCommand(contractId, toHex(payload)), pair, genesisHash, nonce);
export const transferToTeeTx = (pair: Awaited<ReturnType<typeof devKeys>>['alice'], genesisHash: Uint8Array, nonce: number, contractId: number, amount: bigint) =>
  signed(tx.phalaModule.transferToTee(contractId, amount), pair, genesisHash, nonce);
export const timestampTx = (ms: number) => codec.unsignedExtrinsic('timestamp', 'set', ms);

const success = (): Uint8Array => codec.event('System', 'ExtrinsicSuccess', { dispatchInfo: dispatchInfo(1000n, 'Normal') });
export const failed = (): Uint8Array => codec.event('System', 'ExtrinsicFailed', { dispatchError: 'BadOrigin', dispatchInfo: dispatchInfo(1000n, 'Normal') });

/** The events a successful extrinsic at `index` emits: its own, then ExtrinsicSuccess (or `outcome`). */
export const phase = (index: number, events: Uint8Array[], outcome: Uint8Array = success()): EventRecordInput[] =>
  [...events, outcome].map((event) => ({ phase: { ApplyExtrinsic: index }, event }));

/** Substrate's `ordered_trie_root`, computed by the reference trie (layout V0, as for extrinsics). */
export async function referenceExtrinsicsRoot(extrinsics: readonly Uint8Array[]): Promise<Uint8Array> {
  return fromHex(await referenceRoot(extrinsics.map((x, i) => [toHex(new ScaleWriter(5).compact(i).finish()), x] as const), 0));
}


export interface BuiltBlock extends BlockInput {
  hash: Uint8Array;
  number: number;
  stateRoot: Uint8Array;
  /** The full trie node set of its state (proves any key). */
  fullProof: Uint8Array[];
}

export interface BlockSpec {
  extrinsics?: Uint8Array[];
  events?: EventRecordInput[];
  digest?: DigestItem[];
  /** Further state entries (hex key → value) besides System.Events. */
  state?: ReadonlyMap<string, Uint8Array>;
}

export async function buildBlock(parent: { hash: Uint8Array; number: number }, spec: BlockSpec): Promise<BuiltBlock> {
  const extrinsics = spec.extrinsics ?? [timestampTx(6000 * (parent.number + 1))];
  const events = spec.events ?? phase(0, []);
  const state = new Map(spec.state ?? []);
  // The block number in state keeps every block's state root distinct, as System::Number does.
  state.set('0x26aa394eea5630e07c48ae0c9558cef702a5c1b19ab7a04f536c519aca4983ac', new ScaleWriter(4).u32(parent.number + 1).finish());
  if (events.length > 0) state.set(SYSTEM_EVENTS_KEY, codec.eventRecords(events));
  // The reference trie's root and all its nodes: a proof of any key in the state.
  const { root, nodes: proof } = await referenceProof(state);
  const fields = {
    parentHash: parent.hash, number: parent.number + 1, stateRoot: root,
    extrinsicsRoot: await referenceExtrinsicsRoot(extrinsics), digest: spec.digest ?? [],
  };
  const header = encodeHeader(fields);
  return { header, hash: blake(header), number: fields.number, stateRoot: root, extrinsics, proof, fullProof: proof, justification: null };
}

export interface JustificationSpec {
  round?: bigint;
  setId: bigint;
  voters: readonly Voter[];
  /** Each voter's precommit target (default: the commit target). */
  targets?: readonly { hash: Uint8Array; number: number }[];
  ancestries?: readonly Uint8Array[];
}

/** A GrandpaJustification as sp-consensus-grandpa encodes it, signed by `voters`. */
export function justify(target: { hash: Uint8Array; number: number }, spec: JustificationSpec): Uint8Array {
  const round = spec.round ?? 1n;
  const w = new ScaleWriter(256);
  w.u64(round).fixed(target.hash, 32).u32(target.number);
  w.vec(spec.voters.map((v, i) => ({ v, t: spec.targets?.[i] ?? target })), 1e6, (x, { v, t }) => {
    const signature = ed25519.sign(precommitPayload(t.hash, t.number, round, spec.setId), v.seed);
    x.fixed(t.hash, 32).u32(t.number).fixed(signature, 64).fixed(v.id, 32);
  });
  w.compact(spec.ancestries?.length ?? 0);
  for (const h of spec.ancestries ?? []) w.fixed(h, h.length);
  return w.finish();
}

export const withJustification = (b: BuiltBlock, spec: JustificationSpec): BuiltBlock => ({ ...b, justification: justify(b, spec) });

/** The genesis block, whose state holds the GRANDPA set, and a light client configured for it. */
export async function genesis(voters: readonly Voter[], setId: bigint | null = null) {
  const state = new Map<string, Uint8Array>([[GRANDPA_AUTHORITIES_KEY, encodeVersionedAuthorityList(asAuthorities(voters))]]);
  if (setId !== null) state.set(GRANDPA_SET_ID_KEY, new ScaleWriter(8).u64(setId).finish());
  // The reference trie's root and all its nodes: a proof of any key in the state.
  const { root, nodes: proof } = await referenceProof(state);
  const header = encodeHeader({ parentHash: new Uint8Array(32), number: 0, stateRoot: root, extrinsicsRoot: await referenceExtrinsicsRoot([]), digest: [] });
  const hash = blake(header);
  const client = new LightClient({ genesisHash: hash, metadataHash: blake(runtime.bytes) }, runtime.bytes);
  return { header, hash, number: 0, proof, client, state: client.genesis(header, proof) };
}

/** `DigestItem::Consensus(FRNK, ScheduledChange{next, delay})`. */
export function scheduledChange(next: readonly Voter[], delay: number): DigestItem {
  const w = new ScaleWriter(64);
  w.u8(1).vec(asAuthorities(next), 1e4, (x, a) => x.fixed(a.id, 32).u64(a.weight)).u32(delay);
  return { kind: 'consensus', engine: 'FRNK', data: w.finish() };
}
