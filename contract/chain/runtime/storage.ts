/** Typed storage for pallet code: items addressed by metadata name, layered like Substrate's transactional storage. */
import type { Codec } from '@polkadot/types/types';
import type { RuntimeCodec } from './codec';
import { Overlay, type StorageReader } from './state';

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
  get<T extends Codec>(section: string, item: string, ...keys: unknown[]): T | null {
    return this.codec.decode<T>(section, item, this.kv.get(this.codec.key(section, item, ...keys)));
  }

  has(section: string, item: string, ...keys: unknown[]): boolean {
    return this.kv.get(this.codec.key(section, item, ...keys)) !== null;
  }

  put(section: string, item: string, keys: unknown[], value: unknown): void {
    this.kv.set(this.codec.key(section, item, ...keys), this.codec.encode(section, item, value));
  }

  remove(section: string, item: string, ...keys: unknown[]): void {
    this.kv.set(this.codec.key(section, item, ...keys), null);
  }
}
