/**
 * Service-worker entry: binds the browser to the core. Listeners are registered synchronously at the
 * top level, as MV3 requires for events that wake a stopped worker.
 */
import browser from 'webextension-polyfill';
import type { TabDelivery } from '../messages/wire';
import { Background } from './background';
import type { StorageArea } from './storage/store';

const LOCK_ALARM = 'auto-lock';
const APPROVAL_WINDOW = { width: 400, height: 640 };

type SessionArea = StorageArea & { setAccessLevel?: (o: { accessLevel: 'TRUSTED_CONTEXTS' }) => Promise<void> };
const session = browser.storage.session as SessionArea;
// Chrome: keep session storage (unlocked keys) out of content scripts' reach. It is the default, but
// we do not rely on defaults for this. Firefox never exposes it to content scripts and has no setter.
void session.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' }).catch(() => undefined);

const background = new Background({
  local: browser.storage.local,
  session,
  popupUrl: browser.runtime.getURL('popup.html'),
  now: () => Date.now(),
  windows: {
    async open(path) {
      try {
        const win = await browser.windows.create({ url: browser.runtime.getURL(path), type: 'popup', focused: true, ...APPROVAL_WINDOW });
        return win.id ?? null;
      } catch {
        return null; // no window support (e.g. some mobile browsers): the request still shows in the popup
      }
    },
    async close(windowId) {
      await browser.windows.remove(windowId).catch(() => undefined);
    },
  },
  async sendToTab(tabId: number, frameId: number, message: TabDelivery) {
    try {
      return (await browser.tabs.sendMessage(tabId, message, { frameId })) === true;
    } catch {
      return false; // no content script there any more
    }
  },
  scheduleLock(at) {
    if (at === null) void browser.alarms.clear(LOCK_ALARM);
    else void browser.alarms.create(LOCK_ALARM, { when: at });
  },
  showPending(count) {
    void browser.action.setBadgeText({ text: count ? String(count) : '' });
    void browser.action.setBadgeBackgroundColor({ color: '#7c5cff' });
  },
});

browser.runtime.onConnect.addListener((port) => background.connect(port));
browser.tabs.onRemoved.addListener((tabId) => void background.tabRemoved(tabId));
browser.windows.onRemoved.addListener((windowId) => void background.windowRemoved(windowId));
browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === LOCK_ALARM) void background.lockAlarm();
});
