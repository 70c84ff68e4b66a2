/**
 * Content script: a relay between the page (window.postMessage) and the background (runtime.Port).
 * It never evaluates anything and only posts to its own origin. The port opens on first use and
 * reopens after the service worker stopped; answers that arrive while it was closed come through
 * `tabs.sendMessage`, addressed to this instance's `clientId`.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { CONTENT_TAG, PORT_CONTENT } from '../messages/constants';
import { isTabDelivery, isTransportReply, type TransportReply, type TransportRequest } from '../messages/wire';
import { uuid } from './uuid';
import { relayDecision } from './relay';

const clientId = uuid();
let port: Runtime.Port | null = null;

function toPage(reply: TransportReply): void {
  window.postMessage({ ...reply, origin: CONTENT_TAG }, location.origin);
}

function connect(): Runtime.Port {
  const p = browser.runtime.connect({ name: `${PORT_CONTENT}${clientId}` });
  p.onMessage.addListener((message: unknown) => {
    if (isTransportReply(message)) toPage(message);
  });
  p.onDisconnect.addListener(() => {
    if (port === p) port = null;
  });
  return p;
}

function toBackground(request: TransportRequest): void {
  try {
    (port ??= connect()).postMessage(request);
  } catch {
    port = connect(); // the worker stopped before we heard about it
    port.postMessage(request);
  }
}

window.addEventListener('message', (event) => {
  const decision = relayDecision(event, window, location.origin);
  if (!decision) return;
  if ('refuse' in decision) return toPage(decision.refuse);
  try {
    toBackground(decision.forward);
  } catch {
    // The extension was updated or reloaded: this content script can no longer reach it.
    toPage({ id: decision.forward.id, error: { code: 'Internal', message: 'Dark Wallet was updated or restarted. Reload this page and try again.' } });
  }
});

browser.runtime.onMessage.addListener((message: unknown) => {
  if (!isTabDelivery(message) || message.clientId !== clientId) return undefined;
  toPage(message.reply);
  return Promise.resolve(true);
});
