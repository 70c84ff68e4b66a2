/**
 * The popup's side of the message path: typed `sendMessage` / `subscribe` over one port. When the
 * service worker stops, the port closes: calls in flight fail with a sentence, subscriptions are
 * re-established on a fresh port (the worker's state lives in session storage, so nothing is lost).
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { PORT_EXTENSION } from '../messages/constants';
import { WalletError, fromWireError } from '../messages/errors';
import type { PriMessageType, RequestOf, ResponseOf, SubscriptionOf } from '../messages/registry';
import { isTransportReply } from '../messages/wire';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Subscription {
  message: PriMessageType;
  request: unknown;
  subscriber: (value: unknown) => void;
}

let port: Runtime.Port | null = null;
let counter = 0;
const pending = new Map<string, Pending>();
/** By the id of the message that currently carries each subscription. */
const subscriptions = new Map<string, Subscription>();

function connect(): Runtime.Port {
  const p = browser.runtime.connect({ name: PORT_EXTENSION });
  p.onMessage.addListener((data: unknown) => {
    if (!isTransportReply(data)) return;
    const sub = subscriptions.get(data.id);
    if (sub && data.subscription !== undefined) sub.subscriber(data.subscription);
    const call = pending.get(data.id);
    if (!call || data.subscription !== undefined) return;
    pending.delete(data.id);
    if (data.error) call.reject(fromWireError(data.error));
    else call.resolve(data.response);
  });
  p.onDisconnect.addListener(() => {
    if (port !== p) return;
    port = null;
    for (const call of pending.values()) {
      call.reject(new WalletError('Internal', 'Dark Wallet restarted while doing this. Try again.'));
    }
    pending.clear();
    const subs = [...subscriptions.values()];
    subscriptions.clear();
    for (const s of subs) resubscribe(s);
  });
  return p;
}

function post(message: PriMessageType, request: unknown, call: Pending): string {
  const id = `${++counter}`;
  pending.set(id, call);
  (port ??= connect()).postMessage({ id, message, request });
  return id;
}

export function sendMessage<T extends PriMessageType>(message: T, request: RequestOf<T>): Promise<ResponseOf<T>> {
  return new Promise((resolve, reject) => {
    post(message, request, { resolve: resolve as (v: unknown) => void, reject });
  });
}

function resubscribe(sub: Subscription): string {
  const id = post(sub.message, sub.request, { resolve: sub.subscriber, reject: () => undefined });
  subscriptions.set(id, sub);
  return id;
}

/** The first answer and every later push go to `subscriber`. Returns the unsubscribe function. */
export function subscribe<T extends PriMessageType>(message: T, request: RequestOf<T>, subscriber: (value: SubscriptionOf<T>) => void): () => void {
  const sub: Subscription = { message, request, subscriber: subscriber as (v: unknown) => void };
  resubscribe(sub);
  return () => {
    for (const [id, s] of subscriptions) if (s === sub) subscriptions.delete(id);
  };
}
