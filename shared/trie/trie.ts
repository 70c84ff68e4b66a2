/**
 * A persistent (immutable, structurally shared) base-16 Patricia-Merkle trie. Every update copies
 * only the path to the changed keys, so each version stays whole and cheap to keep: the chain keeps
 * one per block, answers reads and read proofs at any of them, and a block touching k keys re-encodes
 * and re-hashes only the O(k · depth) nodes on their paths (each node caches its reference once made).
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { blake2_256, CHILD_SLOT, EMPTY_NODE, encodeNodeOf, HASH_LENGTH, setChildSlot, isHashedValue, type Hasher, type TrieVersion } from './codec';
import { commonPrefix, concatNibbles, hexToNibbles, nibblesToHex, type Nibbles } from './nibbles';

/**
 * One node: a leaf when `children` is `null`, else a branch of 16 slots. A class with every field
 * set from the start, so all nodes share one shape and the hot paths stay monomorphic.
 */
class Node {
  /**
   * How its parent holds it, filled on first encoding: the encoding's hash, or the encoding itself
   * when under 32 bytes. Valid because a node never changes and belongs to one layout. Encodings
   * held by hash are not kept: only a read proof needs them again, and it re-encodes.
   */
  reference: Uint8Array | undefined = undefined;
  /** A branch's child references (`setChildSlot`), filled when it is encoded. */
  childSlots: Uint8Array | undefined = undefined;
  /** The encoded branch this one copies, and which of its slots (bits) may differ: only those are looked up. */
  base: Node | undefined = undefined;
  changed = 0;

  constructor(
    readonly partial: Nibbles,
    readonly value: Uint8Array | null,
    readonly children: readonly (Node | null)[] | null,
    /** The value's hash when the layout stores it by hash; kept when the node only moves. */
    public valueHash: Uint8Array | undefined = undefined,
  ) {}
}

const NO_CHILDREN: readonly (Node | null)[] = Array<Node | null>(16).fill(null);
const withPartial = (n: Node, partial: Nibbles): Node => new Node(partial, n.value, n.children, n.valueHash);

/** `from` with another value and `children`, which differ from its own in the `changed` slots. */
function derived(from: Node, value: Uint8Array | null, children: readonly (Node | null)[] | null, changed: number): Node {
  const n = new Node(from.partial, value, children);
  if (from.childSlots !== undefined) {
    n.base = from;
    n.changed = changed;
  } else if (from.base !== undefined) {
    n.base = from.base;
    n.changed = from.changed | changed;
  }
  return n;
}

/** `node` with `value` under `key[at..]`. */
function insert(node: Node | null, key: Nibbles, at: number, value: Uint8Array): Node {
  if (node === null) return new Node(key.subarray(at), value, null);
  const partial = node.partial;
  const common = commonPrefix(partial, key, at);
  const next = at + common;
  if (common === partial.length) {
    if (next === key.length) return derived(node, value, node.children, 0);
    const children = (node.children ?? NO_CHILDREN).slice();
    const slot = key[next];
    children[slot] = insert(children[slot], key, next + 1, value);
    return derived(node, node.value, children, 1 << slot);
  }
  // The key leaves this node's partial key part way: a new branch where they part.
  const children = NO_CHILDREN.slice();
  children[partial[common]] = withPartial(node, partial.subarray(common + 1));
  if (next === key.length) return new Node(key.subarray(at), value, children);
  children[key[next]] = new Node(key.subarray(next + 1), value, null);
  return new Node(partial.subarray(0, common), null, children);
}

/** `node` without `key[at..]`. */
function remove(node: Node | null, key: Nibbles, at: number): Node | null {
  if (node === null) return null;
  const common = commonPrefix(node.partial, key, at);
  if (common !== node.partial.length) return node;
  const next = at + common;
  if (next === key.length) {
    if (node.value === null) return node;
    return node.children ? normalized(node.partial, null, node.children) : null;
  }
  if (!node.children) return node;
  const slot = key[next];
  const child = node.children[slot];
  const updated = remove(child, key, next + 1);
  if (updated === child) return node;
  const children = node.children.slice();
  children[slot] = updated;
  return normalized(node.partial, node.value, children);
}

/** A branch as the trie must hold it: without children it is a leaf (or nothing); a lone child without a value merges up. */
function normalized(partial: Nibbles, value: Uint8Array | null, children: readonly (Node | null)[]): Node | null {
  let count = 0;
  let only = -1;
  for (let slot = 0; slot < 16; slot++) {
    if (children[slot] !== null) {
      count++;
      only = slot;
    }
  }
  if (count === 0) return value === null ? null : new Node(partial, value, null);
  if (count === 1 && value === null) {
    const child = children[only]!;
    return withPartial(child, concatNibbles(partial, Uint8Array.of(only), child.partial));
  }
  return new Node(partial, value, children);
}

function lookup(node: Node | null, key: Nibbles): Uint8Array | null {
  let at = 0;
  while (node) {
    const common = commonPrefix(node.partial, key, at);
    if (common !== node.partial.length) return null;
    at += common;
    if (at === key.length) return node.value;
    if (!node.children) return null;
    node = node.children[key[at++]];
  }
  return null;
}

/** How a trie encodes and hashes its nodes; fixed for the life of a trie and all versions made from it. */
interface Layout {
  readonly version: TrieVersion;
  readonly hash: Hasher;
}

function makeLayout(version: TrieVersion, hash: Hasher): Layout {
  return { version, hash };
}

/** The node's encoding, into `allocate`d memory; its children's references are made first. */
function encode(node: Node, layout: Layout, allocate: (size: number) => Uint8Array): Uint8Array {
  const value = node.value;
  const hashed = value !== null && isHashedValue(value, layout.version);
  if (hashed) node.valueHash ??= layout.hash(value);
  const slots = node.children === null ? null : (node.childSlots ??= childSlots(node, layout));
  return encodeNodeOf(node.partial, hashed ? node.valueHash! : value, hashed, slots, allocate);
}

/** A branch's child slots: a copy of its base's with the changed slots looked up, or all looked up. */
function childSlots(node: Node, layout: Layout): Uint8Array {
  const slots = slabBytes(16 * CHILD_SLOT);
  const children = node.children!;
  let lookUp = 0xffff;
  if (node.base !== undefined) {
    slots.set(node.base.childSlots!);
    lookUp = node.changed;
    node.base = undefined; // no need to keep the older version alive any longer
  }
  for (let slot = 0; slot < 16; slot++) {
    if (!(lookUp & (1 << slot))) continue;
    const child = children[slot];
    setChildSlot(slots, slot, child === null ? null : reference(child, layout));
  }
  return slots;
}

/** Child slots are carved from shared blocks: one small typed array each would cost a buffer allocation. */
const SLAB = 64 * 1024;
let slab = new Uint8Array(0);
let slabUsed = 0;
function slabBytes(size: number): Uint8Array {
  if (slabUsed + size > slab.length) {
    slab = new Uint8Array(SLAB);
    slabUsed = 0;
  }
  slabUsed += size;
  return slab.subarray(slabUsed - size, slabUsed);
}

/**
 * One buffer that every new node is encoded into just before it is hashed: encoding is synchronous
 * and a parent's children are all referenced before its own bytes are written, so no two encodings
 * overlap in it, and a block's hundreds of nodes allocate nothing but their references.
 */
let scratch = new Uint8Array(4096);
function scratchBytes(size: number): Uint8Array {
  if (scratch.length < size) scratch = new Uint8Array(Math.max(size, 2 * scratch.length));
  return scratch.subarray(0, size);
}

/** A node as its parent holds it: its encoding under 32 bytes, else that encoding's hash. */
function reference(node: Node, layout: Layout): Uint8Array {
  if (node.reference === undefined) {
    const bytes = encode(node, layout, scratchBytes);
    node.reference = bytes.length < HASH_LENGTH ? bytes.slice() : layout.hash(bytes);
  }
  return node.reference;
}

/** Inline references are under 32 bytes, so exactly 32 means by hash. */
const heldByHash = (node: Node, layout: Layout): boolean => reference(node, layout).length === HASH_LENGTH;

/** A node's encoding of its own (not in the scratch buffer): for read proofs. */
const encoded = (node: Node, layout: Layout): Uint8Array => encode(node, layout, newBytes);
const newBytes = (size: number): Uint8Array => new Uint8Array(size);

/** Storage changes: a value to set, or `null` to delete. Keys are `0x` hex. */
export type TrieChanges = Iterable<readonly [string, Uint8Array | null]>;

export class Trie {
  private constructor(
    private readonly layout: Layout,
    private readonly root: Node | null,
  ) {}

  /** `hash` must be blake2-256; the default is @noble's, pure JS for the enclave and the extension. */
  static empty(version: TrieVersion, hash: Hasher = blake2_256): Trie {
    return new Trie(makeLayout(version, hash), null);
  }

  get version(): TrieVersion {
    return this.layout.version;
  }

  /** A new version with `changes` applied; this one is unchanged. */
  with(changes: TrieChanges): Trie {
    let root = this.root;
    for (const [key, value] of changes) {
      const nibbles = hexToNibbles(key);
      root = value === null ? remove(root, nibbles, 0) : insert(root, nibbles, 0, value);
    }
    return root === this.root ? this : new Trie(this.layout, root);
  }

  get(key: string): Uint8Array | null {
    return lookup(this.root, hexToNibbles(key));
  }

  /** blake2-256 of the root node: Substrate's state root. */
  rootHash(): Uint8Array {
    if (!this.root) return this.layout.hash(EMPTY_NODE);
    const ref = reference(this.root, this.layout);
    return ref.length === HASH_LENGTH ? ref : this.layout.hash(ref);
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
    add(encoded(this.root, this.layout));
    for (const key of keys) {
      let node: Node | null = this.root;
      let rest = hexToNibbles(key);
      while (node) {
        if (node !== this.root && heldByHash(node, this.layout)) add(encoded(node, this.layout));
        const common = commonPrefix(node.partial, rest);
        if (common !== node.partial.length) break;
        if (common === rest.length) {
          if (node.value && isHashedValue(node.value, this.layout.version)) add(node.value);
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
