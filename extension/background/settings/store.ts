/**
 * Wallet-wide settings in `storage.local` (`settings`): the auto-lock time. What is set per chain
 * (endpoints, contract) lives with each network (`networks/store.ts`); an install from before networks
 * kept one chain's endpoints here, and `legacyNetwork()` hands them to the network store's migration.
 */
import { AUTO_LOCK_CHOICES, type AutoLockMinutes } from '../../messages/constants';
import type { NetworkSettings } from '../../messages/types';
import { chainEndpointOrNull, workerEndpointOrNull } from '../networks/endpoints';
import { Store, isRecord, type StorageArea } from '../storage/store';
import { invalid } from '../validate';

export const DEFAULT_AUTO_LOCK_MINUTES: AutoLockMinutes = 15;

const isAutoLock = (x: unknown): x is AutoLockMinutes => AUTO_LOCK_CHOICES.includes(x as AutoLockMinutes);

/** Throws an `InvalidInput` sentence listing the choices. */
export function autoLockMinutes(x: unknown): AutoLockMinutes {
  if (!isAutoLock(x)) throw invalid(`Choose an auto-lock time of ${AUTO_LOCK_CHOICES.join(', ')} minutes.`);
  return x;
}

export class SettingsStore {
  readonly #store: Store<Record<string, unknown>>;

  constructor(local: StorageArea) {
    this.#store = new Store(local, 'settings', (raw) => (isRecord(raw) ? raw : {}));
  }

  async autoLockMinutes(): Promise<AutoLockMinutes> {
    const { autoLockMinutes: stored } = await this.#store.get();
    return isAutoLock(stored) ? stored : DEFAULT_AUTO_LOCK_MINUTES;
  }

  async saveAutoLockMinutes(minutes: AutoLockMinutes): Promise<void> {
    await this.#store.update((s) => ({ ...s, autoLockMinutes: autoLockMinutes(minutes) }));
  }

  /** The still-valid endpoints of a single-network install (none on a new one). */
  async legacyNetwork(): Promise<Partial<NetworkSettings>> {
    const s = await this.#store.get();
    const chainEndpoint = chainEndpointOrNull(s.chainEndpoint);
    const workerEndpoint = workerEndpointOrNull(s.workerEndpoint);
    return { ...(chainEndpoint ? { chainEndpoint } : {}), ...(workerEndpoint !== null ? { workerEndpoint } : {}) };
  }
}
