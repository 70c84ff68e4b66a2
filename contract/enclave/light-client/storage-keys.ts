/**
 * The storage keys the light client proves, as FRAME derives them: a plain storage item lives at
 * twox128(pallet prefix) ++ twox128(item name); GRANDPA's authority list at a well-known raw key.
 */
import { xxhashAsU8a } from '@polkadot/util-crypto';
import { toHex } from '../../../shared/types';

const plainKey = (pallet: string, item: string): string => toHex(new Uint8Array([...xxhashAsU8a(pallet, 128), ...xxhashAsU8a(item, 128)]));

/** sp-consensus-grandpa `GRANDPA_AUTHORITIES_KEY`. */
export const GRANDPA_AUTHORITIES_KEY = toHex(new TextEncoder().encode(':grandpa_authorities'));
export const GRANDPA_SET_ID_KEY = plainKey('Grandpa', 'CurrentSetId');
export const SYSTEM_EVENTS_KEY = plainKey('System', 'Events');
