/** User settings in `storage.local`, validated on the way in and on the way out. */
import { AUTO_LOCK_CHOICES, type AutoLockMinutes } from '../../messages/constants';
import type { Settings } from '../../messages/types';
import { Store, isRecord, type StorageArea } from '../storage/store';
import { invalid } from '../validate';

export const DEFAULT_SETTINGS: Settings = {
  chainEndpoint: 'ws://127.0.0.1:9944',
  workerEndpoint: 'http://127.0.0.1:8000',
  autoLockMinutes: 15,
};

const isAutoLock = (x: unknown): x is AutoLockMinutes => AUTO_LOCK_CHOICES.includes(x as AutoLockMinutes);

/** An endpoint URL with one of the allowed protocols, or null. */
function endpoint(x: unknown, protocols: readonly string[]): string | null {
  if (typeof x !== 'string' || x.length > 2048) return null;
  try {
    const url = new URL(x.trim());
    return protocols.includes(url.protocol) && url.hostname ? url.toString().replace(/\/$/, '') : null;
  } catch {
    return null;
  }
}

const CHAIN_PROTOCOLS = ['ws:', 'wss:'];
const WORKER_PROTOCOLS = ['http:', 'https:'];

/** Throws an `InvalidInput` sentence naming the field to fix. */
export function validateSettings(input: unknown): Settings {
  const s = isRecord(input) ? input : {};
  const chainEndpoint = endpoint(s.chainEndpoint, CHAIN_PROTOCOLS);
  if (!chainEndpoint) throw invalid('Enter the chain endpoint as a ws:// or wss:// address, for example ws://127.0.0.1:9944.');
  const workerEndpoint = endpoint(s.workerEndpoint, WORKER_PROTOCOLS);
  if (!workerEndpoint) throw invalid('Enter the worker endpoint as an http:// or https:// address, for example http://127.0.0.1:8000.');
  if (!isAutoLock(s.autoLockMinutes)) throw invalid(`Choose an auto-lock time of ${AUTO_LOCK_CHOICES.join(', ')} minutes.`);
  return { chainEndpoint, workerEndpoint, autoLockMinutes: s.autoLockMinutes };
}

export class SettingsStore {
  readonly #store: Store<Settings>;

  constructor(local: StorageArea) {
    this.#store = new Store(local, 'settings', (raw) => {
      try {
        return validateSettings(raw);
      } catch {
        return { ...DEFAULT_SETTINGS, ...(isRecord(raw) ? pickValid(raw) : {}) };
      }
    });
  }

  get(): Promise<Settings> {
    return this.#store.get();
  }

  save(settings: Settings): Promise<Settings> {
    return this.#store.set(validateSettings(settings));
  }
}

/** Keeps whichever stored fields are still valid when others are not. */
function pickValid(raw: Record<string, unknown>): Partial<Settings> {
  const out: Partial<Settings> = {};
  const chain = endpoint(raw.chainEndpoint, CHAIN_PROTOCOLS);
  const worker = endpoint(raw.workerEndpoint, WORKER_PROTOCOLS);
  if (chain) out.chainEndpoint = chain;
  if (worker) out.workerEndpoint = worker;
  if (isAutoLock(raw.autoLockMinutes)) out.autoLockMinutes = raw.autoLockMinutes;
  return out;
}
