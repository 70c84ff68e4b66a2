/**
 * What a hostile-page test looks at: every wallet message a page receives (recorded in the page), the
 * requests waiting in the service worker's `storage.session`, and the prototypes of an extension context.
 */
import type { BrowserContext, Page, Worker } from 'playwright-core';
import { CONTENT_TAG, PAGE_TAG } from '../../../extension/messages/constants';

/** A wallet reply as the page saw it (forged ones carry `forged: true` and are left out). */
export interface SeenReply {
  id: unknown;
  error: string | null;
  signature: string | null;
  response: boolean;
}

/** A page-tagged message the page's window received. */
export interface SeenRequest {
  id: unknown;
  message: unknown;
  /** `event.source === window`: only these may ever reach the wallet. */
  fromSelf: boolean;
  origin: string;
}

declare global {
  interface Window {
    seen: { replies: SeenReply[]; requests: SeenRequest[] };
  }
}

/** Starts recording, in `page` (or a frame's page), every wallet reply and page-tagged message. */
export async function spy(page: Page): Promise<void> {
  await page.evaluate(([content, tag]) => {
    window.seen = { replies: [], requests: [] };
    addEventListener('message', (e) => {
      const d = e.data as Record<string, unknown> | null;
      if (d?.origin === content && !d.forged) {
        const response = d.response as { signature?: string } | undefined;
        window.seen.replies.push({ id: d.id, error: (d.error as { code?: string } | undefined)?.code ?? null, signature: response?.signature ?? null, response: 'response' in d });
      }
      if (d?.origin === tag) window.seen.requests.push({ id: d.id, message: d.message, fromSelf: e.source === window, origin: e.origin });
    });
  }, [CONTENT_TAG, PAGE_TAG] as const);
}

export const seen = (page: Page) => page.evaluate(() => window.seen);

/** Posts `data` (built in the page by `make`, so it may hold bigint, cycles or own `__proto__` keys) to the page's own window. */
export async function postToSelf(page: Page, make: string): Promise<void> {
  await page.evaluate(`postMessage((${make}), location.origin)`);
}

export interface Waiting {
  id: string;
  kind: string;
  origin: string;
  /** The page message ids waiting for this request's answer. */
  messageIds: string[];
}

declare const chrome: {
  storage: { session: { get(key: string): Promise<Record<string, unknown>>; getBytesInUse(keys: null): Promise<number> } };
};

/** The requests waiting for the user, as the service worker keeps them. */
export function waiting(sw: Worker): Promise<Waiting[]> {
  return sw.evaluate(async () => {
    const all = ((await chrome.storage.session.get('requests')).requests ?? []) as { id: string; kind: string; origin: string; targets: { messageId: string }[] }[];
    return all.map((r) => ({ id: r.id, kind: r.kind, origin: r.origin, messageIds: r.targets.map((t) => t.messageId) }));
  });
}

export const sessionBytes = (sw: Worker) => sw.evaluate(() => chrome.storage.session.getBytesInUse(null));

/** The own keys of the built-in prototypes in a context, and whether `{}` inherits anything a page may have planted. */
export function prototypes(where: Pick<Worker, 'evaluate'>): Promise<string> {
  return where.evaluate(() => {
    const keys = [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((p) => Reflect.ownKeys(p).map(String).sort().join());
    const planted = ['isAdmin', 'polluted', 'address', 'x'].filter((k) => k in {});
    return JSON.stringify({ keys, planted });
  });
}

/** Approval windows open now (`popup.html#/${kind}/…`), any kind when none is given. */
export const approvalWindows = (ctx: BrowserContext, kind = '[A-Za-z]+') =>
  ctx.pages().filter((p) => new RegExp(`popup\\.html#/${kind}/`).test(p.url()));

/**
 * Clicks a button of an approval window and waits until the wallet closed it, which it does as soon
 * as the request is answered: sometimes before the click has even returned.
 */
export async function decide(win: Page, button: 'approve' | 'reject' | 'cancel'): Promise<void> {
  const closed = win.waitForEvent('close');
  await win.getByTestId(button).click().catch((e: unknown) => {
    if (!win.isClosed()) throw e;
  });
  await closed;
}

/** The replies a page saw, less the answers to `answeredAfter` barriers (helpers/dapp.ts; `raw` calls, ids `raw.…`). */
export const repliesSeen = async (page: Page) => (await seen(page)).replies.filter((r) => !String(r.id).startsWith('raw.'));
