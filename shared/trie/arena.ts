/**
 * The memory of one trie lineage (a `Trie.empty` and every version made from it): its nodes as
 * slots of a few large typed arrays, linked by slot index, so a trie of 100k accounts is a handful
 * of objects for the collector rather than several per node. Slots are reference-counted (one count
 * per parent slot holding a node, one per version rooted at it): a released version frees the slots
 * no other version shares, and freed slots are reused.
 */

/** The absent node: slot 0 is never used, so a zero child link means "no child". */
export const NONE = 0;
export const LEAF = 1;
export const BRANCH = 2;
/** Bytes kept per node for its reference: a hash, or an encoding under 32 bytes. */
export const REFERENCE_BYTES = 32;
/** `changed` when a branch's partial key, value or kind changed: its kept encoding is made again whole. */
export const WHOLE = 1 << 16;

export class Arena {
  /** Per slot: 0 free, LEAF or BRANCH. */
  kind = new Uint8Array(0);
  /** Per slot: its partial key, as a range of `nibbles` (ranges are never written again once a node uses them). */
  partialAt = new Int32Array(0);
  partialLength = new Int32Array(0);
  /** Per slot, 16 child slots (NONE where absent); a leaf's are all NONE. */
  children = new Int32Array(0);
  /** Per slot: how its parent holds it, `referenceLength` bytes at `slot * 32`; 0 until first encoded. */
  references = new Uint8Array(0);
  referenceLength = new Uint8Array(0);
  /** Per slot: how many parents and versions hold it. */
  counts = new Int32Array(0);
  /** Per slot: the update that made it (and may still edit it while it runs). */
  stamps = new Int32Array(0);
  /**
   * Per branch slot: its encoding, kept as a block of `heap` once made (`encodingLength` 0: none yet),
   * with where its children's references start in it and the child bitmap it was made with. A copy
   * inherits its original's block (copied) and `changed`: the children it set since (bits 0-15), or
   * `WHOLE` when more than children changed; encoding it then rewrites only those children.
   */
  encodingAt = new Int32Array(0);
  encodingLength = new Int32Array(0);
  childrenAt = new Int32Array(0);
  encodedBitmap = new Int32Array(0);
  changed = new Int32Array(0);
  heap = new Uint8Array(64 * 1024);
  /** Per slot: its value, as given (the arena never changes a value's bytes). */
  values: (Uint8Array | null)[] = [null];
  /** Keys' nibbles, one per byte: partial keys are ranges of it. */
  nibbles = new Uint8Array(1024);
  nibbleTop = 0;

  #capacity = 0;
  #top = 1;
  readonly #free: number[] = [];
  #updates = 0;
  #heapTop = 0;
  /** Freed encoding blocks by size: branches come in few sizes (a full branch of hashes is 531 bytes). */
  readonly #freeBlocks = new Map<number, number[]>();

  constructor() {
    this.#grow(1024);
  }

  /** A fresh stamp for one update. */
  newUpdate(): number {
    return ++this.#updates;
  }

  /** A new node owned by update `stamp`, held by nobody yet, with no children. */
  alloc(stamp: number, kind: number, partialAt: number, partialLength: number, value: Uint8Array | null): number {
    let slot = this.#free.pop();
    if (slot === undefined) {
      if (this.#top === this.#capacity) this.#grow(2 * this.#capacity);
      slot = this.#top++;
    }
    this.kind[slot] = kind;
    this.partialAt[slot] = partialAt;
    this.partialLength[slot] = partialLength;
    this.referenceLength[slot] = 0;
    this.counts[slot] = 0;
    this.stamps[slot] = stamp;
    this.values[slot] = value;
    this.encodingLength[slot] = 0;
    this.changed[slot] = 0;
    return slot;
  }

  /** A copy of `slot` for update `stamp` (its children gain a holder), under the given partial key. */
  copy(slot: number, stamp: number, partialAt: number, partialLength: number): number {
    const copy = this.alloc(stamp, this.kind[slot], partialAt, partialLength, this.values[slot]);
    if (this.kind[slot] === BRANCH) {
      const children = this.children;
      for (let i = slot * 16, j = copy * 16, end = i + 16; i < end; i++, j++) {
        const child = children[i];
        if (child !== NONE) {
          children[j] = child;
          this.counts[child]++;
        }
      }
      const length = this.encodingLength[slot];
      if (length !== 0) {
        const at = this.allocBlock(length);
        this.heap.copyWithin(at, this.encodingAt[slot], this.encodingAt[slot] + length);
        this.encodingAt[copy] = at;
        this.encodingLength[copy] = length;
        this.childrenAt[copy] = this.childrenAt[slot];
        this.encodedBitmap[copy] = this.encodedBitmap[slot];
      }
      this.changed[copy] = this.changed[slot];
    }
    return copy;
  }

  /** Drops one holder of `slot`; frees it (and, in turn, children nobody else holds) when it was the last. */
  release(slot: number): void {
    if (slot === NONE || --this.counts[slot] > 0) return;
    if (this.kind[slot] === BRANCH) {
      for (let i = slot * 16, end = i + 16; i < end; i++) {
        const child = this.children[i];
        if (child !== NONE) {
          this.children[i] = NONE;
          this.release(child);
        }
      }
    }
    this.freeEncoding(slot);
    this.kind[slot] = 0;
    this.values[slot] = null;
    this.#free.push(slot);
  }

  /** Frees `slot` when nothing holds it: a node an update made and then did not use. */
  dropIfUnheld(slot: number): void {
    if (this.counts[slot] === 0) {
      this.counts[slot] = 1;
      this.release(slot);
    }
  }

  /** A block of `size` bytes of `heap` (which may grow: read `heap` afterwards). */
  allocBlock(size: number): number {
    const at = this.#freeBlocks.get(size)?.pop();
    if (at !== undefined) return at;
    if (this.#heapTop + size > this.heap.length) {
      const grown = new Uint8Array(Math.max(2 * this.heap.length, this.#heapTop + size));
      grown.set(this.heap.subarray(0, this.#heapTop));
      this.heap = grown;
    }
    this.#heapTop += size;
    return this.#heapTop - size;
  }

  /** Gives `slot`'s kept encoding block back, if it has one. */
  freeEncoding(slot: number): void {
    const length = this.encodingLength[slot];
    if (length === 0) return;
    let blocks = this.#freeBlocks.get(length);
    if (blocks === undefined) this.#freeBlocks.set(length, (blocks = []));
    blocks.push(this.encodingAt[slot]);
    this.encodingLength[slot] = 0;
  }

  /**
   * Room for `count` more nibbles at `nibbleTop`. When `nibbles` is full it first moves the live
   * nodes' ranges together if that frees half of it (`mayMove`: only between an update's keys, as
   * moving changes offsets, and no range may be held outside the slots meanwhile), else it grows.
   */
  reserveNibbles(count: number, mayMove: boolean): void {
    if (this.nibbleTop + count <= this.nibbles.length) return;
    if (mayMove) {
      let live = 0;
      for (let slot = 1; slot < this.#top; slot++) if (this.kind[slot] !== 0) live += this.partialLength[slot];
      if (2 * (live + count) <= this.nibbles.length) {
        this.#moveNibbles(new Uint8Array(this.nibbles.length));
        return;
      }
    }
    const grown = new Uint8Array(Math.max(2 * this.nibbles.length, this.nibbleTop + count));
    grown.set(this.nibbles.subarray(0, this.nibbleTop));
    this.nibbles = grown;
  }

  /** Copies every live node's partial key into `to`, back to back (versions sharing a range get one each). */
  #moveNibbles(to: Uint8Array<ArrayBuffer>): void {
    const from = this.nibbles;
    let top = 0;
    for (let slot = 1; slot < this.#top; slot++) {
      if (this.kind[slot] === 0) continue;
      const at = this.partialAt[slot];
      const length = this.partialLength[slot];
      to.set(from.subarray(at, at + length), top);
      this.partialAt[slot] = top;
      top += length;
    }
    this.nibbles = to;
    this.nibbleTop = top;
  }

  #grow(capacity: number): void {
    const grow = <T extends Uint8Array | Int32Array>(from: T, make: (n: number) => T, per = 1): T => {
      const to = make(capacity * per);
      to.set(from);
      return to;
    };
    const bytes = (n: number) => new Uint8Array(n);
    const ints = (n: number) => new Int32Array(n);
    this.kind = grow(this.kind, bytes);
    this.partialAt = grow(this.partialAt, ints);
    this.partialLength = grow(this.partialLength, ints);
    this.children = grow(this.children, ints, 16);
    this.references = grow(this.references, bytes, REFERENCE_BYTES);
    this.referenceLength = grow(this.referenceLength, bytes);
    this.counts = grow(this.counts, ints);
    this.stamps = grow(this.stamps, ints);
    this.encodingAt = grow(this.encodingAt, ints);
    this.encodingLength = grow(this.encodingLength, ints);
    this.childrenAt = grow(this.childrenAt, ints);
    this.encodedBitmap = grow(this.encodedBitmap, ints);
    this.changed = grow(this.changed, ints);
    this.#capacity = capacity;
  }
}
