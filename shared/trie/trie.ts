/**
 * A persistent (immutable, structurally shared) base-16 Patricia-Merkle trie. Every update copies
 * only the path to the changed keys, so each version stays whole and cheap to keep: the chain keeps
 * one per block, answers reads and read proofs at any of them, and a block touching k keys re-encodes
 * and re-hashes only the O(k · depth) nodes on their paths (each node caches its encoding once made).
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { blake2_256, childReference, EMPTY_NODE, encodeNode, valueReference, type Reference, type TrieVersion } from './codec';
import { commonPrefix, concatNibbles, hexToNibbles, nibblesToHex, type Nibbles } from './nibbles';

interface Node {
  readonly partial: Nibbles;
  readonly value: Uint8Array | null;
  /** `null` for a leaf; 16 slots for a branch. */
  readonly children: readonly (Node | null)[] | null;
  /** Filled on first encoding; valid because a node never changes and belongs to one layout. */
  encoded?: Uint8Array;
  reference?: Reference;
}

const NO_CHILDREN: readonly (Node | null)[] = Array<Node | null>(16).fill(null);
const leaf = (partial: Nibbles, value: Uint8Array): Node => ({ partial, value, children: null });
const branch = (partial: Nibbles, value: Uint8Array | null, children: readonly (Node | null)[]): Node => ({ partial, value, children });
const withPartial = (n: Node, partial: Nibbles): Node => ({ partial, value: n.value, children: n.children });

function insert(node: Node | null, key: Nibbles, value: Uint8Array): Node {
  if (node === null) return leaf(key, value);
  const common = commonPrefix(node.partial, key);
  if (common === node.partial.length) {
    if (common === key.length) return node.children ? branch(node.partial, value, node.children) : leaf(node.partial, value);
    const children = [...(node.children ?? NO_CHILDREN)];
    children[key[common]] = insert(children[key[common]], key.subarray(common + 1), value);
    return branch(node.partial, node.value, children);
  }
  // The key leaves this node's partial key part way: a new branch where they part.
  const children = [...NO_CHILDREN];
  children[node.partial[common]] = withPartial(node, node.partial.subarray(common + 1));
  if (common === key.length) return branch(key, value, children);
  children[key[common]] = leaf(key.subarray(common + 1), value);
  return branch(key.subarray(0, common), null, children);
}

function remove(node: Node | null, key: Nibbles): Node | null {
  if (node === null) return null;
  const common = commonPrefix(node.partial, key);
  if (common !== node.partial.length) return node;
  if (common === key.length) {
    if (node.value === null) return node;
    return node.children ? normalized(node.partial, null, node.children) : null;
  }
  if (!node.children) return node;
  const slot = key[common];
  const child = node.children[slot];
  const next = remove(child, key.subarray(common + 1));
  if (next === child) return node;
  const children = [...node.children];
  children[slot] = next;
  return normalized(node.partial, node.value, children);
}

/** A branch as the trie must hold it: without children it is a leaf (or nothing); a lone child without a value merges up. */
function normalized(partial: Nibbles, value: Uint8Array | null, children: readonly (Node | null)[]): Node | null {
  const present = children.flatMap((c, i) => (c ? [i] : []));
  if (present.length === 0) return value === null ? null : leaf(partial, value);
  if (present.length === 1 && value === null) {
    const only = children[present[0]]!;
    return withPartial(only, concatNibbles(partial, Uint8Array.of(present[0]), only.partial));
  }
  return branch(partial, value, children);
}

function lookup(node: Node | null, key: Nibbles): Uint8Array | null {
  while (node) {
    const common = commonPrefix(node.partial, key);
    if (common !== node.partial.length) return null;
    if (common === key.length) return node.value;
    if (!node.children) return null;
    node = node.children[key[common]];
    key = key.subarray(common + 1);
  }
  return null;
}

function encoded(node: Node, version: TrieVersion): Uint8Array {
  if (!node.encoded) {
    node.encoded = encodeNode({
      partial: node.partial,
      value: node.value === null ? null : valueReference(node.value, version),
      children: node.children && node.children.map((c) => (c ? reference(c, version) : null)),
    });
  }
  return node.encoded;
}

function reference(node: Node, version: TrieVersion): Reference {
  return (node.reference ??= childReference(encoded(node, version)));
}

/** Storage changes: a value to set, or `null` to delete. Keys are `0x` hex. */
export type TrieChanges = Iterable<readonly [string, Uint8Array | null]>;

export class Trie {
  private constructor(
    readonly version: TrieVersion,
    private readonly root: Node | null,
  ) {}

  static empty(version: TrieVersion): Trie {
    return new Trie(version, null);
  }

  /** A new version with `changes` applied; this one is unchanged. */
  with(changes: TrieChanges): Trie {
    let root = this.root;
    for (const [key, value] of changes) {
      const nibbles = hexToNibbles(key);
      root = value === null ? remove(root, nibbles) : insert(root, nibbles, value);
    }
    return root === this.root ? this : new Trie(this.version, root);
  }

  get(key: string): Uint8Array | null {
    return lookup(this.root, hexToNibbles(key));
  }

  /** blake2-256 of the root node: Substrate's state root. */
  rootHash(): Uint8Array {
    if (!this.root) return blake2_256(EMPTY_NODE);
    const ref = reference(this.root, this.version);
    return ref.hash ?? blake2_256(ref.inline);
  }

  /**
   * The nodes a verifier needs to read `keys` (present or absent) against `rootHash()`: every node on
   * their lookup paths that its parent holds by hash, the root, and the values stored by hash.
   */
  readProof(keys: Iterable<string>): Uint8Array[] {
    if (!this.root) return [EMPTY_NODE];
    // By content, as Substrate's proofs are sets: equal values stored by hash appear once.
    const proof = new Map<string, Uint8Array>();
    const add = (bytes: Uint8Array) => proof.set(bytesToHex(bytes), bytes);
    add(encoded(this.root, this.version));
    for (const key of keys) {
      let node: Node | null = this.root;
      let rest = hexToNibbles(key);
      while (node) {
        if (node !== this.root && reference(node, this.version).hash) add(encoded(node, this.version));
        const common = commonPrefix(node.partial, rest);
        if (common !== node.partial.length) break;
        if (common === rest.length) {
          if (node.value && valueReference(node.value, this.version).hash) add(node.value);
          break;
        }
        if (!node.children) break;
        node = node.children[rest[common]];
        rest = rest.subarray(common + 1);
      }
    }
    return [...proof.values()];
  }

  /**
   * Keys starting with `prefix`, in order, strictly after `after` when given, at most `count`:
   * subtrees wholly outside the prefix or wholly before `after` are skipped, not walked.
   */
  keys(prefix: string, count: number, after: string | null): string[] {
    const want = hexToNibbles(prefix);
    const from = after === null ? null : hexToNibbles(after);
    const out: string[] = [];
    const visit = (node: Node, path: Nibbles): void => {
      const full = concatNibbles(path, node.partial);
      const shared = Math.min(full.length, want.length);
      if (commonPrefix(full, want) < shared) return;
      if (from && compareUpTo(full, from) < 0) return;
      if (node.value !== null && full.length >= want.length && full.length % 2 === 0 && (!from || compareUpTo(full, from, true) > 0)) {
        out.push(nibblesToHex(full));
      }
      node.children?.forEach((child, i) => {
        if (child && out.length < count) visit(child, concatNibbles(full, Uint8Array.of(i)));
      });
    };
    if (this.root && count > 0) visit(this.root, new Uint8Array(0));
    return out.slice(0, count);
  }
}

/**
 * Compares `path` with `key`: over their common length only (a subtree at `path` can still hold keys
 * after `key` when `path` is a prefix of it), or as whole keys when `whole`.
 */
function compareUpTo(path: Nibbles, key: Nibbles, whole = false): number {
  const n = Math.min(path.length, key.length);
  for (let i = 0; i < n; i++) if (path[i] !== key[i]) return path[i] - key[i];
  return whole ? path.length - key.length : 0;
}
