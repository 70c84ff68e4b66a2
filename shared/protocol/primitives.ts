/** Codecs for the branded primitives, so every structure reads and writes them the same way. */
import { ProtocolError } from '../errors';
import type { AccountId, Amount, AssetId, Hash } from '../types';
import { accountIdFromBytes, accountIdToBytes, hash32, fromHex } from '../types';
import type { ScaleReader, ScaleWriter } from './scale';

export const writeAccount = (w: ScaleWriter, a: AccountId) => w.fixed(accountIdToBytes(a), 32);
export const readAccount = (r: ScaleReader): AccountId => accountIdFromBytes(r.fixed(32));
export const writeAsset = (w: ScaleWriter, a: AssetId) => w.u32(a);
export const readAsset = (r: ScaleReader): AssetId => r.u32() as AssetId;
export const writeAmount = (w: ScaleWriter, a: Amount) => w.u128(a);
export const readAmount = (r: ScaleReader): Amount => r.u128() as Amount;
export const writeHash = (w: ScaleWriter, h: Hash) => w.fixed(fromHex(h), 32);
export const readHash = (r: ScaleReader): Hash => hash32(r.fixed(32));

/** Looks up an enum variant name by tag, or its tag by name, from one ordered list. */
export function variants<const N extends readonly string[]>(names: N) {
  return {
    names,
    tagOf(name: N[number]): number {
      const i = names.indexOf(name);
      if (i < 0) throw new ProtocolError('UnknownVariant', 'Unknown variant.');
      return i;
    },
    read(r: ScaleReader): N[number] {
      return names[r.tag(names.length)];
    },
  };
}
