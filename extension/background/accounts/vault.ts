/**
 * The encrypted account list in `storage.local`. Every entry is a polkadot-js JSON v3 keystore
 * encrypted with the one wallet password; nothing decrypted is ever written here.
 */
import type { AccountView, KeypairKind } from '../../messages/types';
import { Store, isRecord, type StorageArea } from '../storage/store';
import { parseKeystore, type KeystoreJson } from './keystore';

export interface VaultEntry {
  /** Canonical SS58 address (for ecdsa the keystore's own `address` field is the public key). */
  address: string;
  json: KeystoreJson;
}

function parseEntries(raw: unknown): VaultEntry[] {
  if (!isRecord(raw) || !Array.isArray(raw.accounts)) return [];
  return raw.accounts.flatMap((e): VaultEntry[] => {
    try {
      return isRecord(e) && typeof e.address === 'string' ? [{ address: e.address, json: parseKeystore(e.json) }] : [];
    } catch {
      return []; // a damaged entry must not take the others down with it
    }
  });
}

export function accountView({ address, json }: VaultEntry): AccountView {
  const meta = json.meta;
  return {
    address,
    name: typeof meta.name === 'string' ? meta.name : 'Account',
    type: json.encoding.content[1] as KeypairKind,
    createdAt: typeof meta.whenCreated === 'number' ? meta.whenCreated : 0,
  };
}

export class Vault {
  readonly #store: Store<{ accounts: VaultEntry[] }>;

  constructor(local: StorageArea) {
    this.#store = new Store(local, 'vault', (raw) => ({ accounts: parseEntries(raw) }));
  }

  async entries(): Promise<VaultEntry[]> {
    return (await this.#store.get()).accounts;
  }

  async find(address: string): Promise<VaultEntry | undefined> {
    return (await this.entries()).find((e) => e.address === address);
  }

  /** Adds an entry; returns false (and changes nothing) when the address is already there. */
  async add(entry: VaultEntry): Promise<boolean> {
    let added = false;
    await this.#store.update(({ accounts }) => {
      if (accounts.some((e) => e.address === entry.address)) return { accounts };
      added = true;
      return { accounts: [...accounts, entry] };
    });
    return added;
  }

  /** Adds every entry whose address is not there yet, in one storage write; returns the ones added. */
  async addMany(entries: VaultEntry[]): Promise<VaultEntry[]> {
    let added: VaultEntry[] = [];
    await this.#store.update(({ accounts }) => {
      const known = new Set(accounts.map((e) => e.address));
      added = entries.filter((e) => !known.has(e.address) && known.add(e.address));
      return { accounts: [...accounts, ...added] };
    });
    return added;
  }

  async rename(address: string, name: string): Promise<void> {
    await this.#store.update(({ accounts }) => ({
      accounts: accounts.map((e) => (e.address === address ? { ...e, json: { ...e.json, meta: { ...e.json.meta, name } } } : e)),
    }));
  }

  /** Swaps an entry's sealed key (same account, re-encrypted), keeping its current name; a no-op when it is gone. */
  async replaceKeystore(address: string, json: KeystoreJson): Promise<void> {
    await this.#store.update(({ accounts }) => ({
      accounts: accounts.map((e) => (e.address === address ? { ...e, json: { ...json, meta: e.json.meta } } : e)),
    }));
  }

  async remove(address: string): Promise<void> {
    await this.#store.update(({ accounts }) => ({ accounts: accounts.filter((e) => e.address !== address) }));
  }
}
