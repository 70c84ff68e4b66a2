/** The page's side of the message path: typed `sendMessage` over `window.postMessage`. */
import { CONTENT_TAG, PAGE_TAG } from '../messages/constants';
import { fromWireError } from '../messages/errors';
import type { PubMessageType, RequestOf, ResponseOf, SubscriptionOf } from '../messages/registry';
import { isTransportReply } from '../messages/wire';

interface Handler {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  subscriber?: (value: unknown) => void;
}

const handlers = new Map<string, Handler>();
let counter = 0;

window.addEventListener('message', ({ source, data }) => {
  if (source !== window || !data || data.origin !== CONTENT_TAG || !isTransportReply(data)) return;
  const handler = handlers.get(data.id);
  if (!handler) return; // answered already, or not ours
  if (data.subscription !== undefined) {
    handler.subscriber?.(data.subscription);
    return;
  }
  // Subscriptions stay registered after their first answer; everything else is answered once.
  if (!handler.subscriber || data.error) handlers.delete(data.id);
  if (data.error) handler.reject(fromWireError(data.error));
  else handler.resolve(data.response);
});

function post<T extends PubMessageType>(message: T, request: RequestOf<T>, handler: Handler): string {
  const id = `${Date.now()}.${++counter}`;
  handlers.set(id, handler);
  window.postMessage({ id, message, request, origin: PAGE_TAG }, location.origin);
  return id;
}

export function sendMessage<T extends PubMessageType>(message: T, request: RequestOf<T>): Promise<ResponseOf<T>> {
  return new Promise((resolve, reject) => {
    post(message, request, { resolve: resolve as (v: unknown) => void, reject });
  });
}

/** Starts a subscription; `id` stops it through `unsubscribe`. */
export function subscribe<T extends PubMessageType>(
  message: T,
  request: RequestOf<T>,
  subscriber: (value: SubscriptionOf<T>) => void,
): { id: string; ready: Promise<ResponseOf<T>> } {
  let id = '';
  const ready = new Promise<ResponseOf<T>>((resolve, reject) => {
    id = post(message, request, { resolve: resolve as (v: unknown) => void, reject, subscriber: subscriber as (v: unknown) => void });
  });
  return { id, ready };
}

export function forget(id: string): void {
  handlers.delete(id);
}
