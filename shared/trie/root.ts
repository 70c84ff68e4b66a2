/**
 * Whole-trie roots: Substrate's `trie_root` over key-value pairs, and `ordered_trie_root` over a list
 * (keys = SCALE compact index), which is how a header's `extrinsicsRoot` commits to the block body.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { ScaleWriter } from '../protocol/scale';
import type { Hasher, TrieVersion } from './codec';
import { Trie } from './trie';

/** The root of the trie holding exactly `entries` (hex keys; a later duplicate key wins). */
export const trieRoot = (entries: Iterable<readonly [string, Uint8Array]>, version: TrieVersion, hash?: Hasher): Uint8Array =>
  Trie.empty(version, hash).with(entries).rootHash();

export const compactIndexKey = (index: number): string => `0x${bytesToHex(new ScaleWriter(5).compact(index).finish())}`;

/**
 * Substrate's extrinsics root: `ordered_trie_root` of the encoded extrinsics. A runtime whose
 * `stateVersion` (`system_version`) is 0 or 1 — ours is 1 — builds it with layout V0
 * (`RuntimeVersion::extrinsics_root_state_version`); only `system_version` 2 uses V1.
 */
export const orderedTrieRoot = (items: readonly Uint8Array[], version: TrieVersion = 0, hash?: Hasher): Uint8Array =>
  trieRoot(items.map((item, i) => [compactIndexKey(i), item] as const), version, hash);
