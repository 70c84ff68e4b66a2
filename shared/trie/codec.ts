/**
 * Substrate's trie node encoding (sp-trie `NodeCodec`, trie-db layouts V0 and V1): a one-byte header
 * naming the node kind with its partial-key length in nibbles, the partial key packed two nibbles a
 * byte (an odd count padded with a zero high nibble in front), then for a branch a 16-bit child
 * bitmap, the value (SCALE bytes inline, or its 32-byte hash), and each child's reference (SCALE
 * bytes: the child's own encoding when under 32 bytes, else its blake2-256 hash).
 */
import { blake2b } from '@noble/hashes/blake2.js';
import { ProtocolError } from '../errors';
import { ScaleReader } from '../protocol/scale';
import { BadProof } from './errors';
import type { Nibbles } from './nibbles';

/** Trie layout: 0 stores every value inline; 1 stores values of 33 bytes or more by their hash. */
export type TrieVersion = 0 | 1;

export const HASH_LENGTH = 32;
/** sp-trie's `TRIE_VALUE_NODE_THRESHOLD`: in version 1, values this long or longer are stored by hash. */
export const VALUE_HASH_THRESHOLD = 33;
/** The empty trie's only node. */
export const EMPTY_NODE = new Uint8Array([0]);
/** trie-db caps partial keys at this many nibbles. */
const NIBBLE_SIZE_BOUND = 65535;

/** blake2-256; a caller with a faster one (the chain node's wasm) may pass its own. */
export type Hasher = (data: Uint8Array) => Uint8Array;
export const blake2_256: Hasher = (data) => blake2b(data, { dkLen: HASH_LENGTH });

/** A value or a child as its parent holds it: the bytes themselves, or their hash. */
export type Reference = { readonly inline: Uint8Array; readonly hash?: undefined } | { readonly hash: Uint8Array; readonly inline?: undefined };

/** One node: a leaf has no children (and a value); a branch has 16 child slots. */
export interface NodeParts {
  readonly partial: Nibbles;
  readonly value: Reference | null;
  readonly children: readonly (Reference | null)[] | null;
}

/** How a node refers to a value: by hash in version 1 from 33 bytes on, else inline. */
export const isHashedValue = (value: Uint8Array, version: TrieVersion): boolean => version === 1 && value.length >= VALUE_HASH_THRESHOLD;

/** A node header's prefix and how many high bits it takes; the remaining low bits start the nibble count. */
export interface NodeKind {
  readonly prefix: number;
  readonly bits: number;
}
const LEAF: NodeKind = { prefix: 0b01 << 6, bits: 2 };
const BRANCH_NO_VALUE: NodeKind = { prefix: 0b10 << 6, bits: 2 };
const BRANCH_WITH_VALUE: NodeKind = { prefix: 0b11 << 6, bits: 2 };
const LEAF_HASHED_VALUE: NodeKind = { prefix: 0b001 << 5, bits: 3 };
const BRANCH_HASHED_VALUE: NodeKind = { prefix: 0b0001 << 4, bits: 4 };

/** The header kind of a leaf or branch with no value, a value inline, or a value by hash. */
export const nodeKind = (leaf: boolean, value: boolean, valueHashed: boolean): NodeKind =>
  leaf ? (valueHashed ? LEAF_HASHED_VALUE : LEAF) : !value ? BRANCH_NO_VALUE : valueHashed ? BRANCH_HASHED_VALUE : BRANCH_WITH_VALUE;

/** Bytes of the header for a partial key of `nibbles`. */
export function headerLength(kind: NodeKind, nibbles: number): number {
  if (nibbles > NIBBLE_SIZE_BOUND) throw new RangeError('A trie key is longer than trie-db allows.');
  const max = 0xff >> kind.bits;
  return nibbles < max ? 1 : 2 + Math.floor((nibbles - max) / 255);
}

/** Writes the header (prefix and nibble count, continued in bytes of 255 when it does not fit the first) at `at`; returns where it ends. */
export function writeHeader(out: Uint8Array, at: number, kind: NodeKind, nibbles: number): number {
  const max = 0xff >> kind.bits;
  if (nibbles < max) out[at++] = kind.prefix | nibbles;
  else {
    out[at++] = kind.prefix | max;
    let rest = nibbles - (max - 1);
    for (; rest >= 256; rest -= 255) out[at++] = 255;
    out[at++] = rest - 1;
  }
  return at;
}

/** Bytes of a SCALE compact length (lengths here stay far below 2^30). */
export function compactLength(n: number): number {
  if (n >= 1 << 30) throw new RangeError('A trie value of a gigabyte or more.');
  return n < 1 << 6 ? 1 : n < 1 << 14 ? 2 : 4;
}

export function writeCompact(out: Uint8Array, at: number, n: number): number {
  if (n < 1 << 6) {
    out[at] = n << 2;
    return at + 1;
  }
  if (n < 1 << 14) {
    const v = (n << 2) | 1;
    out[at] = v & 0xff;
    out[at + 1] = v >>> 8;
    return at + 2;
  }
  const v = ((n << 2) | 2) >>> 0;
  for (let i = 0; i < 4; i++) out[at + i] = (v >>> (8 * i)) & 0xff;
  return at + 4;
}

/** Bytes of `bytes` as SCALE bytes: compact length, then the bytes. */
export const scaleBytesLength = (bytes: Uint8Array): number => compactLength(bytes.length) + bytes.length;

export function writeScaleBytes(out: Uint8Array, at: number, bytes: Uint8Array): number {
  at = writeCompact(out, at, bytes.length);
  out.set(bytes, at);
  return at + bytes.length;
}

/** Encodes a node given as decoded parts. */
export function encodeNode(node: NodeParts): Uint8Array {
  const children = node.children && node.children.map((c) => c && (c.hash ?? c.inline));
  return encodeNodeOf(node.partial, node.value && (node.value.hash ?? node.value.inline), node.value?.hash !== undefined, children, newBytes);
}

const newBytes = (size: number): Uint8Array => new Uint8Array(size);

/**
 * Encodes straight into one buffer of the exact size, got from `allocate` (this runs for every new
 * node of every block, so the trie may encode into reused memory). `value` is the value itself, or
 * its hash when `valueHashed`; `children` the 16 child references (a child's encoding under 32
 * bytes, or its hash), `null` for a leaf.
 */
export function encodeNodeOf(
  partial: Nibbles,
  value: Uint8Array | null,
  valueHashed: boolean,
  children: readonly (Uint8Array | null)[] | null,
  allocate: (size: number) => Uint8Array,
): Uint8Array {
  if (children === null && value === null) throw new TypeError('A leaf holds a value.');
  const kind = nodeKind(children === null, value !== null, valueHashed);
  // A value hash is the bare 32 bytes; an inline value is SCALE bytes.
  const valueLength = value === null ? 0 : valueHashed ? HASH_LENGTH : scaleBytesLength(value);
  let size = headerLength(kind, partial.length) + ((partial.length + 1) >> 1) + valueLength;
  let bitmap = 0;
  if (children) {
    size += 2;
    for (let slot = 0; slot < 16; slot++) {
      const child = children[slot];
      if (child === null) continue;
      if (child.length > HASH_LENGTH) throw new RangeError('A child reference is at most 32 bytes.');
      bitmap |= 1 << slot;
      // SCALE bytes: a one-byte compact length (under 64), then the reference.
      size += 1 + child.length;
    }
  }

  const out = allocate(size);
  let at = writeHeader(out, 0, kind, partial.length);
  let i = 0;
  if (partial.length % 2 === 1) out[at++] = partial[i++];
  for (; i < partial.length; i += 2) out[at++] = (partial[i] << 4) | partial[i + 1];
  if (children) {
    out[at++] = bitmap & 0xff;
    out[at++] = bitmap >>> 8;
  }
  if (value !== null) {
    if (valueHashed) {
      out.set(value, at);
      at += HASH_LENGTH;
    } else at = writeScaleBytes(out, at, value);
  }
  if (children) {
    for (let slot = 0; slot < 16; slot++) {
      const child = children[slot];
      if (child === null) continue;
      out[at++] = child.length << 2;
      out.set(child, at);
      at += child.length;
    }
  }
  if (at !== size) throw new Error('Trie node size miscounted.');
  return out;
}

const malformed = (why: string) => new BadProof('malformed-node', `Not a trie node: ${why}.`);

function readSize(r: ScaleReader, first: number, bits: number): number {
  const max = 0xff >> bits;
  let size = first & max;
  if (size < max) return size;
  size -= 1;
  for (;;) {
    const n = r.u8();
    if (n < 255) return size + n + 1;
    size += 255;
    if (size > NIBBLE_SIZE_BOUND) throw malformed('partial key too long');
  }
}

function readPartial(r: ScaleReader, count: number): Nibbles {
  const out = new Uint8Array(count);
  let i = 0;
  if (count % 2 === 1) {
    const b = r.u8();
    if (b >> 4 !== 0) throw malformed('partial key padding is not zero');
    out[i++] = b;
  }
  for (; i < count; i += 2) {
    const b = r.u8();
    out[i] = b >> 4;
    out[i + 1] = b & 0x0f;
  }
  return out;
}

/** Decodes one node; `null` is the empty trie. Anything else than a whole valid node throws BadProof. */
export function decodeNode(bytes: Uint8Array): NodeParts | null {
  try {
    return decodeStrict(bytes);
  } catch (e) {
    if (e instanceof ProtocolError) throw malformed('it ends early or has a bad length');
    throw e;
  }
}

function decodeStrict(bytes: Uint8Array): NodeParts | null {
  const r = new ScaleReader(bytes);
  const first = r.u8();
  if (first === 0) {
    r.end();
    return null;
  }
  let kind: { leaf: boolean; value: 'none' | 'inline' | 'hash'; bits: number };
  switch (first >> 6) {
    case 1: kind = { leaf: true, value: 'inline', bits: 2 }; break;
    case 2: kind = { leaf: false, value: 'none', bits: 2 }; break;
    case 3: kind = { leaf: false, value: 'inline', bits: 2 }; break;
    default:
      if (first >> 5 === 1) kind = { leaf: true, value: 'hash', bits: 3 };
      else if (first >> 4 === 1) kind = { leaf: false, value: 'hash', bits: 4 };
      else throw malformed('unknown header');
  }
  const partial = readPartial(r, readSize(r, first, kind.bits));
  const bitmap = kind.leaf ? 0 : r.u16();
  if (!kind.leaf && bitmap === 0) throw malformed('a branch without children');
  const value: Reference | null =
    kind.value === 'none' ? null : kind.value === 'hash' ? { hash: r.fixed(HASH_LENGTH) } : { inline: r.bytesVec(Number.MAX_SAFE_INTEGER) };
  let children: Array<Reference | null> | null = null;
  if (!kind.leaf) {
    children = [];
    for (let i = 0; i < 16; i++) {
      if (!(bitmap & (1 << i))) {
        children.push(null);
        continue;
      }
      const ref = r.bytesVec(HASH_LENGTH);
      if (ref.length === 0) throw malformed('an empty child');
      children.push(ref.length === HASH_LENGTH ? { hash: ref } : { inline: ref });
    }
  }
  r.end();
  return { partial, value, children };
}
