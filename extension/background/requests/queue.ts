/**
 * Requests waiting for the user, persisted in `storage.session` so a stopped service worker loses and
 * duplicates nothing: the approval view reads them back, and the answer reaches the page through
 * `Delivery` whether or not the page's port survived.
 */
import type { MetadataDef } from '@polkadot/extension-inject/types';
import type { SignerPayloadJSON, SignerPayloadRaw } from '@polkadot/types/types';
import {
  MAX_PENDING_BYTES, MAX_PENDING_BYTES_PER_ORIGIN, MAX_PENDING_PER_ORIGIN, MAX_WAITING_PER_REQUEST,
} from '../../messages/constants';
import { WalletError, toWireError } from '../../messages/errors';
import type { RequestKind, RequestSummary, SecretIntent, SecretRequestKind } from '../../messages/types';
import type { Changes } from '../events';
import type { Delivery, ReplyTarget } from '../ports';
import { Store, type StorageArea } from '../storage/store';

/** A secret operation a page asked for: the acting account (null: the user picks) and the plaintext intent. */
export interface SecretRequestPayload {
  address: string | null;
  intent: SecretIntent;
}

export type RequestPayloads = {
  authorize: null;
  signRaw: SignerPayloadRaw;
  signPayload: SignerPayloadJSON;
  metadata: MetadataDef;
} & { [K in SecretRequestKind]: SecretRequestPayload };

export interface PendingRequestOf<K extends RequestKind> {
  id: string;
  kind: K;
  origin: string;
  originName: string;
  url: string;
  createdAt: number;
  /** Everyone waiting for the answer (several when a page asks to connect twice). */
  targets: ReplyTarget[];
  /** The approval window, closed when the request ends; closing it cancels the request. */
  windowId: number | null;
  payload: RequestPayloads[K];
}

export type PendingRequest = { [K in RequestKind]: PendingRequestOf<K> }[RequestKind];

export interface RequestOrigin {
  origin: string;
  originName: string;
  url: string;
}

/** Opens and closes approval windows (`browser.windows` in the extension). */
export interface ApprovalWindows {
  open(path: string): Promise<number | null>;
  close(windowId: number): Promise<void>;
}

const utf8 = new TextEncoder();
/** What a value takes in storage: its JSON, in UTF-8 bytes (as the browser counts its quota). */
const storedBytes = (x: unknown): number => utf8.encode(JSON.stringify(x)).length;

const tooMany = (message: string) => new WalletError('TooManyRequests', message);

export const summary = ({ id, kind, origin, createdAt }: PendingRequest): RequestSummary => ({ id, kind, origin, createdAt });

export class RequestQueue {
  readonly #store: Store<PendingRequest[]>;
  readonly #delivery: Delivery;
  readonly #windows: ApprovalWindows;
  readonly #changes: Changes;
  readonly #now: () => number;
  /** Ids being answered right now, so a double click cannot answer (or sign) twice. */
  readonly #settling = new Set<string>();
  /** Per origin, the last window assignment: they run one after another so requests arriving together share one window. */
  readonly #assigning = new Map<string, Promise<void>>();

  constructor(session: StorageArea, deps: { delivery: Delivery; windows: ApprovalWindows; changes: Changes; now: () => number }) {
    // Entries are written only by this class, so the shape is trusted; a missing key is an empty queue.
    this.#store = new Store(session, 'requests', (raw) => (Array.isArray(raw) ? (raw as PendingRequest[]) : []));
    this.#delivery = deps.delivery;
    this.#windows = deps.windows;
    this.#changes = deps.changes;
    this.#now = deps.now;
  }

  list(): Promise<PendingRequest[]> {
    return this.#store.get();
  }

  async get(id: string): Promise<PendingRequest> {
    const request = (await this.list()).find((r) => r.id === id);
    if (!request) throw new WalletError('UnknownRequest', 'This request was already answered or has expired. Close this window.');
    return request;
  }

  async add<K extends RequestKind>(kind: K, from: RequestOrigin, payload: RequestPayloads[K], target: ReplyTarget): Promise<PendingRequestOf<K>> {
    const request = { id: `${kind}.${crypto.randomUUID()}`, kind, ...from, createdAt: this.#now(), targets: [target], windowId: null, payload };
    const size = storedBytes(request);
    let refused: WalletError | null = null;
    await this.#store.update((all) => {
      const mine = all.filter((r) => r.origin === from.origin);
      if (mine.length >= MAX_PENDING_PER_ORIGIN) {
        refused = tooMany(`This site already has ${MAX_PENDING_PER_ORIGIN} requests waiting. Answer them in Dark Wallet before sending more.`);
      } else if (size + storedBytes(mine) > MAX_PENDING_BYTES_PER_ORIGIN) {
        refused = tooMany(`This site's waiting requests would hold over ${MAX_PENDING_BYTES_PER_ORIGIN / 2 ** 20} MB. Answer them in Dark Wallet before sending more.`);
      } else if (size + storedBytes(all) > MAX_PENDING_BYTES) {
        refused = tooMany('Too much is waiting for an answer in Dark Wallet. Answer the waiting requests, then try again.');
      }
      return refused ? all : [...all, request as PendingRequest];
    });
    if (refused) throw refused;
    this.#changes.emit('requests');
    await this.#assignWindow(from.origin, request.id, `popup.html#/${kind}/${request.id}`);
    return request;
  }

  /**
   * One approval window per site: a site's later requests queue inside the window it already has (the
   * window moves on to the next after each answer), so a page cannot stack windows or pop a fresh
   * one under the user's cursor while another of its requests is on screen. Assignments of one origin
   * run in turn, so requests arriving together cannot each open a window.
   */
  #assignWindow(origin: string, id: string, path: string): Promise<void> {
    const assign = async () => {
      const all = await this.list();
      if (!all.some((r) => r.id === id)) return; // answered or dropped meanwhile: no window to show it in
      const shared = all.find((r) => r.origin === origin && r.windowId !== null)?.windowId ?? null;
      const windowId = shared ?? await this.#windows.open(path);
      if (windowId !== null) await this.#store.update((all) => all.map((r) => (r.id === id ? { ...r, windowId } : r)));
    };
    const next = (this.#assigning.get(origin) ?? Promise.resolve()).then(assign);
    const settled = next.catch(() => undefined);
    this.#assigning.set(origin, settled);
    void settled.then(() => {
      if (this.#assigning.get(origin) === settled) this.#assigning.delete(origin);
    });
    return next;
  }

  /** Closes an approval window once no waiting request is shown in it any more. */
  async #closeIfUnused(windowId: number | null): Promise<void> {
    if (windowId === null || (await this.list()).some((r) => r.windowId === windowId)) return;
    await this.#windows.close(windowId);
  }

  /**
   * Another caller waits for the same answer (one pending connection request per origin). A page that
   * keeps asking while the request waits is refused rather than growing it without end.
   */
  async join(id: string, target: ReplyTarget): Promise<void> {
    let full = false;
    await this.#store.update((all) => all.map((r) => {
      if (r.id !== id) return r;
      full = r.targets.length >= MAX_WAITING_PER_REQUEST;
      return full ? r : { ...r, targets: [...r.targets, target] };
    }));
    if (full) throw tooMany('This site is already waiting for your answer in Dark Wallet. Answer it there before asking again.');
  }

  resolve(id: string, response: unknown): Promise<PendingRequest | null> {
    return this.#settle(id, { response });
  }

  reject(id: string, error: WalletError): Promise<PendingRequest | null> {
    return this.#settle(id, { error: toWireError(error) });
  }

  /**
   * Takes a request out of the queue without answering it (its window closes): whoever took it answers
   * its `targets` later. Null when it was answered or taken meanwhile, so a double approval acts once.
   */
  async detach(id: string): Promise<PendingRequest | null> {
    if (this.#settling.has(id)) return null;
    this.#settling.add(id);
    try {
      let taken: PendingRequest | null = null;
      await this.#store.update((all) => all.filter((r) => {
        if (r.id !== id) return true;
        taken = r;
        return false;
      }));
      const request = taken as PendingRequest | null;
      if (!request) return null;
      this.#changes.emit('requests');
      await this.#closeIfUnused(request.windowId);
      return request;
    } finally {
      this.#settling.delete(id);
    }
  }

  /** The dApp tab closed: nobody is left to answer, so its requests end. */
  async dropTab(tabId: number): Promise<void> {
    await this.#dropTargets((t) => t.tabId === tabId);
  }

  /** A page's content script went away (navigation or reload). */
  async dropClient(clientId: string): Promise<void> {
    await this.#dropTargets((t) => t.clientId === clientId);
  }

  /** The approval window was closed without an answer. */
  async windowClosed(windowId: number): Promise<void> {
    for (const r of await this.list()) {
      if (r.windowId === windowId) await this.reject(r.id, cancelled());
    }
  }

  async #dropTargets(gone: (t: ReplyTarget) => boolean): Promise<void> {
    const emptied: PendingRequest[] = [];
    await this.#store.update((all) => all.flatMap((r) => {
      const targets = r.targets.filter((t) => !gone(t));
      if (targets.length === r.targets.length) return [r];
      if (targets.length === 0) {
        emptied.push(r);
        return [];
      }
      return [{ ...r, targets }];
    }));
    if (emptied.length) this.#changes.emit('requests');
    for (const r of emptied) await this.#closeIfUnused(r.windowId);
  }

  /**
   * Answers everyone waiting, then forgets the request. Delivering before removing means a worker
   * stopped in between can at worst re-show an answered request (the page ignores a second answer),
   * never lose an answer.
   */
  async #settle(id: string, reply: { response: unknown } | { error: ReturnType<typeof toWireError> }): Promise<PendingRequest | null> {
    if (this.#settling.has(id)) return null;
    this.#settling.add(id);
    try {
      const request = (await this.list()).find((r) => r.id === id);
      if (!request) return null;
      await Promise.all(request.targets.map((t) => this.#delivery.send(t, reply)));
      await this.#store.update((all) => all.filter((r) => r.id !== id));
      this.#changes.emit('requests');
      await this.#closeIfUnused(request.windowId);
      return request;
    } finally {
      this.#settling.delete(id);
    }
  }
}

export const cancelled = () => new WalletError('Cancelled', 'The request was cancelled in Dark Wallet. Try again if you still want to do this.');
export const rejected = () => new WalletError('Rejected', 'The request was rejected in Dark Wallet.');
