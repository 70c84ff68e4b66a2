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
import { RuntimeCodec } from '../../contract/chain/runtime/codec';
import { dispatchInfo } from '../../contract/chain/runtime/fees';
import { GRANDPA_AUTHORITIES_KEY, SYSTEM_EVENTS_KEY, type BlockInput } from '../../contract/enclave';
import { encodeVersionedAuthorityList } from '../../contract/enclave/light-client/authority-set';
import { encodeHeader } from '../../contract/enclave/light-client/header';
import { precommitPayload } from '../../contract/enclave/light-client/justification';
import { ScaleWriter } from '../../shared/protocol/scale';
import { orderedTrieRoot, Trie } from '../../shared/trie';
import { fromHex, toHex, type AccountId, type Hash } from '../../shared/types';

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
  | { kind: 'paid'; contractId: number; seq: bigint; dest: AccountId; amount: bigint }
  /** A checkpoint whose vote split the workers: the pallet's CheckpointMismatch naming the reference ledger of `blockNumber`. */
  | { kind: 'mismatch'; contractId: number; blockNumber: number; blockHash: Hash; stateRoot: Hash; worker: AccountId };

/**
 * The signed part every test extrinsic shares: MultiSignature::Sr25519 with a placeholder signature
 * (not all zeros: polkadot-js takes those for "unsigned"), then the signed extensions (immortal era,
 * nonce 0, no tip), as polkadot-js encodes them once for this metadata.
 */
const SIGNATURE_AND_EXTRA = (() => {
  const call = tx.system.remark('0x');
  const ext = runtime.registry.createType('Extrinsic', call);
  const signature = new Uint8Array(65).fill(0xaa);
  signature[0] = 1; // MultiSignature::Sr25519
  const genesisHash = new Uint8Array(32);
  ext.addSignature(new Uint8Array(32).fill(1), signature, {
    blockHash: genesisHash, genesisHash, nonce: 0, era: '0x00', tip: 0,
    method: call.toHex(), specVersion: RUNTIME_VERSION.specVersion, transactionVersion: RUNTIME_VERSION.transactionVersion,
  });
  const body = ext.toU8a(true); // without the length prefix: version, address, signature, extra, call
  return body.slice(1 + 33, body.length - call.toU8a().length);
})();

const SIGNED_V4 = 0x84;
const ADDRESS_ID = 0x00; // MultiAddress::Id

/** A signed extrinsic from `signer` carrying `call`, length-prefixed as a block body holds it. */
function extrinsicFrom(signer: AccountId, callBytes: Uint8Array): Uint8Array {
  const length = 2 + 32 + SIGNATURE_AND_EXTRA.length + callBytes.length;
  const w = new ScaleWriter(length + 5).compact(length).u8(SIGNED_V4).u8(ADDRESS_ID).fixed(fromHex(signer), 32);
  return w.fixed(SIGNATURE_AND_EXTRA, SIGNATURE_AND_EXTRA.length).fixed(callBytes, callBytes.length).finish();
}

/**
 * polkadot-js encodes an item in ~2 ms; funding 100k accounts for the bench would take minutes. So each
 * call and event is encoded by polkadot-js once per shape, and the per-item fields (signer, depositor,
 * payload) are written into a copy; `test-chain.test.ts` checks the result equals polkadot-js's own.
 */
const shapes = new Map<string, Uint8Array>();
const shape = (key: string, encode: () => Uint8Array): Uint8Array => {
  let bytes = shapes.get(key);
  if (bytes === undefined) shapes.set(key, (bytes = encode()));
  return bytes;
};
const ZERO_ACCOUNT = toHex(new Uint8Array(32));
/** PhalaModule event fields start after the pallet and variant bytes; TransferToTee's `who` after its u32 contract id. */
const TRANSFER_TO_TEE_WHO = 2 + 4;

function pushCommandCall(contractId: number, payload: Uint8Array): Uint8Array {
  const empty = shape(`push:${contractId}`, () => tx.phalaModule.pushCommand(contractId, new Uint8Array()).toU8a());
  const head = empty.subarray(0, empty.length - 1); // without the empty payload's compact length
  return new ScaleWriter(head.length + payload.length + 5).fixed(head, head.length).bytes(payload, payload.length).finish();
}

function transferToTeeEvent(contractId: number, who: AccountId, amount: bigint): Uint8Array {
  const event = shape(`tee-event:${contractId}:${amount}`, () => codec.event('PhalaModule', 'TransferToTee', { contractId, who: ZERO_ACCOUNT, amount })).slice();
  event.set(fromHex(who), TRANSFER_TO_TEE_WHO);
  return event;
}

const success = () => shape('success', () => codec.event('System', 'ExtrinsicSuccess', { dispatchInfo: dispatchInfo(1000n, 'Normal') }));
const failure = () => shape('failure', () => codec.event('System', 'ExtrinsicFailed', { dispatchError: 'BadOrigin', dispatchInfo: dispatchInfo(1000n, 'Normal') }));

/** One item's extrinsic and the events the runtime emits for it. */
function itemOf(item: ChainItem): { extrinsic: Uint8Array; events: Uint8Array[] } {
  switch (item.kind) {
    case 'command':
      return { extrinsic: extrinsicFrom(item.sender, pushCommandCall(item.contractId, item.payload)), events: [item.success === false ? failure() : success()] };
    case 'deposit':
      return {
        extrinsic: extrinsicFrom(item.who, shape(`tee:${item.contractId}:${item.amount}`, () => tx.phalaModule.transferToTee(item.contractId, item.amount).toU8a())),
        events: [transferToTeeEvent(item.contractId, item.who, item.amount), success()],
      };
    case 'paid': {
      const receipt = { contractId: item.contractId, seq: item.seq, dest: item.dest, amount: item.amount };
      return {
        extrinsic: extrinsicFrom(item.dest, tx.phalaModule.transferToChain(receipt, new Uint8Array(64)).toU8a()),
        events: [codec.event('PhalaModule', 'TransferToChain', { dest: item.dest, amount: item.amount, seq: item.seq }), success()],
      };
    }
    case 'mismatch': {
      const { contractId, blockNumber, blockHash, stateRoot } = item;
      return {
        extrinsic: extrinsicFrom(item.worker, tx.phalaModule.submitCheckpoint({ contractId, blockNumber, blockHash, stateRoot, worker: item.worker }, new Uint8Array(64)).toU8a()),
        events: [codec.event('PhalaModule', 'CheckpointMismatch', { contractId, blockNumber, blockHash, stateRoot }), success()],
      };
    }
  }
}

const APPLY_EXTRINSIC = 0; // frame_system::Phase::ApplyExtrinsic(u32)

/** SCALE `Vec<EventRecord>`: each record is its phase, the event, and no topics. */
export function eventRecords(perExtrinsic: readonly Uint8Array[][]): Uint8Array {
  const count = perExtrinsic.reduce((n, events) => n + events.length, 0);
  const size = perExtrinsic.reduce((n, events) => n + events.reduce((m, e) => m + e.length + 6, 0), 5);
  const w = new ScaleWriter(size).compact(count);
  perExtrinsic.forEach((events, index) => {
    for (const event of events) w.u8(APPLY_EXTRINSIC).u32(index).fixed(event, event.length).compact(0);
  });
  return w.finish();
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
  #header = TEST_GENESIS.header;

  get head(): number {
    return this.#parent.number;
  }

  /** `storage`: further entries (hex key, SCALE value or null to remove) this block's state holds, e.g. PhalaModule's. */
  block(items: readonly ChainItem[], storage: readonly [string, Uint8Array | null][] = []): TestBlock {
    const built = items.map(itemOf);
    const extrinsics = built.map((b) => b.extrinsic);
    const number = this.#parent.number + 1;
    this.#trie = this.#trie.with([
      [SYSTEM_NUMBER_KEY, new ScaleWriter(4).u32(number).finish()],
      [SYSTEM_EVENTS_KEY, built.length ? eventRecords(built.map((b) => b.events)) : null],
      ...storage,
    ]);
    const header = encodeHeader({ parentHash: this.#parent.hash, number, stateRoot: this.#trie.rootHash(), extrinsicsRoot: orderedTrieRoot(extrinsics), digest: [] });
    const hash = blake(header);
    this.#parent = { hash, number };
    this.#header = header;
    return { header, justification: justify({ hash, number }), extrinsics, proof: this.#trie.readProof([SYSTEM_EVENTS_KEY]), hash: toHex(hash) as Hash, number };
  }

  /** The last block's header and a read proof of `keys` against its state, as `state_getReadProof` gives it. */
  storageAt(keys: readonly string[]): { header: Uint8Array; proof: Uint8Array[] } {
    return { header: this.#header, proof: this.#trie.readProof([...keys]) };
  }
}
