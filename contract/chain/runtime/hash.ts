/**
 * The chain node's blake2-256 for its tries: @polkadot/wasm-crypto's wasm blake2b (several times the
 * pure-JS default's speed; hashing is most of a trie update; the node is not the enclave, which keeps
 * the pure one), called through its raw exports.
 * Its JavaScript bridge (`blake2AsU8a`) makes a key array, argument arrays, views and a copy of the
 * result on every call: most of a short hash's time, and garbage the trie's collector pays for.
 * This writes the input into wasm memory, calls the hash and copies the 32 bytes out, allocating
 * nothing but the result. Needs `cryptoWaitReady()` first; before it, it is @polkadot's own path.
 */
import { bridge } from '@polkadot/wasm-crypto';
import { blake2AsU8a } from '@polkadot/util-crypto';

const HASH_LENGTH = 32;
/** Where wasm-bindgen's exports write a returned vector's pointer and length (two i32). */
const RESULT = 8;

/** Views of the wasm memory, remade when it grows (growing replaces its buffer). */
let bytes = new Uint8Array(0);
let words = new Int32Array(0);

export function nodeHash(data: Uint8Array): Uint8Array {
  const wasm = bridge.wasm;
  if (wasm === null) return blake2AsU8a(data, 256);
  const input = wasm.__wbindgen_malloc(data.length);
  if (bytes.buffer !== wasm.memory.buffer) viewMemory(wasm.memory.buffer);
  bytes.set(data, input);
  // The wasm frees the input and the (empty) key itself; the result it allocates is freed below.
  wasm.ext_blake2b(RESULT, input, data.length, wasm.__wbindgen_malloc(0), 0, HASH_LENGTH);
  if (bytes.buffer !== wasm.memory.buffer) viewMemory(wasm.memory.buffer);
  const at = words[RESULT >> 2];
  const out = new Uint8Array(HASH_LENGTH);
  for (let i = 0; i < HASH_LENGTH; i++) out[i] = bytes[at + i];
  wasm.__wbindgen_free(at, words[(RESULT >> 2) + 1]);
  return out;
}

function viewMemory(buffer: ArrayBuffer): void {
  bytes = new Uint8Array(buffer);
  words = new Int32Array(buffer);
}
