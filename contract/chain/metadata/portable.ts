/**
 * The JSON shape of V14 metadata (as @polkadot/types `toJSON()` gives it and `createType` takes it)
 * and the few edits we make to it: intern new types, rewrite type references, prune what nothing
 * reaches. Pruning matters: the kitchensink metadata is ~1.2 MB, ours a fraction, and every client
 * downloads and decodes it on connect.
 */

export interface FieldJson {
  name: string | null;
  type: number;
  typeName: string | null;
  docs: string[];
}

export interface VariantJson {
  name: string;
  fields: FieldJson[];
  index: number;
  docs: string[];
}

export type TypeDefJson =
  | { composite: { fields: FieldJson[] } }
  | { variant: { variants: VariantJson[] } }
  | { sequence: { type: number } }
  | { array: { len: number; type: number } }
  | { tuple: number[] }
  | { primitive: string }
  | { compact: { type: number } }
  | { bitSequence: { bitStoreType: number; bitOrderType: number } }
  | { historicMetaCompat: string };

export interface TypeJson {
  path: string[];
  params: { name: string; type: number | null }[];
  def: TypeDefJson;
  docs: string[];
}

export interface PortableTypeJson {
  id: number;
  type: TypeJson;
}

export type StorageEntryTypeJson =
  | { plain: number }
  | { map: { hashers: string[]; key: number; value: number } };

export interface StorageEntryJson {
  name: string;
  modifier: 'Optional' | 'Default';
  type: StorageEntryTypeJson;
  fallback: string;
  docs: string[];
}

export interface ConstantJson {
  name: string;
  type: number;
  value: string;
  docs: string[];
}

export interface PalletJson {
  name: string;
  storage: { prefix: string; items: StorageEntryJson[] } | null;
  calls: { type: number } | null;
  events: { type: number } | null;
  constants: ConstantJson[];
  errors: { type: number } | null;
  index: number;
}

export interface SignedExtensionJson {
  identifier: string;
  type: number;
  additionalSigned: number;
}

export interface MetadataV14Json {
  lookup: { types: PortableTypeJson[] };
  pallets: PalletJson[];
  extrinsic: { type: number; version: number; signedExtensions: SignedExtensionJson[] };
  type: number;
  /** The type references V15 adds (metadata/v15.ts); pruned and renumbered with the rest. */
  v15?: V15RootsJson;
}

/** What V15 names beyond V14: the extrinsic's parts and the runtime's outer enums. */
export interface V15RootsJson {
  addressType: number;
  callType: number;
  signatureType: number;
  extraType: number;
  eventType: number;
  errorType: number;
}

type Remap = (id: number) => number;

const mapFields = (fields: FieldJson[], f: Remap): FieldJson[] => fields.map((x) => ({ ...x, type: f(x.type) }));

/** A copy of `t` with every type reference passed through `f` (also used to just visit them). */
function mapTypeRefs(t: TypeJson, f: Remap): TypeJson {
  const d = t.def;
  let def: TypeDefJson;
  if ('composite' in d) def = { composite: { fields: mapFields(d.composite.fields, f) } };
  else if ('variant' in d) def = { variant: { variants: d.variant.variants.map((v) => ({ ...v, fields: mapFields(v.fields, f) })) } };
  else if ('sequence' in d) def = { sequence: { type: f(d.sequence.type) } };
  else if ('array' in d) def = { array: { len: d.array.len, type: f(d.array.type) } };
  else if ('tuple' in d) def = { tuple: d.tuple.map(f) };
  else if ('compact' in d) def = { compact: { type: f(d.compact.type) } };
  else if ('bitSequence' in d) def = { bitSequence: { bitStoreType: f(d.bitSequence.bitStoreType), bitOrderType: f(d.bitSequence.bitOrderType) } };
  else def = d;
  return { ...t, params: t.params.map((p) => ({ ...p, type: p.type === null ? null : f(p.type) })), def };
}

function mapStorageType(t: StorageEntryTypeJson, f: Remap): StorageEntryTypeJson {
  return 'plain' in t ? { plain: f(t.plain) } : { map: { ...t.map, key: f(t.map.key), value: f(t.map.value) } };
}

const mapV15Roots = (r: V15RootsJson, f: Remap): V15RootsJson => ({
  addressType: f(r.addressType), callType: f(r.callType), signatureType: f(r.signatureType),
  extraType: f(r.extraType), eventType: f(r.eventType), errorType: f(r.errorType),
});

/** A copy of the pallets/extrinsic/runtime parts with every type reference passed through `f`. */
function mapRootRefs(m: MetadataV14Json, f: Remap): Omit<MetadataV14Json, 'lookup'> {
  const ref = (x: { type: number } | null) => (x === null ? null : { type: f(x.type) });
  return {
    pallets: m.pallets.map((p) => ({
      ...p,
      storage: p.storage && { ...p.storage, items: p.storage.items.map((i) => ({ ...i, type: mapStorageType(i.type, f) })) },
      calls: ref(p.calls),
      events: ref(p.events),
      errors: ref(p.errors),
      constants: p.constants.map((c) => ({ ...c, type: f(c.type) })),
    })),
    extrinsic: {
      ...m.extrinsic,
      type: f(m.extrinsic.type),
      signedExtensions: m.extrinsic.signedExtensions.map((s) => ({ ...s, type: f(s.type), additionalSigned: f(s.additionalSigned) })),
    },
    type: f(m.type),
    ...(m.v15 ? { v15: mapV15Roots(m.v15, f) } : {}),
  };
}

/** Drops every type no pallet, extrinsic or runtime reference reaches, and renumbers the rest densely. */
export function prune(m: MetadataV14Json): MetadataV14Json {
  const byId = new Map(m.lookup.types.map((t) => [t.id, t.type]));
  const seen = new Set<number>();
  const stack: number[] = [];
  const visit = (id: number) => {
    if (!seen.has(id)) {
      seen.add(id);
      stack.push(id);
    }
    return id;
  };
  mapRootRefs(m, visit);
  while (stack.length) {
    const t = byId.get(stack.pop()!);
    if (!t) throw new Error('Metadata references a type that does not exist.');
    mapTypeRefs(t, visit);
  }
  const kept = [...seen].sort((a, b) => a - b);
  const newId = new Map(kept.map((old, i) => [old, i]));
  const f = (id: number) => newId.get(id)!;
  return {
    lookup: { types: kept.map((old, i) => ({ id: i, type: mapTypeRefs(byId.get(old)!, f) })) },
    ...mapRootRefs(m, f),
  };
}

/** The lookup of a metadata being edited: find types by path, intern new ones (deduplicated). */
export class TypeTable {
  readonly types: PortableTypeJson[];
  readonly #index = new Map<string, number>();

  constructor(types: PortableTypeJson[]) {
    this.types = types;
    for (const t of types) if (!this.#index.has(JSON.stringify(t.type))) this.#index.set(JSON.stringify(t.type), t.id);
  }

  get(id: number): TypeJson {
    return this.types[id].type;
  }

  set(id: number, type: TypeJson): void {
    this.types[id] = { id, type };
  }

  byPath(path: string): number {
    const found = this.types.find((t) => t.type.path.join('::') === path);
    if (!found) throw new Error(`No type ${path} in the base metadata.`);
    return found.id;
  }

  /** The id of an identical type, appending it when new. */
  intern(type: TypeJson): number {
    const key = JSON.stringify(type);
    const existing = this.#index.get(key);
    if (existing !== undefined) return existing;
    const id = this.types.length;
    this.types.push({ id, type });
    this.#index.set(key, id);
    return id;
  }

  def(def: TypeDefJson, path: string[] = []): number {
    return this.intern({ path, params: [], def, docs: [] });
  }

  primitive(name: 'U8' | 'U32' | 'U64' | 'U128' | 'Bool'): number {
    return this.def({ primitive: name });
  }

  /** A struct (`path` given) of named fields. */
  struct(path: string, fields: Array<[name: string, type: number]>): number {
    return this.def({ composite: { fields: fields.map(([name, type]) => field(name, type)) } }, path.split('::'));
  }

  /** A Rust enum of struct-like variants, indexed in order. */
  enumOf(path: string, variants: Array<[name: string, fields: Array<[string, number]>, docs?: string]>): number {
    return this.def({
      variant: {
        variants: variants.map(([name, fields, doc], index) => ({
          name, index, fields: fields.map(([n, t]) => field(n, t)), docs: doc ? [doc] : [],
        })),
      },
    }, path.split('::'));
  }
}

const field = (name: string | null, type: number): FieldJson => ({ name, type, typeName: null, docs: [] });
