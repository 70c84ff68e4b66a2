/**
 * Trie keys as nibbles (half-bytes, high first): the base-16 trie branches on one nibble per level.
 */

/** One value 0..15 per element. */
export type Nibbles = Uint8Array;

export function bytesToNibbles(bytes: Uint8Array): Nibbles {
  const out = new Uint8Array(bytes.length * 2);
  for (let i = 0; i < bytes.length; i++) {
    out[2 * i] = bytes[i] >> 4;
    out[2 * i + 1] = bytes[i] & 0x0f;
  }
  return out;
}

/** Each hex digit's value by character code ('0'-'9', 'a'-'f', 'A'-'F'), -1 for anything else. */
const HEX_DIGIT = new Int8Array(128).fill(-1);
for (let c = 0; c < 128; c++) {
  const n = parseInt(String.fromCharCode(c), 16);
  if (!Number.isNaN(n)) HEX_DIGIT[c] = n;
}
/** Each pair of hex digits' byte by their two character codes (`c1 << 7 | c2`), -1 for anything else: one look-up per byte. */
const HEX_PAIR = new Int16Array(128 * 128).fill(-1);
for (let c1 = 0; c1 < 128; c1++) {
  for (let c2 = 0; c2 < 128; c2++) if (HEX_DIGIT[c1] >= 0 && HEX_DIGIT[c2] >= 0) HEX_PAIR[(c1 << 7) | c2] = (HEX_DIGIT[c1] << 4) | HEX_DIGIT[c2];
}

/** A `0x` hex key to nibbles: each hex digit is one. */
export function hexToNibbles(hex: string): Nibbles {
  const from = hex.startsWith('0x') ? 2 : 0;
  const out = new Uint8Array(hex.length - from);
  writeHexNibbles(hex, out, 0);
  return out;
}

/**
 * Writes a `0x` hex key's nibbles into `out` from `at` (by table: the trie writes every changed key
 * straight into its own memory this way); returns how many. `out` must have room for them.
 */
export function writeHexNibbles(hex: string, out: Uint8Array, at: number): number {
  const from = hex.startsWith('0x') ? 2 : 0;
  const count = hex.length - from;
  let i = 0;
  for (; i + 1 < count; i += 2) {
    const c1 = hex.charCodeAt(from + i);
    const c2 = hex.charCodeAt(from + i + 1);
    const byte = (c1 | c2) < 128 ? HEX_PAIR[(c1 << 7) | c2] : -1;
    if (byte < 0) throw new TypeError('A trie key must be hex.');
    out[at + i] = byte >> 4;
    out[at + i + 1] = byte & 0x0f;
  }
  if (i < count) {
    const c = hex.charCodeAt(from + i);
    const n = c < 128 ? HEX_DIGIT[c] : -1;
    if (n < 0) throw new TypeError('A trie key must be hex.');
    out[at + i] = n;
  }
  return count;
}

export function nibblesToHex(nibbles: Nibbles): string {
  let hex = '0x';
  for (const n of nibbles) hex += n.toString(16);
  return hex;
}

/**
 * Length of the longest common prefix of `a` and `b` from `bFrom` on: the trie walks a key by
 * offset rather than making a view of its rest at every level.
 */
export const commonPrefix = (a: Nibbles, b: Nibbles, bFrom = 0): number => commonPrefixOf(a, 0, a.length, b, bFrom, b.length);

/** Length of the common prefix of `a[aAt..aAt+aLength)` and `b[bAt..bEnd)`: the trie's partial keys are ranges of one array. */
export function commonPrefixOf(a: Uint8Array, aAt: number, aLength: number, b: Uint8Array, bAt: number, bEnd: number): number {
  const max = Math.min(aLength, bEnd - bAt);
  let i = 0;
  while (i < max && a[aAt + i] === b[bAt + i]) i++;
  return i;
}

export const startsWith = (key: Nibbles, prefix: Nibbles): boolean =>
  key.length >= prefix.length && commonPrefix(key, prefix) === prefix.length;

export function concatNibbles(...parts: Nibbles[]): Nibbles {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
