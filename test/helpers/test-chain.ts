/**
 * Real blocks of a chain built in-process, for feeding the enclave in unit tests, fuzzing and the
 * ingest bench: SCALE headers linked by parent hash, bodies of genuine extrinsics (polkadot-js, the dev
 * chain's metadata), System.Events encoded by the dev chain's own codec and proven by read proofs from
 * the project's trie, and a GRANDPA justification signed by the genesis voter (ed25519). Extrinsic
 * signatures are placeholders: the runtime checked them when it included the extrinsic, and the
 * light client reads only the signer (see light-client/README.md), so tests can send as any account.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { blake2b } from '@noble/hashes/blake2.js';
import { expandMetadata } from '@polkadot/types';
import { RUNTIME_VERSION } from '../../contract/chain/config';
import { buildMetadata } from '../../contract/chain/metadata/build';
import { RuntimeCodec, type EventRecordInput } from '../../contract/chain/runtime/codec';
import { dispatchInfo } from '../../contract/chain/runtime/fees';
import { GRANDPA_AUTHORITIES_KEY, SYSTEM_EVENTS_KEY, type BlockInput } from '../../contract/enclave';
import { encodeVersionedAuthorityList } from '../../contract/enclave/light-client/authority-set';
import { encodeHeader } from '../../contract/enclave/light-client/header';
import { precommitPayload } from '../../contract/enclave/light-client/justification';
import { ScaleWriter } from '../../shared/protocol/scale';
import { orderedTrieRoot, Trie } from '../../shared/trie';
import { toHex, type AccountId, type Hash } from '../../shared/types';

const blake = (b: Uint8Array) => blake2b(b, { dkLen: 32 });
const SYSTEM_NUMBER_KEY = '0x26aa394eea5630e07c48ae0c9558cef702a5c1b19ab7a04f536c519aca4983ac';

export const runtime = buildMetadata();
export const codec = new RuntimeCodec(runtime);
const tx = expandMetadata(runtime.registry, runtime.metadata).tx;

/** The one GRANDPA voter of the test chain (weight 1, set 0). */
export const VOTER_SEED = blake(new TextEncoder().encode('test chain: GRANDPA voter'));

export type ChainItem =
  | { kind: 'command'; sender: AccountId; contractId: number; payload: Uint8Array; success?: boolean }
  | { kind: 'deposit'; who: AccountId; contractId: number; amount: bigint }
  | { kind: 'paid'; contractId: number; seq: bigint; dest: AccountId; amount: bigint };

const SR25519 = 1; // MultiSignature::Sr25519

/** A signed extrinsic from `signer` carrying `call`, with a placeholder signature. */
function extrinsicFrom(signer: AccountId, call: ReturnType<typeof tx.phalaModule.pushCommand>, genesisHash: Uint8Array): Uint8Array {
  const ext = runtime.registry.createType('Extrinsic', call);
  // Not all zeros: polkadot-js takes an all-zero signature for "unsigned".
  const signature = new Uint8Array(65).fill(0xaa);
  signature[0] = SR25519;
  ext.addSignature(signer, signature, {
    blockHash: genesisHash, genesisHash, nonce: 0, era: '0x00', tip: 0,
    method: call.toHex(), specVersion: RUNTIME_VERSION.specVersion, transactionVersion: RUNTIME_VERSION.transactionVersion,
  });
  return ext.toU8a();
}

const success = () => codec.event('System', 'ExtrinsicSuccess', { dispatchInfo: dispatchInfo(1000n, 'Normal') });
const failure = () => codec.event('System', 'ExtrinsicFailed', { dispatchError: 'BadOrigin', dispatchInfo: dispatchInfo(1000n, 'Normal') });

/** One item's extrinsic and the events the runtime emits for it at position `index`. */
function itemOf(item: ChainItem, index: number, genesisHash: Uint8Array): { extrinsic: Uint8Array; events: EventRecordInput[] } {
  const at = (events: Uint8Array[]) => events.map((event) => ({ phase: { ApplyExtrinsic: index }, event }));
  switch (item.kind) {
    case 'command':
      return {
        extrinsic: extrinsicFrom(item.sender, tx.phalaModule.pushCommand(item.contractId, toHex(item.payload)), genesisHash),
        events: at([item.success === false ? failure() : success()]),
      };
    case 'deposit':
      return {
        extrinsic: extrinsicFrom(item.who, tx.phalaModule.transferToTee(item.contractId, item.amount), genesisHash),
        events: at([codec.event('PhalaModule', 'TransferToTee', { contractId: item.contractId, who: item.who, amount: item.amount }), success()]),
      };
    case 'paid': {
      const receipt = { contractId: item.contractId, seq: item.seq, dest: item.dest, amount: item.amount };
      return {
        extrinsic: extrinsicFrom(item.dest, tx.phalaModule.transferToChain(receipt, toHex(new Uint8Array(64))), genesisHash),
        events: at([codec.event('PhalaModule', 'TransferToChain', { dest: item.dest, amount: item.amount, seq: item.seq }), success()]),
      };
    }
  }
}

export function justify(target: { hash: Uint8Array; number: number }, seed: Uint8Array = VOTER_SEED, setId = 0n): Uint8Array {
  const round = BigInt(target.number);
  const signature = ed25519.sign(precommitPayload(target.hash, target.number, round, setId), seed);
  return new ScaleWriter(256).u64(round).fixed(target.hash, 32).u32(target.number)
    .compact(1).fixed(target.hash, 32).u32(target.number).fixed(signature, 64).fixed(ed25519.getPublicKey(seed), 32)
    .compact(0).finish();
}

export interface TestBlock extends BlockInput {
  hash: Hash;
  number: number;
}

const genesisTrie = Trie.empty(1).with([[GRANDPA_AUTHORITIES_KEY, encodeVersionedAuthorityList([{ id: ed25519.getPublicKey(VOTER_SEED), weight: 1n }])]]);
const genesisHeader = encodeHeader({ parentHash: new Uint8Array(32), number: 0, stateRoot: genesisTrie.rootHash(), extrinsicsRoot: orderedTrieRoot([]), digest: [] });

/** What `Enclave.create` needs to follow the test chain from its genesis. */
export const TEST_GENESIS = {
  hash: blake(genesisHeader),
  header: genesisHeader,
  proof: genesisTrie.readProof([GRANDPA_AUTHORITIES_KEY]),
  metadata: runtime.bytes,
};

/** A cursor on the test chain: each `block` links to the one before, starting at genesis. */
export class TestChain {
  #trie = genesisTrie;
  #parent = { hash: TEST_GENESIS.hash, number: 0 };

  get head(): number {
    return this.#parent.number;
  }

  block(items: readonly ChainItem[]): TestBlock {
    const built = items.map((item, i) => itemOf(item, i, TEST_GENESIS.hash));
    const extrinsics = built.map((b) => b.extrinsic);
    const number = this.#parent.number + 1;
    const events = built.flatMap((b) => b.events);
    this.#trie = this.#trie.with([
      [SYSTEM_NUMBER_KEY, new ScaleWriter(4).u32(number).finish()],
      [SYSTEM_EVENTS_KEY, events.length ? codec.eventRecords(events) : null],
    ]);
    const header = encodeHeader({ parentHash: this.#parent.hash, number, stateRoot: this.#trie.rootHash(), extrinsicsRoot: orderedTrieRoot(extrinsics), digest: [] });
    const hash = blake(header);
    this.#parent = { hash, number };
    return { header, justification: justify({ hash, number }), extrinsics, proof: this.#trie.readProof([SYSTEM_EVENTS_KEY]), hash: toHex(hash) as Hash, number };
  }
}
