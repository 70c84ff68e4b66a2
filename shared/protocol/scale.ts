/**
 * A strict little SCALE reader/writer. Every read is bounds-checked and every violation is a typed
 * ProtocolError, because these bytes come from hostile parties (dApps, the host, the chain).
 */
import { ProtocolError } from '../errors';
import { U128_MAX, U32_MAX, U64_MAX } from '../types';

const utf8 = new TextEncoder();
// ignoreBOM: a leading U+FEFF is content, not a marker. Stripping it made two byte strings decode to one
// string (non-canonical) and turned an encodable name like "\uFEFF" into an empty one on the other side.
const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** A lone UTF-16 surrogate has no UTF-8 form: TextEncoder would silently write U+FFFD instead. */
const LONE_SURROGATE = /\p{Cs}/u;

export class ScaleWriter {
  #buf: Uint8Array;
  #len = 0;

  constructor(capacity = 64) {
    this.#buf = new Uint8Array(capacity);
  }

  #reserve(n: number): number {
    if (this.#len + n > this.#buf.length) {
      const next = new Uint8Array(Math.max(this.#buf.length * 2, this.#len + n));
      next.set(this.#buf.subarray(0, this.#len));
      this.#buf = next;
    }
    const at = this.#len;
    this.#len += n;
    return at;
  }

  u8(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new ProtocolError('OutOfRange', 'Value is not a u8.');
    const at = this.#reserve(1); // before reading #buf: reserving may replace it
    this.#buf[at] = v;
    return this;
  }

  u16(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new ProtocolError('OutOfRange', 'Value is not a u16.');
    const at = this.#reserve(2);
    this.#buf[at] = v & 0xff;
    this.#buf[at + 1] = v >>> 8;
    return this;
  }

  u32(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > U32_MAX) throw new ProtocolError('OutOfRange', 'Value is not a u32.');
    const at = this.#reserve(4);
    for (let i = 0; i < 4; i++) this.#buf[at + i] = (v >>> (8 * i)) & 0xff;
    return this;
  }

  #uint(v: bigint, bytes: number, max: bigint, what: string): this {
    if (typeof v !== 'bigint' || v < 0n || v > max) throw new ProtocolError('OutOfRange', `Value is not a ${what}.`);
    const at = this.#reserve(bytes);
    let x = v;
    for (let i = 0; i < bytes; i++) {
      this.#buf[at + i] = Number(x & 0xffn);
      x >>= 8n;
    }
    return this;
  }

  u64(v: bigint): this {
    return this.#uint(v, 8, U64_MAX, 'u64');
  }

  u128(v: bigint): this {
    return this.#uint(v, 16, U128_MAX, 'u128');
  }

  bool(v: boolean): this {
    return this.u8(v ? 1 : 0);
  }

  /** Fixed-size byte array ([u8; n]): the length must match exactly. */
  fixed(bytes: Uint8Array, n: number): this {
    if (!(bytes instanceof Uint8Array) || bytes.length !== n) throw new ProtocolError('BadLength', `Expected ${n} bytes.`);
    const at = this.#reserve(n); // before reading #buf: reserving may replace it
    this.#buf.set(bytes, at);
    return this;
  }

  /** SCALE compact unsigned integer (used here only for lengths). */
  compact(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > U32_MAX) throw new ProtocolError('OutOfRange', 'Length is not a u32.');
    if (v < 1 << 6) return this.u8(v << 2);
    if (v < 1 << 14) return this.u16((v << 2) | 1);
    if (v < 1 << 30) return this.u32(((v << 2) | 2) >>> 0);
    return this.u8(3).u32(v);
  }

  /** Vec<u8> with a length limit. */
  bytes(b: Uint8Array, max: number): this {
    if (!(b instanceof Uint8Array)) throw new ProtocolError('BadLength', 'Expected bytes.');
    if (b.length > max) throw new ProtocolError('FieldTooLong', `Byte string is longer than ${max} bytes.`);
    this.compact(b.length);
    const at = this.#reserve(b.length); // before reading #buf: reserving may replace it
    this.#buf.set(b, at);
    return this;
  }

  /** UTF-8 string with a limit in bytes. */
  str(s: string, max: number): this {
    if (typeof s !== 'string') throw new ProtocolError('OutOfRange', 'Expected a string.');
    if (LONE_SURROGATE.test(s)) throw new ProtocolError('OutOfRange', 'String is not valid Unicode.');
    return this.bytes(utf8.encode(s), max);
  }

  vec<T>(items: readonly T[], max: number, write: (w: this, item: T) => void): this {
    if (items.length > max) throw new ProtocolError('FieldTooLong', `List is longer than ${max} items.`);
    this.compact(items.length);
    for (const item of items) write(this, item);
    return this;
  }

  option<T>(v: T | null | undefined, write: (w: this, item: T) => void): this {
    if (v === null || v === undefined) return this.u8(0);
    this.u8(1);
    write(this, v);
    return this;
  }

  finish(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }
}

export class ScaleReader {
  #pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.#pos;
  }

  #take(n: number): number {
    if (this.#pos + n > this.bytes.length) throw new ProtocolError('Truncated', 'Input ended early.');
    const at = this.#pos;
    this.#pos += n;
    return at;
  }

  u8(): number {
    return this.bytes[this.#take(1)];
  }

  /** The next byte, left unread (a tag that decides which reader follows). */
  peekU8(): number {
    if (this.#pos >= this.bytes.length) throw new ProtocolError('Truncated', 'Input ended early.');
    return this.bytes[this.#pos];
  }

  u16(): number {
    const at = this.#take(2);
    return this.bytes[at] | (this.bytes[at + 1] << 8);
  }

  u32(): number {
    const at = this.#take(4);
    const b = this.bytes;
    return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
  }

  #uint(n: number): bigint {
    const at = this.#take(n);
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.bytes[at + i]);
    return v;
  }

  u64(): bigint {
    return this.#uint(8);
  }

  u128(): bigint {
    return this.#uint(16);
  }

  bool(): boolean {
    const v = this.u8();
    if (v > 1) throw new ProtocolError('UnknownVariant', 'A boolean is 0 or 1.');
    return v === 1;
  }

  fixed(n: number): Uint8Array {
    const at = this.#take(n);
    return this.bytes.slice(at, at + n);
  }

  compact(): number {
    const first = this.bytes[this.#pos];
    if (first === undefined) throw new ProtocolError('Truncated', 'Input ended early.');
    switch (first & 3) {
      case 0:
        return this.u8() >>> 2;
      case 1: {
        const v = this.u16() >>> 2;
        if (v < 1 << 6) throw new ProtocolError('OutOfRange', 'Non-canonical compact length.');
        return v;
      }
      case 2: {
        const v = this.u32() >>> 2;
        if (v < 1 << 14) throw new ProtocolError('OutOfRange', 'Non-canonical compact length.');
        return v;
      }
      default: {
        if (this.u8() !== 3) throw new ProtocolError('OutOfRange', 'Length does not fit a u32.');
        const v = this.u32();
        if (v < 1 << 30) throw new ProtocolError('OutOfRange', 'Non-canonical compact length.');
        return v;
      }
    }
  }

  bytesVec(max: number): Uint8Array {
    const len = this.compact();
    if (len > max) throw new ProtocolError('FieldTooLong', `Byte string is longer than ${max} bytes.`);
    return this.fixed(len);
  }

  str(max: number): string {
    const b = this.bytesVec(max);
    try {
      return utf8Strict.decode(b);
    } catch {
      throw new ProtocolError('OutOfRange', 'String is not valid UTF-8.');
    }
  }

  vec<T>(max: number, read: (r: this) => T): T[] {
    const len = this.compact();
    if (len > max) throw new ProtocolError('FieldTooLong', `List is longer than ${max} items.`);
    const out: T[] = [];
    for (let i = 0; i < len; i++) out.push(read(this));
    return out;
  }

  option<T>(read: (r: this) => T): T | null {
    const tag = this.u8();
    if (tag === 0) return null;
    if (tag !== 1) throw new ProtocolError('UnknownVariant', 'An option tag is 0 or 1.');
    return read(this);
  }

  /** Reads an enum tag, rejecting tags at or above `count`. */
  tag(count: number): number {
    const t = this.u8();
    if (t >= count) throw new ProtocolError('UnknownVariant', 'Unknown variant.');
    return t;
  }

  end(): void {
    if (this.#pos !== this.bytes.length) throw new ProtocolError('TrailingBytes', 'Unexpected bytes after the end.');
  }
}

/** Decodes exactly: the whole input must be consumed. */
export function decodeExact<T>(bytes: Uint8Array, read: (r: ScaleReader) => T): T {
  if (!(bytes instanceof Uint8Array)) throw new ProtocolError('BadLength', 'Expected bytes.');
  const r = new ScaleReader(bytes);
  const v = read(r);
  r.end();
  return v;
}

export function encodeWith<T>(v: T, write: (w: ScaleWriter, v: T) => void, capacity = 64): Uint8Array {
  const w = new ScaleWriter(capacity);
  write(w, v);
  return w.finish();
}
