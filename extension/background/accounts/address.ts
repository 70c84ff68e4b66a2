import { decodeAddress, encodeAddress } from '@polkadot/util-crypto';

/** Addresses we show and store use the generic Substrate prefix; dApps re-encode for their chain. */
export const SS58_FORMAT = 42;

/** The canonical form of any SS58 address (any prefix) or 0x public key; null when it is not one. */
export function normalizeAddress(address: string): string | null {
  try {
    return encodeAddress(decodeAddress(address), SS58_FORMAT);
  } catch {
    return null;
  }
}
