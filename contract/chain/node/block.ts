/**
 * Block headers and their encoding. The header hash is Substrate's (blake2-256 of the SCALE
 * header). Roots are simple commitments, not tries: the extrinsics root hashes the extrinsic list,
 * the state root chains the parent's root with this block's sorted storage changes — deterministic,
 * so replaying the log rebuilds exactly the same hashes.
 */
import type { TypeRegistry } from '@polkadot/types';
import type { Block, Header } from '@polkadot/types/interfaces';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import type { Changes } from '../runtime/state';

export interface SealedBlock {
  number: number;
  hash: string;
  header: Header;
  /** Each SCALE-encoded with its length prefix, exactly as submitted. */
  extrinsics: Uint8Array[];
}

export function stateRootAfter(registry: TypeRegistry, parentRoot: Uint8Array, changes: Changes): Uint8Array {
  // Hex, not Uint8Array: @polkadot/types reads a Uint8Array given for Bytes as already length-prefixed.
  const sorted = [...changes.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => [k, v === null ? null : u8aToHex(v)]);
  return blake2AsU8a(u8aConcat(parentRoot, registry.createType('Vec<(Bytes, Option<Bytes>)>', sorted).toU8a()), 256);
}

export function sealBlock(
  registry: TypeRegistry, parentHash: string, number: number, stateRoot: Uint8Array, extrinsics: Uint8Array[],
): SealedBlock {
  const extrinsicsRoot = blake2AsU8a(u8aConcat(...extrinsics), 256);
  const header = registry.createType('Header', { parentHash, number, stateRoot, extrinsicsRoot, digest: { logs: [] } });
  return { number, hash: header.hash.toHex(), header, extrinsics };
}

export function encodeBlock(registry: TypeRegistry, b: SealedBlock): Uint8Array {
  return registry.createType('Block', { header: b.header, extrinsics: b.extrinsics }).toU8a();
}

export function decodeBlock(registry: TypeRegistry, bytes: Uint8Array): { header: Header; extrinsics: Uint8Array[] } {
  const block: Block = registry.createType('Block', bytes);
  return { header: block.header, extrinsics: block.extrinsics.map((x) => x.toU8a()) };
}
