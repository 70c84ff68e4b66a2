/**
 * The service worker's core, free of browser globals so tests drive it directly:
 * `connect(port)` for live ports, `handle(id, type, request, port)` for one message.
 *
 * Routing: `pub(*)` only from content-script ports of http(s) pages, `pri(*)` only from our popup page;
 * everything else is refused. Pending requests, unlock state and page subscriptions live in
 * storage.session, so a new instance over the same storage (a restarted worker) carries on.
 */
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { WalletError, toWireError } from '../messages/errors';
import {
  NEVER_LOG, isPriMessage, isPubMessage, type PriMessageType,
} from '../messages/registry';
import type { TabDelivery, TransportReply } from '../messages/wire';
import { isTransportRequest } from '../messages/wire';
import { UnlockedSession } from './accounts/session';
import { Accounts } from './accounts/service';
import { Vault } from './accounts/vault';
import { ChainClient, type ChainAccess } from './chain/client';
import { Changes } from './events';
import { pageHandlers } from './handlers/page';
import { popupHandlers } from './handlers/popup';
import { DEFERRED, type PageHandlers, type PopupContext, type PopupHandlers } from './handlers/types';
import { MetadataStore } from './metadata/store';
import { LiveDarkConnector, type DarkConnector } from './secret/backend';
import { secretServices } from './secret';
import type { RetryTimer } from './secret/follower';
import { Delivery, portRole, type RuntimePort } from './ports';
import { Approvals } from './requests/approvals';
import { RequestQueue, type ApprovalWindows } from './requests/queue';
import { SettingsStore } from './settings/store';
import { Networks } from './networks/service';
import { NetworkStore } from './networks/store';
import { AddressBook } from './address-book/store';
import { Authorization } from './sites/service';
import { SiteStore } from './sites/store';
import { AccountSubscriptions } from './sites/subscriptions';
import { WalletStateHub } from './state';
import type { StorageArea } from './storage/store';

/** Everything the core needs from the browser. */
export interface Platform {
  local: StorageArea;
  /** Must be memory-only and closed to content scripts (`storage.session`, trusted contexts). */
  session: StorageArea;
  /** `runtime.getURL('popup.html')`: the only page allowed to send `pri(*)`. */
  popupUrl: string;
  now(): number;
  windows: ApprovalWindows;
  /** `tabs.sendMessage`; resolves true when the addressed content script took it. */
  sendToTab(tabId: number, frameId: number, message: TabDelivery): Promise<boolean>;
  /** Wake the worker at `at` (an alarm) to auto-lock; null cancels. */
  scheduleLock(at: number | null): void;
  /** Number of requests waiting (the toolbar badge). */
  showPending(count: number): void;
  /** Defaults to a @polkadot/api connection to the active network's endpoint. */
  chain?: ChainAccess;
  /** Defaults to a `DarkClient` over `chain`'s connection and the active network's worker and contract. */
  dark?: DarkConnector;
  /** When followed secret operations are asked about again; defaults to `setTimeout`. */
  retryTimer?: RetryTimer;
}

type AnyPopupHandler = (request: unknown, ctx: PopupContext<PriMessageType>) => Promise<unknown>;

function post(port: RuntimePort, message: TransportReply): void {
  try {
    port.postMessage(message);
  } catch {
    // the other end went away; nothing is waiting for this reply any more
  }
}

export class Background {
  readonly #ready: Promise<unknown>;
  readonly #popupUrl: string;
  readonly #delivery: Delivery;
  readonly #queue: RequestQueue;
  readonly #subscriptions: AccountSubscriptions;
  readonly #session: UnlockedSession;
  readonly #page: PageHandlers;
  readonly #popup: PopupHandlers;
  readonly #closers = new WeakMap<RuntimePort, (() => void)[]>();
  readonly #chain: ChainAccess;

  constructor(platform: Platform, ready: Promise<unknown> = cryptoWaitReady()) {
    this.#ready = ready;
    this.#popupUrl = platform.popupUrl;
    const { local, session, now } = platform;
    const changes = new Changes();
    const settings = new SettingsStore(local);
    const sites = new SiteStore(local, now);
    const metadata = new MetadataStore(local);
    this.#delivery = new Delivery(platform.sendToTab);
    this.#session = new UnlockedSession(session, {
      now,
      autoLockMinutes: () => settings.autoLockMinutes(),
      schedule: platform.scheduleLock,
    }, changes);
    this.#queue = new RequestQueue(session, { delivery: this.#delivery, windows: platform.windows, changes, now });
    this.#subscriptions = new AccountSubscriptions(session);
    const accounts = new Accounts({ vault: new Vault(local), session: this.#session, sites, changes, now });
    const networks: Networks = new Networks({
      store: new NetworkStore(local, settings), settings, changes, chain: () => chain,
      onChange: async (what) => {
        if (what.chain) await chain.reset();
        secret.reset();
      },
    });
    const chain = platform.chain ?? new ChainClient(networks);
    this.#chain = chain;
    const authorization = new Authorization({
      sites, accounts, queue: this.#queue, subscriptions: this.#subscriptions, delivery: this.#delivery, changes,
    });
    const connector = platform.dark ?? new LiveDarkConnector({
      api: () => chain.api(),
      network: () => networks.inUse(),
      token: () => chain.token(),
    });
    const secret = secretServices({
      connector, accounts, authorization, queue: this.#queue, delivery: this.#delivery, changes, network: () => networks.inUse(), local, session, now, timer: platform.retryTimer,
    });
    const approvals = new Approvals({ queue: this.#queue, accounts, authorization, metadata, chain, secret: secret.requests });
    const state = new WalletStateHub(accounts, this.#queue, networks, changes);
    this.#page = pageHandlers({ authorization, queue: this.#queue, metadata, subscriptions: this.#subscriptions, delivery: this.#delivery, secret, chain });
    this.#popup = popupHandlers({ accounts, addressBook: new AddressBook(local), session: this.#session, approvals, authorization, sites, networks, chain, state, secret });
    changes.on((topic) => {
      if (topic === 'requests') void this.#queue.list().then((r) => platform.showPending(r.length));
    });
    // A restarted service worker follows the secret operations the previous one left behind.
    void this.#ready.then(() => secret.follower.resume()).catch(() => undefined);
  }

  /** Wires a newly connected port. Synchronous, so no message that arrives while crypto loads is lost. */
  connect(port: RuntimePort): void {
    const role = portRole(port, this.#popupUrl);
    if (!role) {
      port.disconnect();
      return;
    }
    port.onMessage.addListener((message) => {
      if (isTransportRequest(message)) void this.handle(message.id, message.message, message.request, port);
    });
    port.onDisconnect.addListener(() => {
      for (const close of this.#closers.get(port) ?? []) close();
      // Only a live worker sees this, and then it means the page went away (navigation, reload, closed).
      if (role.kind === 'page' && this.#delivery.detach(role.clientId, port)) void this.#pageGone(role.clientId);
    });
  }

  async handle(id: string, type: string, request: unknown, port: RuntimePort): Promise<void> {
    let reply: Omit<TransportReply, 'id'> | null;
    try {
      await this.#ready;
      const role = portRole(port, this.#popupUrl);
      if (role?.kind === 'page' && isPubMessage(type) && Object.hasOwn(this.#page, type)) {
        this.#delivery.attach(role.clientId, port);
        const target = { clientId: role.clientId, messageId: id, tabId: role.tabId, frameId: role.frameId };
        const response = await this.#page[type](request, { origin: role.origin, url: role.url, target });
        reply = response === DEFERRED ? null : { response };
      } else if (role?.kind === 'popup' && isPriMessage(type) && Object.hasOwn(this.#popup, type)) {
        await this.#session.touch();
        const ctx: PopupContext<PriMessageType> = {
          push: (subscription) => post(port, { id, subscription }),
          onClose: (cb) => this.#closers.set(port, [...(this.#closers.get(port) ?? []), cb]),
        };
        reply = { response: await (this.#popup[type] as AnyPopupHandler)(request, ctx) };
      } else {
        throw new WalletError('NotAuthorized', 'Dark Wallet does not accept this message from here.');
      }
    } catch (e) {
      if (!(e instanceof WalletError)) {
        // Library errors may quote their input, so bodies of secret-bearing messages are never logged.
        console.error('[dark-wallet]', type, NEVER_LOG.has(type as PriMessageType) ? (e as Error)?.name : e);
      }
      reply = { error: toWireError(e) };
    }
    if (reply) post(port, { id, ...reply });
  }

  async tabRemoved(tabId: number): Promise<void> {
    await this.#ready;
    await this.#queue.dropTab(tabId);
    await this.#subscriptions.drop((t) => t.tabId === tabId);
  }

  async windowRemoved(windowId: number): Promise<void> {
    await this.#ready;
    await this.#queue.windowClosed(windowId);
  }

  /** The auto-lock alarm fired. */
  async lockAlarm(): Promise<void> {
    await this.#ready;
    await this.#session.expire();
  }

  /** Closes the chain connection: for whoever ends this background other than by stopping the worker (tests, a restart in place). */
  async stop(): Promise<void> {
    await this.#chain.reset();
  }

  async #pageGone(clientId: string): Promise<void> {
    await this.#queue.dropClient(clientId);
    await this.#subscriptions.drop((t) => t.clientId === clientId);
  }
}
