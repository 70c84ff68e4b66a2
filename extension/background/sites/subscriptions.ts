/**
 * Pages subscribed to their account list (`accounts.subscribe`). Persisted in storage.session so an
 * update after a service-worker restart still reaches them (through `Delivery`).
 */
import type { ReplyTarget } from '../ports';
import { Store, type StorageArea } from '../storage/store';

export interface AccountSubscription {
  origin: string;
  target: ReplyTarget;
}

/** One page has no reason for more; the cap keeps a misbehaving page from growing the list. */
const MAX_PER_CLIENT = 16;

export class AccountSubscriptions {
  readonly #store: Store<AccountSubscription[]>;

  constructor(session: StorageArea) {
    // Written only by this class; a missing key is an empty list.
    this.#store = new Store(session, 'accountSubscriptions', (raw) => (Array.isArray(raw) ? (raw as AccountSubscription[]) : []));
  }

  async add(origin: string, target: ReplyTarget): Promise<boolean> {
    let added = false;
    await this.#store.update((all) => {
      if (all.filter((s) => s.target.clientId === target.clientId).length >= MAX_PER_CLIENT) return all;
      added = true;
      return [...all, { origin, target }];
    });
    return added;
  }

  async remove(clientId: string, messageId: string): Promise<boolean> {
    let found = false;
    await this.#store.update((all) => all.filter((s) => {
      const match = s.target.clientId === clientId && s.target.messageId === messageId;
      found ||= match;
      return !match;
    }));
    return found;
  }

  async drop(gone: (t: ReplyTarget) => boolean): Promise<void> {
    await this.#store.update((all) => all.filter((s) => !gone(s.target)));
  }

  async all(): Promise<AccountSubscription[]> {
    return this.#store.get();
  }
}
