/**
 * A persistent (immutable, structurally shared) base-16 Patricia-Merkle trie. Every update copies
 * only the paths to the changed keys, so each version stays whole and cheap to keep: the chain keeps
 * one per block, answers reads and read proofs at any of them, and a block touching k keys re-encodes
 * and re-hashes only the O(k · depth) nodes on their paths (each node keeps its reference once made).
 * The nodes live in an `Arena` of typed arrays shared by all versions of one lineage; a version
 * nobody uses any more is `release`d (or dropped once collected), and the nodes only it reached are
 * reused.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { Arena, BRANCH, LEAF, NONE, REFERENCE_BYTES, WHOLE } from './arena';
import { blake2_256, EMPTY_NODE, HASH_LENGTH, headerLength, isHashedValue, nodeKind, scaleBytesLength, writeHeader, writeScaleBytes, type Hasher, type TrieVersion } from './codec';
import { commonPrefixOf, concatNibbles, hexToNibbles, nibblesToHex, writeHexNibbles, type Nibbles } from './nibbles';

/** How a trie encodes and hashes its nodes; fixed for the life of a lineage. */
interface Layout {
  readonly version: TrieVersion;
  readonly hash: Hasher;
}

/**
 * One update (`Trie.with`) on an arena: the nodes it makes (stamped with `stamp`) are its own until
 * it returns, so its later changes edit them in place instead of copying a path each already copied
 * (a block's 200 keys share the upper levels of their paths). The key being applied is written at
 * `nibbleTop` and ends at `keyEnd`; `keyKept` says a new node's partial key is part of it.
 */
class Update {
  keyEnd = 0;
  keyKept = false;
  constructor(
    readonly arena: Arena,
    readonly stamp: number,
  ) {}

  /** `slot` itself when this update made it, else its copy for this update to edit. */
  editable(slot: number): number {
    const a = this.arena;
    return a.stamps[slot] === this.stamp ? slot : a.copy(slot, this.stamp, a.partialAt[slot], a.partialLength[slot]);
  }

  /** `slot` under another partial key: itself when this update's own, else a copy. */
  moved(slot: number, partialAt: number, partialLength: number): number {
    const a = this.arena;
    const moved = a.stamps[slot] === this.stamp ? slot : a.copy(slot, this.stamp, partialAt, partialLength);
    a.partialAt[moved] = partialAt;
    a.partialLength[moved] = partialLength;
    a.changed[moved] |= WHOLE;
    return moved;
  }

  /** A new leaf whose partial key is the current key from `at` on. */
  leaf(at: number, value: Uint8Array): number {
    this.keyKept = true;
    return this.arena.alloc(this.stamp, LEAF, at, this.keyEnd - at, value);
  }

  setValue(slot: number, value: Uint8Array | null): void {
    this.arena.values[slot] = value;
    this.arena.changed[slot] |= WHOLE;
  }

  setChild(parent: number, nibble: number, child: number): void {
    const a = this.arena;
    const at = parent * 16 + nibble;
    if (a.children[at] === child) return;
    a.children[at] = child;
    a.changed[parent] |= 1 << nibble;
  }

  /** `node` with `value` under the current key from `at` on. */
  insert(node: number, at: number, value: Uint8Array): number {
    if (node === NONE) return this.leaf(at, value);
    const a = this.arena;
    const partialAt = a.partialAt[node];
    const partialLength = a.partialLength[node];
    const common = commonPrefixOf(a.nibbles, partialAt, partialLength, a.nibbles, at, this.keyEnd);
    const next = at + common;
    if (common === partialLength) {
      const n = this.editable(node);
      if (next === this.keyEnd) this.setValue(n, value);
      else {
        a.kind[n] = BRANCH;
        const nibble = a.nibbles[next];
        this.setChild(n, nibble, this.insert(a.children[n * 16 + nibble], next + 1, value));
      }
      return n;
    }
    // The key leaves this node's partial key part way: a new branch where they part.
    const branch = a.alloc(this.stamp, BRANCH, partialAt, common, null);
    this.setChild(branch, a.nibbles[partialAt + common], this.moved(node, partialAt + common + 1, partialLength - common - 1));
    if (next === this.keyEnd) this.setValue(branch, value);
    else this.setChild(branch, a.nibbles[next], this.leaf(next + 1, value));
    return branch;
  }

  /** `node` without the current key from `at` on. */
  remove(node: number, at: number): number {
    if (node === NONE) return NONE;
    const a = this.arena;
    const partialLength = a.partialLength[node];
    const common = commonPrefixOf(a.nibbles, a.partialAt[node], partialLength, a.nibbles, at, this.keyEnd);
    if (common !== partialLength) return node;
    const next = at + common;
    if (next === this.keyEnd) {
      if (a.values[node] === null) return node;
      if (a.kind[node] === LEAF) return NONE;
      const n = this.editable(node);
      this.setValue(n, null);
      return this.normalized(n);
    }
    if (a.kind[node] === LEAF) return node;
    const nibble = a.nibbles[next];
    const child = a.children[node * 16 + nibble];
    const updated = this.remove(child, next + 1);
    if (updated === child) return node;
    const n = this.editable(node);
    this.setChild(n, nibble, updated);
    return this.normalized(n);
  }

  /** A branch `n` (this update's own) as the trie must hold it: without children it is a leaf (or nothing); a lone child without a value merges up. */
  normalized(n: number): number {
    const a = this.arena;
    let count = 0;
    let only = -1;
    for (let nibble = 0; nibble < 16; nibble++) {
      if (a.children[n * 16 + nibble] !== NONE) {
        count++;
        only = nibble;
      }
    }
    if (count === 0) {
      if (a.values[n] !== null) {
        a.kind[n] = LEAF;
        a.freeEncoding(n);
        return n;
      }
      return NONE;
    }
    if (count > 1 || a.values[n] !== null) return n;
    // The lone child takes this node's place, under this node's partial key, its nibble and its own.
    const child = a.children[n * 16 + only];
    const length = a.partialLength[n] + 1 + a.partialLength[child];
    a.reserveNibbles(length, false);
    const nibbles = a.nibbles;
    const at = a.nibbleTop;
    nibbles.copyWithin(at, a.partialAt[n], a.partialAt[n] + a.partialLength[n]);
    nibbles[at + a.partialLength[n]] = only;
    nibbles.copyWithin(at + a.partialLength[n] + 1, a.partialAt[child], a.partialAt[child] + a.partialLength[child]);
    a.nibbleTop += length;
    return this.moved(child, at, length);
  }
}

/**
 * Encodes nodes and keeps their references in the arena. A leaf is encoded into one reused buffer
 * just before it is hashed (it is short, and only a read proof needs it again); a branch's encoding
 * is kept in the arena and handed to the branch replacing it, which rewrites only the children that
 * changed (most branches on a block's paths differ from the one they replace in one child's hash). Encoding is
 * synchronous and a node's children are referenced before it is encoded, so nothing overlaps.
 */
class Encoder {
  #scratch = new Uint8Array(4096);
  /** Views of the scratch buffer by length, made once: a view per hash would be garbage per node. */
  #views: Uint8Array[] = [];

  constructor(
    readonly arena: Arena,
    readonly layout: Layout,
  ) {}

  /** Makes sure `slot`'s reference (and those of its descendants) is in the arena. */
  reference(slot: number): void {
    const a = this.arena;
    if (a.referenceLength[slot] !== 0) return;
    let encoding: Uint8Array;
    if (a.kind[slot] === BRANCH) {
      // With a kept encoding, only the children set since can lack a reference.
      const changed = a.encodingLength[slot] !== 0 && !(a.changed[slot] & WHOLE) ? a.changed[slot] : 0xffff;
      for (let nibble = 0; nibble < 16; nibble++) {
        if (!(changed & (1 << nibble))) continue;
        const child = a.children[slot * 16 + nibble];
        if (child !== NONE && a.referenceLength[child] === 0) this.reference(child);
      }
      this.#encodeBranch(slot);
      encoding = new Uint8Array(a.heap.buffer, a.encodingAt[slot], a.encodingLength[slot]);
    } else {
      const length = this.#encode(slot, this.#size(slot));
      encoding = this.#view(length);
    }
    const at = slot * REFERENCE_BYTES;
    if (encoding.length < HASH_LENGTH) {
      a.references.set(encoding, at);
      a.referenceLength[slot] = encoding.length;
    } else {
      a.references.set(this.layout.hash(encoding), at);
      a.referenceLength[slot] = HASH_LENGTH;
    }
  }

  /** The reference's bytes, a copy. */
  referenceOf(slot: number): Uint8Array {
    this.reference(slot);
    const at = slot * REFERENCE_BYTES;
    return this.arena.references.slice(at, at + this.arena.referenceLength[slot]);
  }

  /** `slot`'s encoding, a copy of its own (for read proofs). */
  encoding(slot: number): Uint8Array {
    const a = this.arena;
    this.reference(slot);
    if (a.encodingLength[slot] !== 0) return a.heap.slice(a.encodingAt[slot], a.encodingAt[slot] + a.encodingLength[slot]);
    return this.#scratch.slice(0, this.#encode(slot, this.#size(slot)));
  }

  /** Brings a branch's kept encoding up to date: rewrites its changed children when that is all that changed, else makes it again. */
  #encodeBranch(slot: number): void {
    const a = this.arena;
    if (a.encodingLength[slot] !== 0 && this.#rewritten(slot)) return;
    const size = this.#size(slot);
    this.#encode(slot, size);
    if (a.encodingLength[slot] !== size) {
      a.freeEncoding(slot);
      a.encodingAt[slot] = a.allocBlock(size);
      a.encodingLength[slot] = size;
    }
    a.heap.set(this.#view(size), a.encodingAt[slot]);
    a.changed[slot] = 0;
  }

  /**
   * Rewrites the changed children's references in `slot`'s kept encoding, when they are the only
   * difference (the same children present, each reference as long as before); returns whether it could.
   */
  #rewritten(slot: number): boolean {
    const a = this.arena;
    const changed = a.changed[slot];
    if (changed & WHOLE) return false;
    const bitmap = a.encodedBitmap[slot];
    if (!(bitmap & ALL_HASHED)) return this.#rewrittenWalking(slot, changed, bitmap);
    // Every child held by hash: the k-th present child's reference is at 33 · k (after its length byte).
    const heap = a.heap;
    const references = a.references;
    const start = a.encodingAt[slot] + a.childrenAt[slot] + 1;
    for (let nibble = 0; nibble < 16; nibble++) {
      const bit = 1 << nibble;
      if (!(changed & bit)) continue;
      const child = a.children[slot * 16 + nibble];
      if (!(bitmap & bit) || child === NONE || a.referenceLength[child] !== HASH_LENGTH) return false;
      const at = start + (1 + HASH_LENGTH) * bitCount(bitmap & (bit - 1));
      for (let i = 0, from = child * REFERENCE_BYTES; i < HASH_LENGTH; i++) heap[at + i] = references[from + i];
    }
    a.changed[slot] = 0;
    return true;
  }

  /** `#rewritten` when some references are inline (of any length under 32): walks the encoding for the positions. */
  #rewrittenWalking(slot: number, changed: number, bitmap: number): boolean {
    const a = this.arena;
    const heap = a.heap;
    const references = a.references;
    const first = slot * 16;
    // One pass that checks and writes: when a check fails, the caller encodes the branch whole over its block.
    for (let nibble = 0, at = a.encodingAt[slot] + a.childrenAt[slot]; nibble < 16; nibble++) {
      const bit = 1 << nibble;
      const child = a.children[first + nibble];
      if (!(bitmap & bit)) {
        if (changed & bit && child !== NONE) return false;
        continue;
      }
      const length = heap[at] >> 2;
      if (changed & bit) {
        if (child === NONE || a.referenceLength[child] !== length) return false;
        for (let i = 0, from = child * REFERENCE_BYTES; i < length; i++) heap[at + 1 + i] = references[from + i];
      }
      at += 1 + length;
    }
    a.changed[slot] = 0;
    return true;
  }

  /** The length of `slot`'s encoding (its children already referenced). */
  #size(slot: number): number {
    const a = this.arena;
    const value = a.values[slot];
    const hashed = value !== null && isHashedValue(value, this.layout.version);
    const partialLength = a.partialLength[slot];
    let size = headerLength(nodeKind(a.kind[slot] === LEAF, value !== null, hashed), partialLength) + ((partialLength + 1) >> 1);
    if (value !== null) size += hashed ? HASH_LENGTH : scaleBytesLength(value);
    if (a.kind[slot] === BRANCH) {
      size += 2;
      // Each child's reference as SCALE bytes: a one-byte compact length (under 64), then the reference.
      for (let i = slot * 16, end = i + 16; i < end; i++) if (a.children[i] !== NONE) size += 1 + a.referenceLength[a.children[i]];
    }
    return size;
  }

  /** Writes `slot`'s encoding (`size` bytes, its children already referenced) at the start of the scratch buffer; returns `size`. */
  #encode(slot: number, size: number): number {
    const a = this.arena;
    const leaf = a.kind[slot] === LEAF;
    const value = a.values[slot];
    const hashed = value !== null && isHashedValue(value, this.layout.version);
    const valueHash = hashed ? this.layout.hash(value) : null;
    if (this.#scratch.length < size) this.#grow(size);
    const out = this.#scratch;
    const nibbles = a.nibbles;
    const partialAt = a.partialAt[slot];
    const partialLength = a.partialLength[slot];
    let at = writeHeader(out, 0, nodeKind(leaf, value !== null, hashed), partialLength);
    let i = 0;
    if (partialLength % 2 === 1) out[at++] = nibbles[partialAt + i++];
    for (; i < partialLength; i += 2) out[at++] = (nibbles[partialAt + i] << 4) | nibbles[partialAt + i + 1];
    if (!leaf) {
      let bitmap = 0;
      for (let nibble = 0; nibble < 16; nibble++) if (a.children[slot * 16 + nibble] !== NONE) bitmap |= 1 << nibble;
      out[at++] = bitmap & 0xff;
      out[at++] = bitmap >>> 8;
      a.encodedBitmap[slot] = bitmap;
    }
    if (valueHash !== null) {
      out.set(valueHash, at);
      at += HASH_LENGTH;
    } else if (value !== null) at = writeScaleBytes(out, at, value);
    if (!leaf) {
      a.childrenAt[slot] = at;
      const references = a.references;
      let allHashed = ALL_HASHED;
      for (let nibble = 0; nibble < 16; nibble++) {
        const child = a.children[slot * 16 + nibble];
        if (child === NONE) continue;
        const length = a.referenceLength[child];
        if (length !== HASH_LENGTH) allHashed = 0;
        out[at++] = length << 2;
        for (let from = child * REFERENCE_BYTES, end = from + length; from < end; from++) out[at++] = references[from];
      }
      a.encodedBitmap[slot] |= allHashed;
    }
    if (at !== size) throw new Error('Trie node size miscounted.');
    return size;
  }

  #view(length: number): Uint8Array {
    return (this.#views[length] ??= new Uint8Array(this.#scratch.buffer, 0, length));
  }

  #grow(size: number): void {
    this.#scratch = new Uint8Array(Math.max(size, 2 * this.#scratch.length));
    this.#views = [];
  }
}

/** In `encodedBitmap`, beside the 16 child bits: every child in the kept encoding is held by hash. */
const ALL_HASHED = 1 << 16;

/** Set bits of a 16-bit mask. */
function bitCount(mask: number): number {
  mask -= (mask >> 1) & 0x5555;
  mask = (mask & 0x3333) + ((mask >> 2) & 0x3333);
  mask = (mask + (mask >> 4)) & 0x0f0f;
  return (mask + (mask >> 8)) & 0x1f;
}

/** One lineage: its nodes, how it encodes them, and the reclaim of versions dropped without `release`. */
interface Lineage {
  readonly arena: Arena;
  readonly layout: Layout;
  readonly encoder: Encoder;
}

/** A version collected without `release` is dropped then. */
const unreleased = new FinalizationRegistry<{ arena: Arena; root: number }>(({ arena, root }) => arena.drop(root));

/** Storage changes: a value to set, or `null` to delete. Keys are `0x` hex. */
export type TrieChanges = Iterable<readonly [string, Uint8Array | null]>;

export class Trie {
  #released = false;

  private constructor(
    private readonly lineage: Lineage,
    /** This version's root slot (NONE: empty); the version holds one count on it. */
    private readonly root: number,
  ) {
    if (root === NONE) return;
    lineage.arena.hold(root);
    unreleased.register(this, { arena: lineage.arena, root }, this);
  }

  /** `hash` must be blake2-256; the default is @noble's, pure JS for the enclave and the extension. */
  static empty(version: TrieVersion, hash: Hasher = blake2_256): Trie {
    const arena = new Arena();
    const layout = { version, hash };
    return new Trie({ arena, layout, encoder: new Encoder(arena, layout) }, NONE);
  }

  get version(): TrieVersion {
    return this.lineage.layout.version;
  }

  /** A new version with `changes` applied (a new object even when they change nothing); this one is unchanged. */
  with(changes: TrieChanges): Trie {
    const arena = this.#arena();
    arena.collectIfWorthIt();
    const update = new Update(arena, arena.newUpdate());
    let root = this.root;
    for (const [key, value] of changes) {
      const length = key.length - (key.startsWith('0x') ? 2 : 0);
      arena.reserveNibbles(length, true);
      const at = arena.nibbleTop;
      update.keyEnd = at + writeHexNibbles(key, arena.nibbles, at);
      update.keyKept = false;
      root = value === null ? update.remove(root, at) : update.insert(root, at, value);
      // The key's nibbles stay only when a new node's partial key is part of them.
      if (update.keyKept) arena.nibbleTop = update.keyEnd;
    }
    // Always a version of its own, even when nothing changed: each version is released on its own.
    return new Trie(this.lineage, root);
  }

  /**
   * Tells the lineage this version is no longer used: the nodes no other version reaches are reused
   * (by a later update's collection). It cannot be used afterwards. Optional: a version collected
   * unreleased is dropped then.
   */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    unreleased.unregister(this);
    this.lineage.arena.drop(this.root);
  }

  /** Nodes the lineage's memory holds now, for every version not yet released and what awaits reuse. */
  get storedNodes(): number {
    return this.lineage.arena.slotsInUse;
  }

  get(key: string): Uint8Array | null {
    const a = this.#arena();
    const path = hexToNibbles(key);
    let node = this.root;
    let at = 0;
    while (node !== NONE) {
      const partialLength = a.partialLength[node];
      const common = commonPrefixOf(a.nibbles, a.partialAt[node], partialLength, path, at, path.length);
      if (common !== partialLength) return null;
      at += common;
      if (at === path.length) return a.values[node];
      if (a.kind[node] === LEAF) return null;
      node = a.children[node * 16 + path[at++]];
    }
    return null;
  }

  /** blake2-256 of the root node: Substrate's state root. */
  rootHash(): Uint8Array {
    const { layout, encoder } = this.lineage;
    this.#arena();
    if (this.root === NONE) return layout.hash(EMPTY_NODE);
    const ref = encoder.referenceOf(this.root);
    return ref.length === HASH_LENGTH ? ref : layout.hash(ref);
  }

  /**
   * The nodes a verifier needs to read `keys` (present or absent) against `rootHash()`: every node on
   * their lookup paths that its parent holds by hash, the root, and the values stored by hash.
   */
  readProof(keys: Iterable<string>): Uint8Array[] {
    const a = this.#arena();
    const { layout, encoder } = this.lineage;
    if (this.root === NONE) return [EMPTY_NODE];
    // By content, as Substrate's proofs are sets: equal values stored by hash appear once.
    const proof = new Map<string, Uint8Array>();
    const add = (bytes: Uint8Array) => proof.set(bytesToHex(bytes), bytes);
    add(encoder.encoding(this.root));
    for (const key of keys) {
      const path = hexToNibbles(key);
      let node = this.root;
      let at = 0;
      while (node !== NONE) {
        if (node !== this.root && a.referenceLength[node] === HASH_LENGTH) add(encoder.encoding(node));
        const partialLength = a.partialLength[node];
        const common = commonPrefixOf(a.nibbles, a.partialAt[node], partialLength, path, at, path.length);
        if (common !== partialLength) break;
        at += common;
        if (at === path.length) {
          const value = a.values[node];
          if (value && isHashedValue(value, layout.version)) add(value);
          break;
        }
        if (a.kind[node] === LEAF) break;
        node = a.children[node * 16 + path[at++]];
      }
    }
    return [...proof.values()];
  }

  /**
   * Keys starting with `prefix`, in order, strictly after `after` when given, at most `count`:
   * subtrees wholly outside the prefix or wholly before `after` are skipped, not walked.
   */
  keys(prefix: string, count: number, after: string | null): string[] {
    const a = this.#arena();
    const want = hexToNibbles(prefix);
    const from = after === null ? null : hexToNibbles(after);
    const out: string[] = [];
    const visit = (node: number, path: Nibbles): void => {
      const at = a.partialAt[node];
      const full = concatNibbles(path, a.nibbles.subarray(at, at + a.partialLength[node]));
      const shared = Math.min(full.length, want.length);
      if (commonPrefixOf(full, 0, full.length, want, 0, want.length) < shared) return;
      if (from && compareUpTo(full, from) < 0) return;
      if (a.values[node] !== null && full.length >= want.length && full.length % 2 === 0 && (!from || compareUpTo(full, from, true) > 0)) {
        out.push(nibblesToHex(full));
      }
      if (a.kind[node] !== BRANCH) return;
      for (let nibble = 0; nibble < 16 && out.length < count; nibble++) {
        const child = a.children[node * 16 + nibble];
        if (child !== NONE) visit(child, concatNibbles(full, Uint8Array.of(nibble)));
      }
    };
    if (this.root !== NONE && count > 0) visit(this.root, new Uint8Array(0));
    return out.slice(0, count);
  }

  #arena(): Arena {
    if (this.#released) throw new Error('This trie version was released.');
    return this.lineage.arena;
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
