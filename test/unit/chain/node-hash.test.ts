/**
 * The chain node hashes its trie through @polkadot's wasm blake2b called directly (not through its
 * bridge): it must be blake2-256 for every length, and what it returns must be the caller's own
 * (not a view of wasm memory that a later call overwrites), also after the wasm memory grows.
 */
import { blake2b } from '@noble/hashes/blake2.js';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { nodeHash } from '../../../contract/chain/runtime/hash';

const bytes = (length: number, seed: number) => Uint8Array.from({ length }, (_, i) => (i * 31 + seed * 7) & 0xff);
const noble = (data: Uint8Array) => blake2b(data, { dkLen: 32 });

beforeAll(() => cryptoWaitReady());

test('equals blake2-256 for every length a trie node or value has', () => {
  for (let length = 0; length <= 700; length++) {
    const data = bytes(length, length);
    expect(nodeHash(data)).toEqual(noble(data));
  }
});

test('results stay the caller’s across later calls and wasm memory growth', () => {
  const first = bytes(96, 1);
  const kept = nodeHash(first);
  const copy = kept.slice();
  // Inputs far larger than the wasm memory's initial pages make it grow (its buffer is replaced).
  for (const length of [1 << 16, 1 << 20, 8 << 20]) {
    const big = bytes(length, 3);
    expect(nodeHash(big)).toEqual(noble(big));
  }
  expect(kept).toEqual(copy);
  expect(nodeHash(first)).toEqual(copy);
});
