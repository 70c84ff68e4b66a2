/**
 * Which origins may see which accounts. The trusted origin is the one the browser reported for the
 * sending frame; a dApp's own name for itself is only a label. Reject remembers a block, cancel
 * remembers nothing; one pending connection request per origin; signing only for approved accounts.
 */
import type { InjectedAccount } from '@polkadot/extension-inject/types';
import { WalletError } from '../../messages/errors';
import type { Accounts } from '../accounts/service';
import { normalizeAddress } from '../accounts/address';
import type { Changes } from '../events';
import type { Delivery, ReplyTarget } from '../ports';
import type { RequestOrigin, RequestQueue } from '../requests/queue';
import { cancelled } from '../requests/queue';
import type { AccountSubscriptions } from './subscriptions';
import type { AuthorizedSite, SiteStore } from './store';

const NOT_CONNECTED = 'This site is not connected to Dark Wallet. Call enable() first and approve the connection in Dark Wallet.';
const BLOCKED = 'Dark Wallet blocked this site earlier. To connect it, remove the block under Sites in Dark Wallet and try again.';

export class Authorization {
  readonly #sites: SiteStore;
  readonly #accounts: Accounts;
  readonly #queue: RequestQueue;
  readonly #subscriptions: AccountSubscriptions;
  readonly #delivery: Delivery;
  readonly #changes: Changes;
  /** Serialises connection requests so two at once from one origin still make one prompt. */
  #requests: Promise<unknown> = Promise.resolve();

  constructor(deps: {
    sites: SiteStore; accounts: Accounts; queue: RequestQueue; subscriptions: AccountSubscriptions; delivery: Delivery; changes: Changes;
  }) {
    this.#sites = deps.sites;
    this.#accounts = deps.accounts;
    this.#queue = deps.queue;
    this.#subscriptions = deps.subscriptions;
    this.#delivery = deps.delivery;
    this.#changes = deps.changes;
    // Any change to accounts (names, forgotten) or grants reaches subscribed pages.
    deps.changes.on((topic) => {
      if (topic === 'accounts' || topic === 'sites') void this.#notifySubscribers();
    });
  }

  /** `true` when already approved; otherwise queues (or joins) the one connection request of this origin. */
  request(from: RequestOrigin, target: ReplyTarget): Promise<boolean> {
    const run = this.#requests.then(() => this.#request(from, target));
    this.#requests = run.catch(() => undefined);
    return run;
  }

  async #request(from: RequestOrigin, target: ReplyTarget): Promise<boolean> {
    const site = await this.#sites.get(from.origin);
    if (site?.blocked) throw new WalletError('Blocked', BLOCKED);
    if (site) return true;
    const pending = (await this.#queue.list()).find((r) => r.kind === 'authorize' && r.origin === from.origin);
    if (pending) await this.#queue.join(pending.id, target);
    else await this.#queue.add('authorize', from, null, target);
    return false;
  }

  async site(origin: string): Promise<AuthorizedSite> {
    const site = await this.#sites.get(origin);
    if (site?.blocked) throw new WalletError('Blocked', BLOCKED);
    if (!site) throw new WalletError('NotAuthorized', NOT_CONNECTED);
    return site;
  }

  /** The canonical address when `origin` may use it; `NotAuthorized` otherwise. */
  async allowedAddress(origin: string, address: string): Promise<string> {
    const site = await this.site(origin);
    const canonical = normalizeAddress(address);
    if (!canonical || !site.addresses.includes(canonical)) {
      throw new WalletError('NotAuthorized', 'This site may not use that account. Choose one of the accounts you shared with it, or change them under Sites in Dark Wallet.');
    }
    return canonical;
  }

  async injectedAccounts(origin: string): Promise<InjectedAccount[]> {
    const site = await this.site(origin);
    const accounts = await this.#accounts.list();
    return accounts.filter((a) => site.addresses.includes(a.address)).map(({ address, name, type }) => ({ address, name, type, genesisHash: null }));
  }

  async approve(requestId: string, addresses: string[]): Promise<void> {
    const request = await this.#queue.get(requestId);
    if (request.kind !== 'authorize') throw new WalletError('UnknownRequest', 'This is not a connection request. Close this window.');
    await this.#sites.approve(request.origin, request.url, await this.#ownAddresses(addresses));
    this.#changes.emit('sites');
    await this.#queue.resolve(requestId, true);
  }

  async reject(requestId: string): Promise<void> {
    const request = await this.#queue.get(requestId);
    await this.#sites.block(request.origin, request.url);
    this.#changes.emit('sites');
    await this.#queue.reject(requestId, new WalletError('Blocked', 'The connection was rejected in Dark Wallet. The site stays blocked until the block is removed under Sites.'));
  }

  async cancel(requestId: string): Promise<void> {
    await this.#queue.reject(requestId, cancelled());
  }

  async setAddresses(origin: string, addresses: string[]): Promise<void> {
    if (!(await this.#sites.setAddresses(origin, await this.#ownAddresses(addresses)))) {
      throw new WalletError('NotAuthorized', 'This site is not connected. Connect it from the site first.');
    }
    this.#changes.emit('sites');
  }

  async remove(origin: string): Promise<void> {
    await this.#sites.remove(origin);
    this.#changes.emit('sites');
  }

  async subscribe(origin: string, target: ReplyTarget): Promise<InjectedAccount[]> {
    const accounts = await this.injectedAccounts(origin);
    if (!(await this.#subscriptions.add(origin, target))) {
      throw new WalletError('TooManyRequests', 'This page has too many account subscriptions. Unsubscribe the old ones first.');
    }
    return accounts;
  }

  /** Only accounts that exist in the vault can be granted. */
  async #ownAddresses(addresses: string[]): Promise<string[]> {
    const own = new Set((await this.#accounts.list()).map((a) => a.address));
    const chosen = [...new Set(addresses.map((a) => normalizeAddress(a)))];
    if (chosen.some((a) => a === null || !own.has(a))) throw new WalletError('UnknownAccount', 'Choose accounts that are in Dark Wallet.');
    return chosen as string[];
  }

  async #notifySubscribers(): Promise<void> {
    for (const { origin, target } of await this.#subscriptions.all()) {
      // A revoked or blocked site learns it has no accounts any more.
      const accounts = await this.injectedAccounts(origin).catch(() => []);
      if (!(await this.#delivery.send(target, { subscription: accounts }))) {
        await this.#subscriptions.drop((t) => t.clientId === target.clientId);
      }
    }
  }
}
