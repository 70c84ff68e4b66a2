/**
 * Everything the runtime encodes or decodes goes through the metadata's own types, so storage keys
 * (with the hashers the metadata names), storage values and events are exactly what any Substrate
 * client expects to find.
 */
import type { Metadata, TypeRegistry } from '@polkadot/types';
import { expandMetadata } from '@polkadot/types';
import type { Call } from '@polkadot/types/interfaces';
import type { Codec } from '@polkadot/types/types';
import { compactStripLength, compactToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import type { RuntimeMetadata } from '../metadata/build';
import type { DispatchErrorValue, PalletErrorRef } from './errors';

type StorageFn = ((...args: unknown[]) => Uint8Array) & {
  meta: { type: { isPlain: boolean; asPlain: { toNumber(): number }; asMap: { value: { toNumber(): number } } }; modifier: { isOptional: boolean }; fallback: { toU8a(bare: boolean): Uint8Array } };
};

const KEY_CACHE_SIZE = 100_000;
const NO_TOPICS = compactToU8a(0);

export type Phase = { ApplyExtrinsic: number } | 'Finalization' | 'Initialization';

export interface EventRecordInput {
  phase: Phase;
  /** SCALE RuntimeEvent: pallet index, variant index, fields. */
  event: Uint8Array;
}

/**
 * A pallet's event enum, built by variant index: several times cheaper than @polkadot/types'
 * `{Name: fields}` form, which searches the variant by name — and a transfer deposits four events.
 */
interface EventEnum {
  Enum: new (registry: TypeRegistry, value: unknown, index: number) => Codec;
  variants: Map<string, number>;
}

function eventEnum(registry: TypeRegistry, typeId: number): EventEnum {
  const variants = registry.lookup.getSiType(typeId).def.asVariant.variants;
  return {
    Enum: registry.createClass(registry.createLookupType(typeId)) as unknown as EventEnum['Enum'],
    variants: new Map(variants.map((v) => [v.name.toString(), v.index.toNumber()])),
  };
}

export class RuntimeCodec {
  readonly registry: TypeRegistry;
  readonly metadata: Metadata;
  /** The RFC-78 hash a CheckMetadataHash mode-1 signature commits to. */
  readonly metadataHash: () => Uint8Array;
  readonly #storage: Record<string, Record<string, StorageFn>>;
  readonly #calls: Record<string, Record<string, (...args: unknown[]) => Call>>;
  readonly #pallets = new Map<string, { index: number; events: EventEnum | null; errors: string | null }>();
  readonly #phaseType: string;
  readonly #phases = new Map<string, Uint8Array>();
  readonly #keys = new Map<string, string>();
  readonly #decoded = new WeakMap<Uint8Array, { type: string; value: Codec }>();

  constructor({ registry, metadata, metadataHash }: RuntimeMetadata) {
    this.registry = registry;
    this.metadata = metadata;
    this.metadataHash = metadataHash;
    const decorated = expandMetadata(registry, metadata);
    this.#storage = decorated.query as unknown as Record<string, Record<string, StorageFn>>;
    this.#calls = decorated.tx as unknown as Record<string, Record<string, (...args: unknown[]) => Call>>;
    for (const p of metadata.asLatest.pallets) {
      this.#pallets.set(p.name.toString(), {
        index: p.index.toNumber(),
        events: p.events.isSome ? eventEnum(registry, p.events.unwrap().type.toNumber()) : null,
        errors: p.errors.isSome ? registry.createLookupType(p.errors.unwrap().type) : null,
      });
    }
    const { lookup } = registry;
    const record = lookup.getSiType(lookup.getSiType(this.#fn('system', 'events').meta.type.asPlain.toNumber()).def.asSequence.type);
    this.#phaseType = registry.createLookupType(record.def.asComposite.fields[0].type);
  }

  #fn(section: string, item: string): StorageFn {
    const fn = this.#storage[section]?.[item];
    if (!fn) throw new Error(`No storage item ${section}.${item} in metadata.`);
    return fn;
  }

  #valueType(section: string, item: string): string {
    const { type } = this.#fn(section, item).meta;
    return this.registry.createLookupType(type.isPlain ? type.asPlain.toNumber() : type.asMap.value.toNumber());
  }

  /**
   * Hex storage key; map keys are hashed as the metadata says (double maps take one arg per key).
   * Keys named by strings and numbers are cached: hashing them is most of a transfer's storage cost.
   */
  key(section: string, item: string, ...args: unknown[]): string {
    const cacheable = args.every((a) => typeof a === 'string' || typeof a === 'number' || typeof a === 'bigint');
    const id = cacheable ? `${section}.${item}(${args.map((a) => (typeof a === 'bigint' ? `${a}n` : JSON.stringify(a))).join(',')})` : null;
    const cached = id && this.#keys.get(id);
    if (cached) return cached;
    const key = u8aToHex(compactStripLength(this.#fn(section, item)(...args))[1]);
    if (id) {
      if (this.#keys.size >= KEY_CACHE_SIZE) this.#keys.clear();
      this.#keys.set(id, key);
    }
    return key;
  }

  /**
   * The value at a key, or the item's default (`null` for an absent Optional item). Stored values
   * are immutable byte arrays, so each is decoded once and the codec reused while it is current.
   */
  decode(section: string, item: string, bytes: Uint8Array | null): Codec | null {
    const fn = this.#fn(section, item);
    if (bytes === null && fn.meta.modifier.isOptional) return null;
    const type = this.#valueType(section, item);
    const known = bytes && this.#decoded.get(bytes);
    if (known && known.type === type) return known.value;
    const value = this.registry.createType(type, bytes ?? fn.meta.fallback.toU8a(true));
    if (bytes) this.#decoded.set(bytes, { type, value });
    return value;
  }

  encode(section: string, item: string, value: unknown): Uint8Array {
    return this.registry.createType(this.#valueType(section, item), value).toU8a();
  }

  /** An unsigned extrinsic (SCALE, length-prefixed) for a call named like `timestamp.set`. */
  unsignedExtrinsic(section: string, method: string, ...args: unknown[]): Uint8Array {
    return this.registry.createType('Extrinsic', this.#calls[section][method](...args)).toU8a();
  }

  /** A RuntimeEvent: `fields` keyed by camelCase field name. */
  event(pallet: string, name: string, fields: Record<string, unknown> = {}): Uint8Array {
    const p = this.#pallet(pallet);
    const variant = p.events?.variants.get(name);
    if (variant === undefined) throw new Error(`No event ${pallet}.${name} in metadata.`);
    return u8aConcat([p.index], new p.events!.Enum(this.registry, fields, variant).toU8a());
  }

  /**
   * `System.Events` value: Vec<EventRecord{phase, event, topics}>. Assembled from the records'
   * already-encoded events (re-creating them as codecs would decode every event again).
   */
  eventRecords(records: EventRecordInput[]): Uint8Array {
    const parts: Uint8Array[] = [compactToU8a(records.length)];
    for (const r of records) parts.push(this.#phase(r.phase), r.event, NO_TOPICS);
    return u8aConcat(...parts);
  }

  #phase(phase: Phase): Uint8Array {
    const id = JSON.stringify(phase);
    let bytes = this.#phases.get(id);
    if (!bytes) this.#phases.set(id, (bytes = this.registry.createType(this.#phaseType, phase).toU8a()));
    return bytes;
  }

  /** The `DispatchError` value for an error thrown by pallet code. */
  dispatchError(e: DispatchErrorValue | PalletErrorRef): DispatchErrorValue {
    if (typeof e === 'string' || !('pallet' in e)) return e;
    const p = this.#pallet(e.pallet);
    if (!p.errors) throw new Error(`Pallet ${e.pallet} has no errors.`);
    const index = this.registry.createType(p.errors, e.name).toU8a()[0];
    return { Module: { index: p.index, error: new Uint8Array([index, 0, 0, 0]) } };
  }

  /** A sentence for people: `PhalaModule.PayloadWrongSize: <docs>`, `BadOrigin`, `Token.FundsUnavailable`. */
  describeError(e: DispatchErrorValue | PalletErrorRef): string {
    if (typeof e === 'string') return e;
    if ('pallet' in e) {
      const { Module } = this.dispatchError(e) as { Module: { index: number; error: Uint8Array } };
      const meta = this.registry.findMetaError(new Uint8Array([Module.index, Module.error[0]]));
      return `${e.pallet}.${e.name}: ${meta.docs.join(' ')}`;
    }
    const [kind, detail] = Object.entries(e)[0];
    return typeof detail === 'string' ? `${kind}.${detail}` : kind;
  }

  #pallet(name: string) {
    const p = this.#pallets.get(name);
    if (!p) throw new Error(`No pallet ${name} in metadata.`);
    return p;
  }
}
