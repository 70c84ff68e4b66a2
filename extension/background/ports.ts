/**
 * Ports and reply delivery. A reply goes back on the port its request came in on while that port is
 * open; after the service worker restarted the port is gone, so replies to persisted requests go
 * through `tabs.sendMessage` to the content script instance (`clientId`) that asked.
 */
import { PORT_CONTENT, PORT_EXTENSION } from '../messages/constants';
import type { TabDelivery, TransportReply } from '../messages/wire';

/** The part of `runtime.Port` we use (a fake implements it in tests). */
export interface RuntimePort {
  readonly name: string;
  readonly sender?: { url?: string; tab?: { id?: number }; frameId?: number };
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(cb: (message: unknown) => void): void };
  onDisconnect: { addListener(cb: () => void): void };
}

/** Where the answer to one page request goes, even across service-worker restarts. */
export interface ReplyTarget {
  clientId: string;
  messageId: string;
  tabId: number;
  frameId: number;
}

export type PortRole =
  | { kind: 'popup' }
  | { kind: 'page'; clientId: string; origin: string; url: string; tabId: number; frameId: number };

const PAGE_PROTOCOLS = new Set(['http:', 'https:']);
const CLIENT_ID = /^[0-9a-f-]{36}$/;

/**
 * Who is on the other end of a port. The port name says what the sender claims to be; the sender URL
 * (set by the browser) decides: popup messages only from our own popup page, page messages only from
 * http(s) frames in a tab. Popup-as-tab messages also carry `sender.tab`, so the tab is not the test.
 */
export function portRole(port: RuntimePort, popupUrl: string): PortRole | null {
  const url = port.sender?.url;
  if (!url) return null;
  if (port.name === PORT_EXTENSION) {
    return url === popupUrl || url.startsWith(`${popupUrl}#`) || url.startsWith(`${popupUrl}?`) ? { kind: 'popup' } : null;
  }
  if (!port.name.startsWith(PORT_CONTENT)) return null;
  const clientId = port.name.slice(PORT_CONTENT.length);
  const tabId = port.sender?.tab?.id;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!CLIENT_ID.test(clientId) || tabId === undefined || tabId < 0 || !PAGE_PROTOCOLS.has(parsed.protocol)) return null;
  return { kind: 'page', clientId, origin: parsed.origin, url, tabId, frameId: port.sender?.frameId ?? 0 };
}

export class Delivery {
  readonly #ports = new Map<string, RuntimePort>();
  readonly #sendToTab: (tabId: number, frameId: number, message: TabDelivery) => Promise<boolean>;

  constructor(sendToTab: (tabId: number, frameId: number, message: TabDelivery) => Promise<boolean>) {
    this.#sendToTab = sendToTab;
  }

  attach(clientId: string, port: RuntimePort): void {
    this.#ports.set(clientId, port);
  }

  /** Returns true when `port` was the client's live port (so the page really went away). */
  detach(clientId: string, port: RuntimePort): boolean {
    if (this.#ports.get(clientId) !== port) return false;
    this.#ports.delete(clientId);
    return true;
  }

  /** Resolves false when nobody received it (the page is gone). */
  async send(target: ReplyTarget, reply: Omit<TransportReply, 'id'>): Promise<boolean> {
    const message: TransportReply = { id: target.messageId, ...reply };
    const port = this.#ports.get(target.clientId);
    if (port) {
      try {
        port.postMessage(message);
        return true;
      } catch {
        this.#ports.delete(target.clientId); // disconnected under us: fall back to the tab
      }
    }
    return this.#sendToTab(target.tabId, target.frameId, { clientId: target.clientId, reply: message });
  }

  /** The same reply to everyone waiting; a page that is gone is not an error (nobody waits there). */
  async sendAll(targets: readonly ReplyTarget[], reply: Omit<TransportReply, 'id'>): Promise<void> {
    await Promise.all(targets.map((t) => this.send(t, reply).catch(() => false)));
  }
}
