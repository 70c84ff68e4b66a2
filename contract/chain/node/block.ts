/**
 * Block headers and their encoding, with Substrate's commitments: the header hash is blake2-256 of
 * the SCALE header, the extrinsics root the ordered trie root of the block's extrinsics, and the
 * state root (computed by the caller) the root of the state trie after the block.
 */
import type { TypeRegistry } from '@polkadot/types';
import type { Header } from '@polkadot/types/interfaces';
import { compactAddLength, compactFromU8a, compactToU8a, hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { orderedTrieRoot } from '../../../shared/trie';
import { digestItemValue, type ConsensusDigest } from '../runtime/pallets/grandpa';
import { nodeHash } from '../runtime/hash';
import type { Changes } from '../runtime/state';

export interface SealedBlock {
  number: number;
  hash: string;
  header: Header;
  /** Each SCALE-encoded with its length prefix, exactly as submitted. */
  extrinsics: Uint8Array[];
}

/**
 * A block's storage changes as SCALE `Vec<(Bytes, Option<Bytes>)>`, sorted by key, framed by hand: a
 * block's changes include all its events, and a codec round trip of them would cost more than the hash.
 */
export function encodeChanges(changes: Changes): Uint8Array {
  const sorted = [...changes.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const parts: Uint8Array[] = [compactToU8a(sorted.length)];
  for (const [key, value] of sorted) {
    parts.push(compactAddLength(hexToU8a(key)));
    parts.push(value === null ? NONE : u8aConcat(SOME, compactAddLength(value)));
  }
  return u8aConcat(...parts);
}

export function decodeChanges(bytes: Uint8Array): Changes {
  let at = 0;
  const length = (): number => {
    const [read, n] = compactFromU8a(bytes.subarray(at));
    at += read;
    return n.toNumber();
  };
  const take = (n: number): Uint8Array => {
    if (at + n > bytes.length) throw new Error('A cached change set ends early.');
    at += n;
    return bytes.slice(at - n, at);
  };
  const changes: Changes = new Map();
  for (let count = length(); count > 0; count--) {
    const key = u8aToHex(take(length()));
    const some = take(1)[0];
    if (some > 1) throw new Error('A cached change set has a bad option tag.');
    changes.set(key, some ? take(length()) : null);
  }
  if (at !== bytes.length) throw new Error('A cached change set has trailing bytes.');
  return changes;
}

const NONE = new Uint8Array([0]);
const SOME = new Uint8Array([1]);

export function sealBlock(
  registry: TypeRegistry, parentHash: string, number: number, stateRoot: Uint8Array, extrinsics: Uint8Array[],
  digest: ConsensusDigest[] = [],
): SealedBlock {
  // Each extrinsic as frame_system notes it: its SCALE encoding, length prefix included.
  const extrinsicsRoot = orderedTrieRoot(extrinsics, 0, nodeHash);
  const header = registry.createType('Header', { parentHash, number, stateRoot, extrinsicsRoot, digest: { logs: digest.map(digestItemValue) } });
  return { number, hash: header.hash.toHex(), header, extrinsics };
}

/** SCALE `Block` (header, Vec<Extrinsic>), framed around the extrinsics' own bytes rather than re-decoding them. */
export function encodeBlock(b: SealedBlock): Uint8Array {
  return u8aConcat(b.header.toU8a(), compactToU8a(b.extrinsics.length), ...b.extrinsics);
}

/**
 * Splits a logged block into its header and each extrinsic's own bytes (length prefix included),
 * without decoding the extrinsics: the replay re-checks them anyway, and decoding them twice was a
 * third of a restart's time.
 */
export function decodeBlock(registry: TypeRegistry, bytes: Uint8Array): { header: Header; extrinsics: Uint8Array[] } {
  const header = registry.createType('Header', bytes);
  let at = header.encodedLength;
  const [countLength, count] = compactFromU8a(bytes.subarray(at));
  at += countLength;
  const extrinsics: Uint8Array[] = [];
  for (let i = 0; i < count.toNumber(); i++) {
    const [prefix, length] = compactFromU8a(bytes.subarray(at));
    const end = at + prefix + length.toNumber();
    if (end > bytes.length) throw new Error('A block log record ends inside an extrinsic.');
    extrinsics.push(bytes.slice(at, end));
    at = end;
  }
  if (at !== bytes.length) throw new Error('A block log record has bytes after its last extrinsic.');
  return { header, extrinsics };
}
