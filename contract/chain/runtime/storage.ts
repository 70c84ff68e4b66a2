/**
 * Typed storage for pallet code: items addressed by metadata name, layered like Substrate's
 * transactional storage. Names, keys and value types are read off polkadot-js's storage augmentation
 * (Substrate's pallets from @polkadot/api-augment, PhalaModule from shared/protocol/phala-augment.ts),
 * so a misspelled item or a wrong key type does not compile, and a read needs no cast.
 */
import type {} from '@polkadot/api-augment';
import type { AugmentedQueries } from '@polkadot/api-base/types';
import type { Option } from '@polkadot/types';
import type { Codec, Observable } from '@polkadot/types/types';
import type {} from '../../../shared/protocol/phala-augment';
import type { RuntimeCodec } from './codec';
import { Overlay, type StorageReader } from './state';

type Queries = AugmentedQueries<'rxjs'>;
/** camelCase pallet names that have storage. */
export type Section = keyof Queries & string;
export type Item<S extends Section> = keyof Queries[S] & string;
/**
 * polkadot-js types an rxjs entry as four call signatures: the item's own `(...keys) => Observable<V>`
 * and a generic `<T>` one, then both again for any item. Inference pairs overloads from the last, so
 * the first signature here meets the item's own.
 */
type Typed<K, V> = {
  (...args: K & unknown[]): Observable<V>;
  <T>(...args: unknown[]): Observable<T>;
  (...args: unknown[]): Observable<Codec>;
  <T>(...args: unknown[]): Observable<T>;
};
type Entry<S extends Section, I extends Item<S>> = Queries[S][I];
/** The map keys an item takes (none for a plain value), in polkadot-js's accepted input types. */
export type KeysOf<S extends Section, I extends Item<S>> = Entry<S, I> extends Typed<infer K, Codec> ? K & unknown[] : never;
/** What a read returns: the value, or `null` for an absent Optional item. */
export type ValueOf<S extends Section, I extends Item<S>> =
  Entry<S, I> extends Typed<unknown[], infer V> ? (V extends Option<infer Inner> ? Inner | null : V) : never;

export class Storage {
  constructor(
    readonly codec: RuntimeCodec,
    readonly kv: Overlay,
  ) {}

  /** A child layer whose writes reach this one only through `commit`. */
  static over(codec: RuntimeCodec, base: StorageReader): Storage {
    return new Storage(codec, new Overlay(base));
  }

  layer(): Storage {
    return Storage.over(this.codec, this.kv);
  }

  commitInto(parent: Storage): void {
    this.kv.mergeInto(parent.kv);
  }

  /** Decoded value, the item's default, or `null` for an absent Optional item. */
  get<S extends Section, I extends Item<S>>(section: S, item: I, ...keys: KeysOf<S, I>): ValueOf<S, I> {
    // The codec decodes with the metadata's own type for this item, which the augmentation describes.
    return this.codec.decode(section, item, this.kv.get(this.codec.key(section, item, ...keys))) as ValueOf<S, I>;
  }

  has<S extends Section, I extends Item<S>>(section: S, item: I, ...keys: KeysOf<S, I>): boolean {
    return this.kv.get(this.codec.key(section, item, ...keys)) !== null;
  }

  put<S extends Section, I extends Item<S>>(section: S, item: I, keys: KeysOf<S, I>, value: unknown): void {
    this.kv.set(this.codec.key(section, item, ...keys), this.codec.encode(section, item, value));
  }

  remove<S extends Section, I extends Item<S>>(section: S, item: I, ...keys: KeysOf<S, I>): void {
    this.kv.set(this.codec.key(section, item, ...keys), null);
  }
}
