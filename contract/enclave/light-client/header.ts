/**
 * Substrate's generic header (sp-runtime `generic::Header<u32, BlakeTwo256>`) and its digest: the
 * block hash is blake2-256 of exactly these bytes, so the header is decoded strictly and hashed as given.
 */
import { blake2_256 } from '../../../shared/trie/codec';
import { U32_MAX } from '../../../shared/types';
import { ScaleWriter, type ScaleReader } from '../../../shared/protocol/scale';
import { refuse } from './errors';
import { decodeOrRefuse, readCompactBig } from './scale';

export type DigestItem =
  | { kind: 'consensus' | 'seal' | 'preRuntime'; engine: string; data: Uint8Array }
  | { kind: 'other'; data: Uint8Array }
  | { kind: 'runtimeEnvironmentUpdated' };

export interface Header {
  hash: Uint8Array;
  parentHash: Uint8Array;
  number: number;
  stateRoot: Uint8Array;
  extrinsicsRoot: Uint8Array;
  digest: DigestItem[];
}

/** Digest items and their payloads are bounded only by the block; these limits just stop absurd input. */
const MAX_DIGEST_ITEMS = 1024;
const MAX_ITEM_BYTES = 1 << 24;

const engineId = (r: ScaleReader): string => String.fromCharCode(...r.fixed(4));

// sp-runtime DigestItem's SCALE tags (2, 3 and 7 were retired and are not valid any more).
function readDigestItem(r: ScaleReader): DigestItem {
  const tag = r.u8();
  switch (tag) {
    case 0: return { kind: 'other', data: r.bytesVec(MAX_ITEM_BYTES) };
    case 4: return { kind: 'consensus', engine: engineId(r), data: r.bytesVec(MAX_ITEM_BYTES) };
    case 5: return { kind: 'seal', engine: engineId(r), data: r.bytesVec(MAX_ITEM_BYTES) };
    case 6: return { kind: 'preRuntime', engine: engineId(r), data: r.bytesVec(MAX_ITEM_BYTES) };
    case 8: return { kind: 'runtimeEnvironmentUpdated' };
    default: throw refuse('BadHeader', 'A header digest item has an unknown kind.');
  }
}

export function readHeaderFields(r: ScaleReader): Omit<Header, 'hash'> {
  const parentHash = r.fixed(32);
  const number = readCompactBig(r);
  if (number > BigInt(U32_MAX)) throw refuse('BadHeader', 'A block number does not fit a u32.');
  return {
    parentHash, number: Number(number), stateRoot: r.fixed(32), extrinsicsRoot: r.fixed(32),
    digest: r.vec(MAX_DIGEST_ITEMS, readDigestItem),
  };
}

const DIGEST_TAG = { other: 0, consensus: 4, seal: 5, preRuntime: 6, runtimeEnvironmentUpdated: 8 } as const;

function writeDigestItem(w: ScaleWriter, item: DigestItem): void {
  w.u8(DIGEST_TAG[item.kind]);
  if (item.kind === 'runtimeEnvironmentUpdated') return;
  if (item.kind !== 'other') w.fixed(Uint8Array.from(item.engine, (c) => c.charCodeAt(0)), 4);
  w.bytes(item.data, MAX_ITEM_BYTES);
}

/** The canonical SCALE header: decoding is strict, so re-encoding a decoded header gives its bytes back. */
export function encodeHeader(h: Omit<Header, 'hash'>): Uint8Array {
  const w = new ScaleWriter(128);
  w.fixed(h.parentHash, 32).compact(h.number).fixed(h.stateRoot, 32).fixed(h.extrinsicsRoot, 32);
  w.vec(h.digest, MAX_DIGEST_ITEMS, writeDigestItem);
  return w.finish();
}

export function decodeHeader(bytes: Uint8Array): Header {
  const fields = decodeOrRefuse('BadHeader', 'A header', bytes, readHeaderFields);
  return { hash: blake2_256(bytes), ...fields };
}
