/** Shapes shared by the two handler sides (pages and popup). */
import type { PriMessageType, PubMessageType, RequestOf, ResponseOf, SubscriptionOf } from '../../messages/registry';
import type { ReplyTarget } from '../ports';

/** Returned by a page handler whose answer comes later, through the request queue. */
export const DEFERRED = Symbol('deferred');
export type Deferred = typeof DEFERRED;

/** Who sent a page message, as the browser reported it. */
export interface PageContext {
  origin: string;
  url: string;
  target: ReplyTarget;
}

export interface PopupContext<T extends PriMessageType> {
  /** Sends a subscription update on the popup's port. */
  push(value: SubscriptionOf<T>): void;
  /** Runs when the popup's port closes. */
  onClose(cb: () => void): void;
}

/** Page bodies are untrusted: each handler validates its `unknown` input. */
export type PageHandlers = {
  [T in PubMessageType]: (request: unknown, ctx: PageContext) => Promise<ResponseOf<T> | Deferred>;
};

/** Popup bodies come from our own popup page (the sender URL was checked). */
export type PopupHandlers = {
  [T in PriMessageType]: (request: RequestOf<T>, ctx: PopupContext<T>) => Promise<ResponseOf<T>>;
};
