/** The active network, for every screen that shows an address or an amount of its token. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { NetworkView } from '../messages/types';
import { formatAddress } from './address/ss58';

export const NetworkContext = createContext<NetworkView | null>(null);

export const useNetwork = (): NetworkView | null => useContext(NetworkContext);

/** Accounts travel in the generic format (42); people see them in the active network's. */
export function useShownAddress(address: string): string {
  const network = useNetwork();
  return network ? formatAddress(address, network.ss58Format) : address;
}
