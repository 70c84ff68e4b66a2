/**
 * A persistent (immutable, structurally shared) base-16 Patricia-Merkle trie. Every update copies
 * only the paths to the changed keys, so each version stays whole and cheap to keep: the chain keeps
 * one per block, answers reads and read proofs at any of them, and a block touching k keys re-encodes
 * and re-hashes only the O(k · depth) nodes on their paths (each node caches its reference once made).
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { blake2_256, childReferenceLength, EMPTY_NODE, encodeNodeOf, HASH_LENGTH, isHashedValue, type Hasher, type TrieVersion } from './codec';
import { commonPrefix, concatNibbles, hexToNibbles, nibblesToHex, type Nibbles } from './nibbles';

/**
 * One update (`Trie.with`): the nodes it makes are its own until it returns, so its later changes
 * edit them in place instead of copying a path each already copied (a block's 200 keys share the
 * upper levels of their paths). Once it returns, nothing holds it, and its nodes never change again.
 */
type Update = symbol;

/**
 * One node: a leaf when `children` is `null`, else a branch of 16 slots. A class with every field
 * set from the start, so all nodes share one shape and the hot paths stay monomorphic. Its parts
 * change only while its `owner` update runs.
 */
class Node {
  /**
   * How its parent holds it, filled on first encoding: the encoding's hash, or the encoding itself
   * when under 32 bytes. Valid because a node never changes once made and belongs to one layout.
   */
  reference: Uint8Array | undefined = undefined;
  /**
   * A branch's encoding, kept once made: the branch replacing it copies it and rewrites only the
   * children that changed. A leaf's is not kept (it is short, and only a read proof needs it again).
   */
  encoding: Uint8Array | undefined = undefined;
  /** Where the child references start in `encoding`. */
  childrenAt = 0;
  /** The encoded branch this one replaces, and which of its slots (bits) may differ. */
  base: Node | undefined = undefined;
  changed = 0;
  owner: Update | undefined = undefined;

  constructor(
    public partial: Nibbles,
    public value: Uint8Array | null,
    public children: (Node | null)[] | null,
    /**
     * A branch's value hash when the layout stores its value by hash: kept, as the branch is encoded
     * whole again when its children change shape. A leaf's is not: it is encoded once (again only
     * when it moves or a read proof asks), and kept it would be two more objects per account.
     */
    public valueHash: Uint8Array | undefined = undefined,
  ) {}
}

const NO_CHILDREN: readonly (Node | null)[] = Array<Node | null>(16).fill(null);

function made(update: Update, partial: Nibbles, value: Uint8Array | null, children: (Node | null)[] | null): Node {
  const n = new Node(partial, value, children);
  n.owner = update;
  return n;
}

/** `n` under another partial key; it shares `n`'s children, so it is nobody's to edit. */
const withPartial = (n: Node, partial: Nibbles): Node => new Node(partial, n.value, n.children, n.valueHash);

/** `node` itself when `update` made it, else its copy for `update` to edit (remembering what it replaces). */
function editable(node: Node, update: Update): Node {
  if (node.owner === update) return node;
  const n = made(update, node.partial, node.value, node.children && node.children.slice());
  n.valueHash = node.valueHash;
  if (node.encoding !== undefined) n.base = node;
  else if (node.base !== undefined) {
    n.base = node.base;
    n.changed = node.changed;
  }
  return n;
}

function setValue(n: Node, value: Uint8Array | null): void {
  n.value = value;
  n.valueHash = undefined;
}

function setChild(n: Node, slot: number, child: Node | null): void {
  n.children![slot] = child;
  n.changed |= 1 << slot;
}

/** `node` with `value` under `key[at..]`. */
function insert(node: Node | null, key: Nibbles, at: number, value: Uint8Array, update: Update): Node {
  if (node === null) return made(update, key.subarray(at), value, null);
  const partial = node.partial;
  const common = commonPrefix(partial, key, at);
  const next = at + common;
  if (common === partial.length) {
    const n = editable(node, update);
    if (next === key.length) setValue(n, value);
    else {
      const slot = key[next];
      n.children ??= NO_CHILDREN.slice();
      setChild(n, slot, insert(n.children[slot], key, next + 1, value, update));
    }
    return n;
  }
  // The key leaves this node's partial key part way: a new branch where they part.
  const children = NO_CHILDREN.slice();
  children[partial[common]] = withPartial(node, partial.subarray(common + 1));
  if (next === key.length) return made(update, key.subarray(at), value, children);
  children[key[next]] = made(update, key.subarray(next + 1), value, null);
  return made(update, partial.subarray(0, common), null, children);
}

/** `node` without `key[at..]`. */
function remove(node: Node | null, key: Nibbles, at: number, update: Update): Node | null {
  if (node === null) return null;
  const common = commonPrefix(node.partial, key, at);
  if (common !== node.partial.length) return node;
  const next = at + common;
  if (next === key.length) {
    if (node.value === null) return node;
    if (node.children === null) return null;
    const n = editable(node, update);
    setValue(n, null);
    return normalized(n);
  }
  if (node.children === null) return node;
  const slot = key[next];
  const child = node.children[slot];
  const updated = remove(child, key, next + 1, update);
  if (updated === child) return node;
  const n = editable(node, update);
  setChild(n, slot, updated);
  return normalized(n);
}

/** A branch `n` (the update's own) as the trie must hold it: without children it is a leaf (or nothing); a lone child without a value merges up. */
function normalized(n: Node): Node | null {
  const children = n.children!;
  let count = 0;
  let only = -1;
  for (let slot = 0; slot < 16; slot++) {
    if (children[slot] !== null) {
      count++;
      only = slot;
    }
  }
  if (count === 0) {
    if (n.value === null) return null;
    n.children = null;
    n.base = undefined;
    return n;
  }
  if (count === 1 && n.value === null) {
    const child = children[only]!;
    return withPartial(child, concatNibbles(n.partial, Uint8Array.of(only), child.partial));
  }
  return n;
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

/** The value as the node's encoding holds it: itself, or (`hashed`) its hash. */
function valuePart(node: Node, layout: Layout): { value: Uint8Array | null; hashed: boolean } {
  const value = node.value;
  if (value === null || !isHashedValue(value, layout.version)) return { value, hashed: false };
  if (node.children === null) return { value: layout.hash(value), hashed: true };
  node.valueHash ??= layout.hash(value);
  return { value: node.valueHash, hashed: true };
}

/** A leaf's encoding, into `allocate`d memory. */
function encodeLeaf(node: Node, layout: Layout, allocate: (size: number) => Uint8Array): Uint8Array {
  const { value, hashed } = valuePart(node, layout);
  return encodeNodeOf(node.partial, value, hashed, null, allocate);
}

/** Makes and keeps a branch's encoding: its base's with the changed children rewritten when it can, else whole. */
function encodeBranch(node: Node, layout: Layout): Uint8Array {
  const base = node.base;
  node.base = undefined; // no need to keep the older version alive any longer
  if (base !== undefined && base.partial === node.partial && base.value === node.value && rewritten(node, base, layout)) return node.encoding!;
  const children = node.children!.map((child) => (child === null ? null : reference(child, layout)));
  const { value, hashed } = valuePart(node, layout);
  const encoding = encodeNodeOf(node.partial, value, hashed, children, encodingSlab.bytes);
  let childrenAt = encoding.length;
  for (const child of children) if (child !== null) childrenAt -= 1 + child.length;
  node.encoding = encoding;
  node.childrenAt = childrenAt;
  return encoding;
}

/**
 * Gives `node` its `base`'s encoding with the changed children's references rewritten, when they
 * are the only difference (the same children present, each reference as long as before); returns
 * whether it could. Most branches on a block's paths differ from their base in one child's hash.
 */
function rewritten(node: Node, base: Node, layout: Layout): boolean {
  const from = base.encoding!;
  const children = node.children!;
  const before = base.children!;
  const changed = node.changed;
  for (let slot = 0, at = base.childrenAt; slot < 16; slot++) {
    const child = children[slot];
    if (!(changed & (1 << slot))) {
      if (child !== null) at += 1 + childReferenceLength(from, at);
      continue;
    }
    if ((child === null) !== (before[slot] === null)) return false; // the bitmap differs
    if (child === null) continue;
    const length = childReferenceLength(from, at);
    if (reference(child, layout).length !== length) return false;
    at += 1 + length;
  }
  const encoding = encodingSlab.bytes(from.length);
  encoding.set(from);
  for (let slot = 0, at = base.childrenAt; slot < 16; slot++) {
    const child = children[slot];
    if (child === null) continue;
    if (changed & (1 << slot)) encoding.set(child.reference!, at + 1);
    at += 1 + childReferenceLength(from, at);
  }
  node.encoding = encoding;
  node.childrenAt = base.childrenAt;
  return true;
}

/**
 * Carves small byte arrays from shared blocks: one typed array each of its own would cost a buffer
 * allocation. A block lives while any array carved from it does, so each kind of data that lives
 * about as long gets its own.
 */
class Slab {
  static readonly SIZE = 64 * 1024;
  #block = new ArrayBuffer(0);
  #used = 0;

  readonly bytes = (size: number): Uint8Array => {
    if (size > Slab.SIZE / 8) return new Uint8Array(size);
    if (this.#used + size > this.#block.byteLength) {
      this.#block = new ArrayBuffer(Slab.SIZE);
      this.#used = 0;
    }
    this.#used += size;
    // A view made directly: `subarray` looks up a species constructor on every call.
    return new Uint8Array(this.#block, this.#used - size, size);
  };
}

/** Branch encodings: most are replaced within a few blocks. */
const encodingSlab = new Slab();
/** Changed keys' nibbles: a new leaf's partial key is part of one and lives as long as the account. */
const keySlab = new Slab();

/**
 * One buffer that every leaf is encoded into just before it is hashed: encoding is synchronous and
 * a leaf has no children to encode meanwhile, so no two encodings overlap in it.
 */
let scratch = new ArrayBuffer(4096);
/** Its views by size, made once: a view per leaf would be garbage per leaf (and leaves come in few sizes). */
const scratchViews = new Map<number, Uint8Array>();
function scratchBytes(size: number): Uint8Array {
  if (scratch.byteLength < size) {
    scratch = new ArrayBuffer(Math.max(size, 2 * scratch.byteLength));
    scratchViews.clear();
  }
  let view = scratchViews.get(size);
  if (view === undefined) scratchViews.set(size, (view = new Uint8Array(scratch, 0, size)));
  return view;
}

/** A node as its parent holds it: its encoding under 32 bytes, else that encoding's hash. */
function reference(node: Node, layout: Layout): Uint8Array {
  if (node.reference === undefined) {
    if (node.children === null) {
      const bytes = encodeLeaf(node, layout, scratchBytes);
      node.reference = bytes.length < HASH_LENGTH ? bytes.slice() : layout.hash(bytes);
    } else {
      const bytes = encodeBranch(node, layout);
      node.reference = bytes.length < HASH_LENGTH ? bytes : layout.hash(bytes);
    }
  }
  return node.reference;
}

/** Inline references are under 32 bytes, so exactly 32 means by hash. */
const heldByHash = (node: Node, layout: Layout): boolean => reference(node, layout).length === HASH_LENGTH;

/** A node's encoding of its own (not in shared memory): for read proofs. */
function encoded(node: Node, layout: Layout): Uint8Array {
  reference(node, layout);
  return node.children === null ? encodeLeaf(node, layout, newBytes) : node.encoding!.slice();
}
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
    const update: Update = Symbol('update');
    let root = this.root;
    for (const [key, value] of changes) {
      const nibbles = hexToNibbles(key, keySlab.bytes);
      root = value === null ? remove(root, nibbles, 0, update) : insert(root, nibbles, 0, value, update);
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
