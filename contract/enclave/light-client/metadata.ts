/**
 * The runtime's type layouts, read from its own SCALE metadata (frame-metadata V14, what
 * `state_getMetadata` serves), which the enclave configuration pins by blake2-256 hash.
 *
 * Why metadata and not a table of known events: `System::Events` is one SCALE vector with no per-event
 * lengths, so one event the client cannot size makes the whole block unreadable — a table must know
 * every event of every pallet (Balances alone has 22), and silently goes wrong when a pallet changes.
 * The metadata describes exactly the runtime that wrote the events; pinning its hash keeps the host
 * from choosing it, and a runtime upgrade (a `RuntimeEnvironmentUpdated` digest) is refused until the
 * enclave is configured for the new runtime. Only the portable type registry, the pallets' call and
 * event types and the extrinsic format are kept; docs and storage details are skipped.
 */
import type { ScaleReader } from '../../../shared/protocol/scale';
import { refuse } from './errors';
import { decodeOrRefuse } from './scale';

export type Primitive = 'bool' | 'char' | 'str' | 'u8' | 'u16' | 'u32' | 'u64' | 'u128' | 'u256' | 'i8' | 'i16' | 'i32' | 'i64' | 'i128' | 'i256';
const PRIMITIVES: readonly Primitive[] = ['bool', 'char', 'str', 'u8', 'u16', 'u32', 'u64', 'u128', 'u256', 'i8', 'i16', 'i32', 'i64', 'i128', 'i256'];

export interface Field {
  name: string | null;
  type: number;
}

export interface Variant {
  name: string;
  index: number;
  fields: Field[];
}

export type TypeDef =
  | { kind: 'composite'; fields: Field[] }
  | { kind: 'variant'; variants: Map<number, Variant> }
  | { kind: 'sequence'; type: number }
  | { kind: 'array'; length: number; type: number }
  | { kind: 'tuple'; types: number[] }
  | { kind: 'primitive'; primitive: Primitive }
  | { kind: 'compact'; type: number }
  | { kind: 'bitSequence'; store: number };

export interface Pallet {
  name: string;
  index: number;
  callType: number | null;
  eventType: number | null;
  /** Plain storage items' value types by name (maps are not read through the registry here). */
  plainStorage: Map<string, number>;
}

export interface RuntimeMetadata {
  types: TypeDef[];
  pallets: Pallet[];
  /** UncheckedExtrinsic's type parameters: what a signed extrinsic carries, in order. */
  extrinsic: { version: number; address: number; signature: number; extra: number; call: number };
}

const MAGIC = 0x6174656d; // "meta", little-endian
const V14 = 14;
/** Bounds that only stop absurd input (the dev runtime has ~200 types, Polkadot's ~1,000). */
const MAX_ITEMS = 1 << 20;
const MAX_TEXT = 1 << 16;

const text = (r: ScaleReader) => r.str(MAX_TEXT);
const typeId = (r: ScaleReader) => r.compact();
const skipTexts = (r: ScaleReader) => void r.vec(MAX_ITEMS, text);

function readField(r: ScaleReader): Field {
  const name = r.option(text);
  const type = typeId(r);
  r.option(text); // type name
  skipTexts(r); // docs
  return { name, type };
}

function readTypeDef(r: ScaleReader): TypeDef {
  switch (r.u8()) {
    case 0: return { kind: 'composite', fields: r.vec(MAX_ITEMS, readField) };
    case 1: {
      const variants = new Map<number, Variant>();
      for (const v of r.vec(MAX_ITEMS, (x) => {
        const name = text(x);
        const fields = x.vec(MAX_ITEMS, readField);
        const index = x.u8();
        skipTexts(x);
        return { name, fields, index };
      })) variants.set(v.index, v);
      return { kind: 'variant', variants };
    }
    case 2: return { kind: 'sequence', type: typeId(r) };
    case 3: return { kind: 'array', length: r.u32(), type: typeId(r) };
    case 4: return { kind: 'tuple', types: r.vec(MAX_ITEMS, typeId) };
    case 5: {
      const primitive = PRIMITIVES[r.u8()];
      if (primitive === undefined) throw refuse('BadConfig', 'The metadata names an unknown primitive type.');
      return { kind: 'primitive', primitive };
    }
    case 6: return { kind: 'compact', type: typeId(r) };
    case 7: {
      const store = typeId(r);
      typeId(r); // bit order: Lsb0 or Msb0 changes bit positions, not sizes
      return { kind: 'bitSequence', store };
    }
    default: throw refuse('BadConfig', 'The metadata has an unknown type definition.');
  }
}

interface RegistryEntry {
  params: Map<string, number | null>;
  def: TypeDef;
}

function readRegistryEntry(r: ScaleReader, expectedId: number): RegistryEntry {
  if (typeId(r) !== expectedId) throw refuse('BadConfig', 'The metadata type registry is not numbered in order.');
  skipTexts(r); // path
  const params = new Map(r.vec(MAX_ITEMS, (x) => [text(x), x.option(typeId)] as const));
  const def = readTypeDef(r);
  skipTexts(r); // docs
  return { params, def };
}

function readStorageEntry(r: ScaleReader): { name: string; plain: number | null } {
  const name = text(r);
  r.u8(); // modifier
  let plain: number | null = null;
  const kind = r.u8();
  if (kind === 0) plain = typeId(r);
  else if (kind === 1) {
    r.vec(MAX_ITEMS, (x) => x.u8()); // hashers
    typeId(r);
    typeId(r);
  } else throw refuse('BadConfig', 'The metadata has an unknown storage entry kind.');
  r.bytesVec(MAX_ITEMS); // default
  skipTexts(r);
  return { name, plain };
}

function readPallet(r: ScaleReader): Pallet {
  const name = text(r);
  const plainStorage = new Map<string, number>();
  r.option((x) => {
    text(x); // prefix
    for (const e of x.vec(MAX_ITEMS, readStorageEntry)) if (e.plain !== null) plainStorage.set(e.name, e.plain);
  });
  const callType = r.option(typeId);
  const eventType = r.option(typeId);
  r.vec(MAX_ITEMS, (x) => {
    text(x);
    typeId(x);
    x.bytesVec(MAX_ITEMS);
    skipTexts(x);
  });
  r.option(typeId); // errors
  return { name, index: r.u8(), callType, eventType, plainStorage };
}

function param(entry: RegistryEntry, name: string): number {
  const id = entry.params.get(name);
  if (id === undefined || id === null) throw refuse('BadConfig', `The metadata's extrinsic type has no ${name} parameter.`);
  return id;
}

export function decodeMetadata(bytes: Uint8Array): RuntimeMetadata {
  return decodeOrRefuse('BadConfig', 'The runtime metadata', bytes, (r) => {
    if (r.u32() !== MAGIC) throw refuse('BadConfig', 'The runtime metadata does not start with "meta".');
    if (r.u8() !== V14) throw refuse('BadConfig', 'The runtime metadata is not V14.');
    let next = 0;
    const registry = r.vec(MAX_ITEMS, (x) => readRegistryEntry(x, next++));
    const pallets = r.vec(MAX_ITEMS, readPallet);
    const extrinsicType = typeId(r);
    const version = r.u8();
    r.vec(MAX_ITEMS, (x) => {
      text(x);
      typeId(x);
      typeId(x);
    });
    typeId(r); // the runtime type
    const unchecked = registry[extrinsicType];
    if (unchecked === undefined) throw refuse('BadConfig', "The metadata's extrinsic type is not in its registry.");
    const types = registry.map((e) => e.def);
    for (const t of types) checkReferences(t, types.length);
    return {
      types,
      pallets,
      extrinsic: {
        version,
        address: param(unchecked, 'Address'),
        signature: param(unchecked, 'Signature'),
        extra: param(unchecked, 'Extra'),
        call: param(unchecked, 'Call'),
      },
    };
  });
}

/** Every type a definition names exists, so decoding never meets a dangling id. */
function checkReferences(def: TypeDef, count: number): void {
  const ids: number[] = [];
  switch (def.kind) {
    case 'composite': ids.push(...def.fields.map((f) => f.type)); break;
    case 'variant': for (const v of def.variants.values()) ids.push(...v.fields.map((f) => f.type)); break;
    case 'sequence': case 'array': case 'compact': ids.push(def.type); break;
    case 'tuple': ids.push(...def.types); break;
    case 'bitSequence': ids.push(def.store); break;
    case 'primitive': break;
  }
  if (ids.some((id) => id >= count)) throw refuse('BadConfig', 'The metadata names a type that is not in its registry.');
}

export function palletNamed(metadata: RuntimeMetadata, name: string): Pallet | null {
  return metadata.pallets.find((p) => p.name === name) ?? null;
}
