/**
 * The memory of one trie lineage (a `Trie.empty` and every version made from it): its nodes as
 * slots of a few large typed arrays, linked by slot index, so a trie of 100k accounts is a handful
 * of objects for the collector rather than several per node. The arena knows the roots of the
 * versions still held; once some were released, `collect` marks what the held ones reach and
 * frees the rest for reuse (tracing rather than counting: a path copy then costs no count updates
 * on the 16 children of every branch it copies).
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
  /** Per slot: the last collection that found it reachable. */
  marks = new Int32Array(0);
  /** Per slot: the update that made it (and may still edit it while it runs). */
  stamps = new Int32Array(0);
  /**
   * Per branch slot: its encoding, kept as a block of `heap` once made (`encodingLength` 0: none),
   * with where its children's references start in it and the child bitmap it was made with. A copy
   * inherits its original's block (taken over when the original is hashed already, else copied) and
   * `changed`: the children it set since (bits 0-15), or `WHOLE` when more than children changed;
   * encoding it then rewrites only those children.
   */
  encodingAt = new Int32Array(0);
  encodingLength = new Int32Array(0);
  childrenAt = new Int32Array(0);
  encodedBitmap = new Int32Array(0);
  changed = new Int32Array(0);
  heap = new Uint8Array(4096);
  /** Per slot: its value, as given (the arena never changes a value's bytes). */
  values: (Uint8Array | null)[] = [null];
  /** Keys' nibbles, one per byte: partial keys are ranges of it. */
  nibbles = new Uint8Array(512);
  nibbleTop = 0;

  #capacity = 0;
  #top = 1;
  readonly #free: number[] = [];
  #updates = 0;
  /** The held versions' roots, each with how many versions have it. */
  readonly #roots = new Map<number, number>();
  #dropped = 0;
  #collections = 0;
  #liveAfterCollect = 0;
  #heapTop = 0;
  /** Freed encoding blocks by size: branches come in few sizes (a full branch of hashes is 531 bytes). */
  readonly #freeBlocks: number[][] = [];

  constructor() {
    // Small: most tries are a block's extrinsics (`orderedTrieRoot`), made and dropped; the arrays double as needed.
    this.#grow(64);
  }

  /** Slots holding a node (reachable or not yet collected). */
  get slotsInUse(): number {
    return this.#top - 1 - this.#free.length;
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
    this.stamps[slot] = stamp;
    this.values[slot] = value;
    this.encodingLength[slot] = 0;
    this.changed[slot] = 0;
    return slot;
  }

  /** A copy of `slot` for update `stamp` (sharing its children), under the given partial key. */
  copy(slot: number, stamp: number, partialAt: number, partialLength: number): number {
    const copy = this.alloc(stamp, this.kind[slot], partialAt, partialLength, this.values[slot]);
    if (this.kind[slot] === BRANCH) {
      const children = this.children;
      for (let i = 0, from = slot * 16, to = copy * 16; i < 16; i++) children[to + i] = children[from + i];
      const length = this.encodingLength[slot];
      if (length !== 0) {
        // A hashed node needs its encoding no more (a read proof makes it again): the copy takes the block.
        if (this.referenceLength[slot] !== 0) {
          this.encodingAt[copy] = this.encodingAt[slot];
          this.encodingLength[slot] = 0;
        } else {
          const at = this.allocBlock(length);
          this.heap.copyWithin(at, this.encodingAt[slot], this.encodingAt[slot] + length);
          this.encodingAt[copy] = at;
        }
        this.encodingLength[copy] = length;
        this.childrenAt[copy] = this.childrenAt[slot];
        this.encodedBitmap[copy] = this.encodedBitmap[slot];
      }
      this.changed[copy] = this.changed[slot];
    }
    return copy;
  }

  /** Version `root` is held: `collect` keeps what it reaches. */
  hold(root: number): void {
    if (root !== NONE) this.#roots.set(root, (this.#roots.get(root) ?? 0) + 1);
  }

  /** Version `root` is no longer held: the next collection frees what only it reached. */
  drop(root: number): void {
    const holds = this.#roots.get(root);
    if (holds === undefined) return;
    if (holds > 1) this.#roots.set(root, holds - 1);
    else this.#roots.delete(root);
    this.#dropped++;
  }

  /**
   * Frees the slots no held version reaches, when some version was dropped and enough was made since
   * the last collection (about as much as was then alive), so its cost stays proportional to what
   * updates make. Only between updates: an update's new nodes are reachable only from its own stack.
   */
  collectIfWorthIt(): void {
    if (this.#dropped === 0 || this.#top - this.#free.length - this.#liveAfterCollect < Math.max(this.#liveAfterCollect, 4096)) return;
    const mark = ++this.#collections;
    const marks = this.marks;
    const pending: number[] = [...this.#roots.keys()];
    let live = 0;
    while (pending.length > 0) {
      const slot = pending.pop()!;
      if (marks[slot] === mark) continue;
      marks[slot] = mark;
      live++;
      if (this.kind[slot] !== BRANCH) continue;
      for (let i = slot * 16, end = i + 16; i < end; i++) {
        const child = this.children[i];
        if (child !== NONE && marks[child] !== mark) pending.push(child);
      }
    }
    for (let slot = 1; slot < this.#top; slot++) {
      if (this.kind[slot] === 0 || marks[slot] === mark) continue;
      this.children.fill(NONE, slot * 16, slot * 16 + 16);
      this.freeEncoding(slot);
      this.kind[slot] = 0;
      this.values[slot] = null;
      this.#free.push(slot);
    }
    this.#liveAfterCollect = live;
    this.#dropped = 0;
  }

  /** A block of `size` bytes of `heap` (which may grow: read `heap` afterwards). */
  allocBlock(size: number): number {
    const at = this.#freeBlocks[size]?.pop();
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
    (this.#freeBlocks[length] ??= []).push(this.encodingAt[slot]);
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
    this.marks = grow(this.marks, ints);
    this.stamps = grow(this.stamps, ints);
    this.encodingAt = grow(this.encodingAt, ints);
    this.encodingLength = grow(this.encodingLength, ints);
    this.childrenAt = grow(this.childrenAt, ints);
    this.encodedBitmap = grow(this.encodedBitmap, ints);
    this.changed = grow(this.changed, ints);
    this.#capacity = capacity;
  }
}
