/**
 * The snapshot the host persists (DESIGN.md §6), sealed under the enclave's sealing key:
 *   box(domain "dark-wallet/v1/sealed-state", version 4, context = contractId u32 | genesis 32,
 *       plaintext = Vec<u8> light-client state (last accepted header hash and number, GRANDPA set,
 *                   pending change) | metadata hash 32 | Vec<u64> unpaid receipt seqs |
 *                   u64 highest seq released at a cadence boundary |
 *                   Option<u32> block whose checkpoint verdict this ledger lost (checkpoint-watch.ts) |
 *                   canonical ledger bytes to the end)
 * Version 3 had no checkpoint verdict (it opens as never diverged). Version 2 had no released seq
 * either: it released every receipt at once, so all its unpaid ones count as released (it still opens).
 * The ledger bytes carry the last block number and the receipt list (so a receipt seq can never be
 * issued twice after a restore). Version 1 had no light-client state: a worker holding one replays
 * the chain's verified blocks from genesis instead (same keys, same blocks: the same state).
 * Query sessions are deliberately not persisted: they are re-opened by clients, and a restored
 * session would restart its reply counters. Binding contract and chain in the AAD makes a blob of
 * another contract or chain fail as DecryptFailed.
 */
import type { ContractId } from '../../shared/types';
import { ScaleReader, encodeWith } from '../../shared/protocol/scale';
import { decodeLightClientState, encodeLightClientState, type LightClientState } from './light-client';
import type { BoxFormat } from './sealed-box';
import type { Sealer } from './secret';

const SEALED_STATE: BoxFormat = { domain: 'dark-wallet/v1/sealed-state', version: 4 };
const BEFORE_CHECKPOINTS: BoxFormat = { ...SEALED_STATE, version: 3 };
const BEFORE_CADENCE: BoxFormat = { ...SEALED_STATE, version: 2 };
const FORMATS = [BEFORE_CADENCE, BEFORE_CHECKPOINTS, SEALED_STATE];
const MAX_CHAIN_STATE = 1 << 24;
const MAX_UNPAID = 1 << 24;

export interface StateBinding {
  genesisHash: Uint8Array;
  contractId: ContractId;
}

export interface Snapshot {
  chain: LightClientState;
  /** blake2-256 of the runtime metadata pinned when the state was created. */
  metadataHash: Uint8Array;
  /** Receipts signed but not yet seen paid in a verified block, by seq. */
  unpaid: readonly bigint[];
  /** Unpaid receipts up to this seq were released to the host; later ones wait for the next cadence boundary. */
  released: bigint;
  /** The checkpoint block whose reference ledger this one is not (null: it never diverged). */
  divergedAt: number | null;
  /** `Ledger.encode()` output. */
  ledger: Uint8Array;
}

function contextOf(b: StateBinding): Uint8Array {
  const ctx = new Uint8Array(4 + 32);
  new DataView(ctx.buffer).setUint32(0, b.contractId, true);
  ctx.set(b.genesisHash, 4);
  return ctx;
}

export function sealSnapshot(sealer: Sealer, binding: StateBinding, s: Snapshot): Uint8Array {
  const chain = encodeLightClientState(s.chain);
  const head = encodeWith(s, (w, v) => {
    w.bytes(chain, MAX_CHAIN_STATE).fixed(v.metadataHash, 32);
    w.vec(v.unpaid, MAX_UNPAID, (x, seq) => x.u64(seq)).u64(v.released).option(v.divergedAt, (x, block) => x.u32(block));
  }, chain.length + 61 + 8 * s.unpaid.length);
  const plain = new Uint8Array(head.length + s.ledger.length);
  plain.set(head);
  plain.set(s.ledger, head.length);
  return sealer.seal(SEALED_STATE, contextOf(binding), plain);
}

export function unsealSnapshot(sealer: Sealer, binding: StateBinding, blob: Uint8Array): Snapshot {
  const format = FORMATS.find((f) => f.version === blob[0]) ?? SEALED_STATE;
  const beforeCadence = format === BEFORE_CADENCE;
  const plain = sealer.open(format, contextOf(binding), blob);
  const r = new ScaleReader(plain);
  const chain = decodeLightClientState(r.bytesVec(MAX_CHAIN_STATE));
  const metadataHash = r.fixed(32);
  const unpaid = r.vec(MAX_UNPAID, (x) => x.u64());
  const released = beforeCadence ? unpaid.reduce((max, seq) => (seq > max ? seq : max), 0n) : r.u64();
  const divergedAt = format === SEALED_STATE ? r.option((x) => x.u32()) : null;
  return { chain, metadataHash, unpaid, released, divergedAt, ledger: plain.subarray(plain.length - r.remaining) };
}
