/**
 * Everything the runtime encodes or decodes goes through the metadata's own types, so storage keys
 * (with the hashers the metadata names), storage values and events are exactly what any Substrate
 * client expects to find.
 */
import type { Metadata, TypeRegistry } from '@polkadot/types';
import { expandMetadata } from '@polkadot/types';
import type { Call } from '@polkadot/types/interfaces';
import type { Codec } from '@polkadot/types/types';
import { compactStripLength, u8aConcat, u8aToHex } from '@polkadot/util';
import type { RuntimeMetadata } from '../metadata/build';
import type { DispatchErrorValue, PalletErrorRef } from './errors';

type StorageFn = ((...args: unknown[]) => Uint8Array) & {
  meta: { type: { isPlain: boolean; asPlain: { toNumber(): number }; asMap: { value: { toNumber(): number } } }; modifier: { isOptional: boolean }; fallback: { toU8a(bare: boolean): Uint8Array } };
};

export type Phase = { ApplyExtrinsic: number } | 'Finalization' | 'Initialization';

export interface EventRecordInput {
  phase: Phase;
  /** SCALE RuntimeEvent: pallet index, variant index, fields. */
  event: Uint8Array;
}

export class RuntimeCodec {
  readonly registry: TypeRegistry;
  readonly metadata: Metadata;
  readonly #storage: Record<string, Record<string, StorageFn>>;
  readonly #calls: Record<string, Record<string, (...args: unknown[]) => Call>>;
  readonly #pallets = new Map<string, { index: number; events: string | null; errors: string | null }>();
  readonly #eventRecords: string;

  constructor({ registry, metadata }: RuntimeMetadata) {
    this.registry = registry;
    this.metadata = metadata;
    const decorated = expandMetadata(registry, metadata);
    this.#storage = decorated.query as unknown as Record<string, Record<string, StorageFn>>;
    this.#calls = decorated.tx as unknown as Record<string, Record<string, (...args: unknown[]) => Call>>;
    for (const p of metadata.asLatest.pallets) {
      this.#pallets.set(p.name.toString(), {
        index: p.index.toNumber(),
        events: p.events.isSome ? registry.createLookupType(p.events.unwrap().type) : null,
        errors: p.errors.isSome ? registry.createLookupType(p.errors.unwrap().type) : null,
      });
    }
    this.#eventRecords = this.#valueType('system', 'events');
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

  /** Hex storage key; map keys are hashed as the metadata says (double maps take one arg per key). */
  key(section: string, item: string, ...args: unknown[]): string {
    return u8aToHex(compactStripLength(this.#fn(section, item)(...args))[1]);
  }

  /** The value at a key, or the item's default (`null` for an absent Optional item). */
  decode<T extends Codec>(section: string, item: string, bytes: Uint8Array | null): T | null {
    const fn = this.#fn(section, item);
    if (bytes === null && fn.meta.modifier.isOptional) return null;
    return this.registry.createType(this.#valueType(section, item), bytes ?? fn.meta.fallback.toU8a(true)) as unknown as T;
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
    if (!p.events) throw new Error(`Pallet ${pallet} has no events.`);
    return u8aConcat([p.index], this.registry.createType(p.events, { [name]: fields }).toU8a());
  }

  /** `System.Events` value. */
  eventRecords(records: EventRecordInput[]): Uint8Array {
    return this.registry.createType(this.#eventRecords, records.map((r) => ({ ...r, topics: [] }))).toU8a();
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
