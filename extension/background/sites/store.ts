/**
 * Per-origin authorization in `storage.local`: `Record<origin, AuthorizedSite>`. The key is the origin
 * the browser reported for the sending frame — never the name a dApp gives itself.
 */
import type { SiteView } from '../../messages/types';
import { Store, isRecord, isStringArray, type StorageArea } from '../storage/store';

export interface AuthorizedSite {
  id: string;
  origin: string;
  url: string;
  /** The accounts the user chose to show this site; signing is allowed only for these. */
  addresses: string[];
  connectedAt: number;
  /** The user rejected the site: it gets no accounts and no new prompts until they remove the block. */
  blocked: boolean;
}

type Sites = Record<string, AuthorizedSite>;

function parseSites(raw: unknown): Sites {
  if (!isRecord(raw)) return {};
  const out: Sites = {};
  for (const [origin, s] of Object.entries(raw)) {
    if (isRecord(s) && s.origin === origin && typeof s.id === 'string' && typeof s.url === 'string'
      && isStringArray(s.addresses) && typeof s.connectedAt === 'number') {
      out[origin] = { id: s.id, origin, url: s.url, addresses: s.addresses, connectedAt: s.connectedAt, blocked: s.blocked === true };
    }
  }
  return out;
}

export const siteView = ({ origin, url, addresses, connectedAt, blocked }: AuthorizedSite): SiteView =>
  ({ origin, url, addresses, connectedAt, blocked });

export class SiteStore {
  readonly #store: Store<Sites>;
  readonly #now: () => number;

  constructor(local: StorageArea, now: () => number) {
    this.#store = new Store(local, 'sites', parseSites);
    this.#now = now;
  }

  async get(origin: string): Promise<AuthorizedSite | undefined> {
    return (await this.#store.get())[origin];
  }

  async list(): Promise<AuthorizedSite[]> {
    return Object.values(await this.#store.get()).sort((a, b) => b.connectedAt - a.connectedAt);
  }

  approve(origin: string, url: string, addresses: string[]): Promise<Sites> {
    return this.#put(origin, url, addresses, false);
  }

  block(origin: string, url: string): Promise<Sites> {
    return this.#put(origin, url, [], true);
  }

  async setAddresses(origin: string, addresses: string[]): Promise<boolean> {
    let found = false;
    await this.#store.update((sites) => {
      const site = sites[origin];
      if (!site || site.blocked) return sites;
      found = true;
      return { ...sites, [origin]: { ...site, addresses } };
    });
    return found;
  }

  async remove(origin: string): Promise<void> {
    await this.#store.update(({ [origin]: _gone, ...rest }) => rest);
  }

  /** Forgetting an account removes it from every site, so no site keeps a stale grant. */
  async removeAddressEverywhere(address: string): Promise<void> {
    await this.#store.update((sites) => Object.fromEntries(
      Object.entries(sites).map(([o, s]) => [o, { ...s, addresses: s.addresses.filter((a) => a !== address) }]),
    ));
  }

  #put(origin: string, url: string, addresses: string[], blocked: boolean): Promise<Sites> {
    return this.#store.update((sites) => ({
      ...sites,
      [origin]: { id: crypto.randomUUID(), origin, url, addresses, connectedAt: this.#now(), blocked },
    }));
  }
}
