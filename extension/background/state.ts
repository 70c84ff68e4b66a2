/** The popup's view of the wallet, pushed to every open popup whenever it changes. */
import type { WalletState } from '../messages/types';
import type { Accounts } from './accounts/service';
import type { Changes } from './events';
import type { Networks } from './networks/service';
import { summary, type RequestQueue } from './requests/queue';

export class WalletStateHub {
  readonly #accounts: Accounts;
  readonly #queue: RequestQueue;
  readonly #networks: Networks;
  readonly #listeners = new Set<(state: WalletState) => void>();

  constructor(accounts: Accounts, queue: RequestQueue, networks: Networks, changes: Changes) {
    this.#accounts = accounts;
    this.#queue = queue;
    this.#networks = networks;
    changes.on((topic) => {
      // Secret operations have their own subscription (`pri(dark.operations)`).
      if (topic !== 'secret' && this.#listeners.size) void this.#publish();
    });
  }

  async current(): Promise<WalletState> {
    const [status, accounts, requests, network] = await Promise.all([
      this.#accounts.status(), this.#accounts.list(), this.#queue.list(), this.#networks.active(),
    ]);
    return { status, accounts, requests: requests.map(summary), network };
  }

  subscribe(listener: (state: WalletState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async #publish(): Promise<void> {
    const state = await this.current();
    for (const l of this.#listeners) l(state);
  }
}
