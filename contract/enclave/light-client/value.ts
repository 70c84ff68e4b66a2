/**
 * Decodes any SCALE value by its metadata type id into plain data, and reads typed fields back out.
 * Byte arrays stay bytes, integers wider than u32 are bigints, a composite with named fields is a
 * record, and an enum is `{ variant, fields }` with its fields by name (or position).
 */
import { ProtocolError } from '../../../shared/errors';
import type { ScaleReader } from '../../../shared/protocol/scale';
import type { Field, RuntimeMetadata, TypeDef } from './metadata';
import { refuse, type LightClientErrorCode } from './errors';
import { readCompactBig } from './scale';

export type Value = boolean | number | bigint | string | Uint8Array | Value[] | Record | Enum;
export interface Record { readonly kind: 'record'; readonly fields: ReadonlyMap<string, Value> }
export interface Enum { readonly kind: 'enum'; readonly variant: string; readonly fields: ReadonlyMap<string, Value> }

/** Nesting is bounded by the metadata, but a recursive type (a call in a call) could loop on hostile bytes. */
const MAX_DEPTH = 64;
const MAX_LENGTH = 1 << 24;

const nameOf = (f: Field, i: number) => f.name ?? String(i);

export class ValueDecoder {
  constructor(private readonly metadata: RuntimeMetadata) {}

  decode(r: ScaleReader, type: number, depth = 0): Value {
    if (depth > MAX_DEPTH) throw new ProtocolError('OutOfRange', 'A value nests too deeply.');
    const def = this.metadata.types[type];
    switch (def.kind) {
      case 'primitive': return readPrimitive(r, def.primitive);
      case 'compact': return readCompactBig(r);
      case 'composite': {
        // A newtype (one unnamed field, like AccountId32([u8; 32])) is its inner value.
        if (def.fields.length === 1 && def.fields[0].name === null) return this.decode(r, def.fields[0].type, depth + 1);
        return { kind: 'record', fields: this.#fields(r, def.fields, depth) };
      }
      case 'variant': {
        const variant = def.variants.get(r.u8());
        if (variant === undefined) throw new ProtocolError('UnknownVariant', 'Unknown enum variant.');
        return { kind: 'enum', variant: variant.name, fields: this.#fields(r, variant.fields, depth) };
      }
      case 'sequence': return this.#list(r, r.compact(), def.type, depth);
      case 'array': return this.#list(r, def.length, def.type, depth);
      case 'tuple': return def.types.map((t) => this.decode(r, t, depth + 1));
      case 'bitSequence': return this.#bits(r, def.store);
    }
  }

  #fields(r: ScaleReader, fields: Field[], depth: number): Map<string, Value> {
    return new Map(fields.map((f, i) => [nameOf(f, i), this.decode(r, f.type, depth + 1)]));
  }

  #isByte(type: number): boolean {
    const def: TypeDef = this.metadata.types[type];
    return def.kind === 'primitive' && def.primitive === 'u8';
  }

  #list(r: ScaleReader, length: number, item: number, depth: number): Value {
    if (length > MAX_LENGTH) throw new ProtocolError('FieldTooLong', 'A list is too long.');
    if (this.#isByte(item)) return r.fixed(length);
    const out: Value[] = [];
    for (let i = 0; i < length; i++) out.push(this.decode(r, item, depth + 1));
    return out;
  }

  /** A BitVec is its bit count then whole store words; only its bytes are kept. */
  #bits(r: ScaleReader, store: number): Uint8Array {
    const bits = r.compact();
    const def = this.metadata.types[store];
    const width = def.kind === 'primitive' ? { u8: 1, u16: 2, u32: 4, u64: 8 }[def.primitive as string] : undefined;
    if (width === undefined) throw new ProtocolError('UnknownVariant', 'A bit sequence has an unknown store type.');
    return r.fixed(Math.ceil(bits / (8 * width)) * width);
  }
}

function readPrimitive(r: ScaleReader, p: string): Value {
  switch (p) {
    case 'bool': return r.bool();
    case 'u8': return r.u8();
    case 'u16': return r.u16();
    case 'u32': case 'char': return r.u32();
    case 'u64': return r.u64();
    case 'u128': return r.u128();
    case 'str': return r.str(MAX_LENGTH);
    case 'i8': return signed(r.fixed(1));
    case 'i16': return signed(r.fixed(2));
    case 'i32': return signed(r.fixed(4));
    case 'i64': return signed(r.fixed(8));
    case 'i128': return signed(r.fixed(16));
    default: return r.fixed(32); // u256 / i256: kept as bytes, nothing here does arithmetic on them
  }
}

function signed(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  return BigInt.asIntN(bytes.length * 8, v);
}

// Typed reads of decoded values: the pinned metadata fixes these shapes, so a mismatch is a refusal.
export class ShapeError extends Error {}

/** Runs `read`, refusing a decoded value of the wrong shape as `code`. */
export function withShape<T>(code: LightClientErrorCode, message: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof ShapeError) throw refuse(code, message);
    throw e;
  }
}

export function field(v: Value | undefined, name: string): Value {
  const fields = typeof v === 'object' && v !== null && 'kind' in v ? v.fields : undefined;
  const f = fields?.get(name);
  if (f === undefined) throw new ShapeError(`no field ${name}`);
  return f;
}

export function asBytes(v: Value, length?: number): Uint8Array {
  if (!(v instanceof Uint8Array) || (length !== undefined && v.length !== length)) throw new ShapeError('not bytes');
  return v;
}

export function asU32(v: Value): number {
  const n = typeof v === 'bigint' && v <= 0xffffffffn ? Number(v) : v;
  if (typeof n !== 'number') throw new ShapeError('not a u32');
  return n;
}

export function asBigint(v: Value): bigint {
  if (typeof v === 'number') return BigInt(v);
  if (typeof v !== 'bigint') throw new ShapeError('not an integer');
  return v;
}

export function asEnum(v: Value): Enum {
  if (typeof v !== 'object' || v === null || !('kind' in v) || v.kind !== 'enum') throw new ShapeError('not an enum');
  return v;
}
