/**
 * Read-proof verification: given a state root, the trie nodes a node sent (`state_getReadProof`) and
 * the keys asked for, returns each key's value or proves its absence. Pure, for the enclave and the
 * extension: it believes nothing but hashes, and anything that does not verify throws BadProof.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { blake2_256, decodeNode, HASH_LENGTH, type NodeParts, type Reference } from './codec';
import { BadProof } from './errors';
import { commonPrefix, hexToNibbles, type Nibbles } from './nibbles';

/** Each asked key's value, or `null` where the proof shows the key is absent. */
export type ProvenValues = Map<string, Uint8Array | null>;

export function verifyReadProof(stateRoot: Uint8Array, proof: readonly Uint8Array[], keys: readonly string[]): ProvenValues {
  if (!(stateRoot instanceof Uint8Array) || stateRoot.length !== HASH_LENGTH) throw new BadProof('bad-input', 'A state root is 32 bytes.');
  const byHash = new Map<string, Uint8Array>();
  for (const node of proof) byHash.set(bytesToHex(blake2_256(node)), node);
  const fetch = (hash: Uint8Array, missing: 'missing-node' | 'missing-value'): Uint8Array => {
    const bytes = byHash.get(bytesToHex(hash));
    if (!bytes) throw new BadProof(missing, `The proof holds no ${missing === 'missing-node' ? 'node' : 'value'} with hash 0x${bytesToHex(hash)}.`);
    return bytes;
  };
  const resolve = (ref: Reference): NodeParts => {
    const node = decodeNode(ref.hash ? fetch(ref.hash, 'missing-node') : ref.inline);
    // The empty node only stands for a whole empty trie, never for a child.
    if (!node) throw new BadProof('malformed-node', 'An empty node where a child belongs.');
    return node;
  };

  const out: ProvenValues = new Map();
  for (const key of keys) {
    let path: Nibbles;
    try {
      path = hexToNibbles(key);
      if (path.length % 2 !== 0) throw new TypeError('odd');
    } catch {
      throw new BadProof('bad-input', 'A storage key is 0x-prefixed hex of whole bytes.');
    }
    const root = decodeNode(fetch(stateRoot, 'missing-node'));
    out.set(key, root === null ? null : walk(root, path, resolve, (hash) => fetch(hash, 'missing-value')));
  }
  return out;
}

function walk(node: NodeParts, key: Nibbles, resolve: (ref: Reference) => NodeParts, value: (hash: Uint8Array) => Uint8Array): Uint8Array | null {
  for (;;) {
    const common = commonPrefix(node.partial, key);
    if (common !== node.partial.length) return null;
    if (common === key.length) {
      if (!node.value) return null;
      return node.value.hash ? value(node.value.hash) : node.value.inline;
    }
    const child = node.children?.[key[common]];
    if (!child) return null;
    node = resolve(child);
    key = key.subarray(common + 1);
  }
}

/** `0x` hex to bytes for proofs received as JSON (`state_getReadProof` returns hex nodes). */
export function proofFromHex(nodes: readonly string[]): Uint8Array[] {
  try {
    return nodes.map((n) => hexToBytes(n.startsWith('0x') ? n.slice(2) : n));
  } catch {
    throw new BadProof('bad-input', 'A proof node is not hex.');
  }
}
