/** The envelopes messages travel in, on ports and on `window.postMessage`. */
import type { WireError } from './errors';
import type { MessageType } from './registry';

/** page → content → background, popup → background. */
export interface TransportRequest {
  id: string;
  message: MessageType;
  request: unknown;
}

/** background → content → page, background → popup. A subscription push reuses the request's id. */
export interface TransportReply {
  id: string;
  response?: unknown;
  error?: WireError;
  subscription?: unknown;
}

/** What the background sends a content script through `tabs.sendMessage` when its port is gone. */
export interface TabDelivery {
  clientId: string;
  reply: TransportReply;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

export const isTransportRequest = (x: unknown): x is TransportRequest =>
  isObject(x) && typeof x.id === 'string' && x.id.length > 0 && x.id.length <= 64 && typeof x.message === 'string';

export const isTransportReply = (x: unknown): x is TransportReply =>
  isObject(x) && typeof x.id === 'string' && ('response' in x || 'error' in x || 'subscription' in x);

export const isTabDelivery = (x: unknown): x is TabDelivery =>
  isObject(x) && typeof x.clientId === 'string' && isTransportReply(x.reply);
