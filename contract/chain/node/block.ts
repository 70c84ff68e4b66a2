/**
 * Block headers and their encoding. The header hash is Substrate's (blake2-256 of the SCALE
 * header). Roots are simple commitments, not tries: the extrinsics root hashes the extrinsic list,
 * the state root chains the parent's root with this block's sorted storage changes — deterministic,
 * so replaying the log rebuilds exactly the same hashes.
 */
import type { TypeRegistry } from '@polkadot/types';
import type { Block, Header } from '@polkadot/types/interfaces';
import { compactAddLength, compactToU8a, hexToU8a, u8aConcat } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import type { Changes } from '../runtime/state';

export interface SealedBlock {
  number: number;
  hash: string;
  header: Header;
  /** Each SCALE-encoded with its length prefix, exactly as submitted. */
  extrinsics: Uint8Array[];
}

export function stateRootAfter(parentRoot: Uint8Array, changes: Changes): Uint8Array {
  // SCALE Vec<(Bytes, Option<Bytes>)> of the sorted changes, framed by hand: a block's changes
  // include all its events, and a codec round trip of them would cost more than the hash.
  const sorted = [...changes.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const parts: Uint8Array[] = [parentRoot, compactToU8a(sorted.length)];
  for (const [key, value] of sorted) {
    parts.push(compactAddLength(hexToU8a(key)));
    parts.push(value === null ? NONE : u8aConcat(SOME, compactAddLength(value)));
  }
  return blake2AsU8a(u8aConcat(...parts), 256);
}

const NONE = new Uint8Array([0]);
const SOME = new Uint8Array([1]);

export function sealBlock(
  registry: TypeRegistry, parentHash: string, number: number, stateRoot: Uint8Array, extrinsics: Uint8Array[],
): SealedBlock {
  const extrinsicsRoot = blake2AsU8a(u8aConcat(...extrinsics), 256);
  const header = registry.createType('Header', { parentHash, number, stateRoot, extrinsicsRoot, digest: { logs: [] } });
  return { number, hash: header.hash.toHex(), header, extrinsics };
}

/** SCALE `Block` (header, Vec<Extrinsic>), framed around the extrinsics' own bytes rather than re-decoding them. */
export function encodeBlock(b: SealedBlock): Uint8Array {
  return u8aConcat(b.header.toU8a(), compactToU8a(b.extrinsics.length), ...b.extrinsics);
}

export function decodeBlock(registry: TypeRegistry, bytes: Uint8Array): { header: Header; extrinsics: Uint8Array[] } {
  const block: Block = registry.createType('Block', bytes);
  return { header: block.header, extrinsics: block.extrinsics.map((x) => x.toU8a()) };
}
