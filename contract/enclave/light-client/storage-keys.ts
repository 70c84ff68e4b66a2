/**
 * The storage keys the light client proves, as FRAME derives them: a plain storage item lives at
 * twox128(pallet prefix) ++ twox128(item name); GRANDPA's authority list at a well-known raw key.
 */
import { blake2AsU8a, xxhashAsU8a } from '@polkadot/util-crypto';
import { toHex } from '../../../shared/types';

export const plainKey = (pallet: string, item: string): string => toHex(new Uint8Array([...xxhashAsU8a(pallet, 128), ...xxhashAsU8a(item, 128)]));

/** A map entry: prefix ++ hasher(key) ++ key, for FRAME's `Blake2_128Concat` and `Twox64Concat`. */
export function mapKey(pallet: string, item: string, hasher: 'Blake2_128Concat' | 'Twox64Concat', key: Uint8Array): string {
  const hashed = hasher === 'Blake2_128Concat' ? blake2AsU8a(key, 128) : xxhashAsU8a(key, 64);
  return `${plainKey(pallet, item)}${toHex(new Uint8Array([...hashed, ...key])).slice(2)}`;
}

/** sp-consensus-grandpa `GRANDPA_AUTHORITIES_KEY`. */
export const GRANDPA_AUTHORITIES_KEY = toHex(new TextEncoder().encode(':grandpa_authorities'));
export const GRANDPA_SET_ID_KEY = plainKey('Grandpa', 'CurrentSetId');
export const SYSTEM_EVENTS_KEY = plainKey('System', 'Events');
