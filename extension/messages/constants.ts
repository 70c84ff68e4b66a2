/**
 * Names and limits both ends of every message path agree on. Kept free of runtime imports so the
 * page script and the popup can use them without pulling in any library.
 */

/** The key dApps find us under in `window.injectedWeb3`. */
export const EXTENSION_NAME = 'dark-wallet';

/** Every port name starts with this, so we never mistake another extension's port for ours. */
export const PORT_PREFIX = 'dark-wallet.7f3c/';
/** The popup (and approval windows) connect with exactly this name. */
export const PORT_EXTENSION = `${PORT_PREFIX}extension`;
/** Content scripts connect as `${PORT_CONTENT}${clientId}`: the id survives reconnects of one page. */
export const PORT_CONTENT = `${PORT_PREFIX}content/`;

/** Tags on `window.postMessage` traffic so the relay ignores every message it did not expect. */
export const PAGE_TAG = 'dark-wallet.7f3c/page';
export const CONTENT_TAG = 'dark-wallet.7f3c/content';

/**
 * Largest page message the relay forwards (as JSON characters). Metadata definitions carry the runtime
 * metadata as hex (about 1 MB for our dev chain), so 1 MB would refuse honest `metadata.provide` calls;
 * 2 MiB still stops a page from pushing arbitrary volumes into the background.
 */
export const MAX_MESSAGE_CHARS = 2 * 1024 * 1024;

/**
 * Deepest nesting of arrays and objects the relay forwards. Honest requests nest a few levels (metadata
 * type definitions perhaps ten); Chromium's storage silently turns what lies deeper than about 100
 * levels into null, so a deeper request would wait for approval as something other than what was sent.
 */
export const MAX_MESSAGE_DEPTH = 64;

/**
 * At most this many secret reads (balances, history) from one origin are in flight at a time. Each is a
 * signed, encrypted query the extension sends to the worker on the site's behalf: without a cap, a page
 * looping on them would queue unbounded work in the service worker and load the worker.
 */
export const MAX_SECRET_READS_PER_ORIGIN = 4;

/** At most this many requests from one origin wait for the user at a time. */
export const MAX_PENDING_PER_ORIGIN = 10;

/**
 * Waiting requests live in `storage.session`, whose quota (10 MB in Chrome) they share with unlocked
 * keys and followed operations: a full quota fails every later write (an import, an unlock, another
 * site's request). So one origin's waiting requests hold at most 3 MB (room for an honest metadata
 * definition of up to `MAX_MESSAGE_CHARS` and a transaction), and all of them together at most 6 MB.
 */
export const MAX_PENDING_BYTES_PER_ORIGIN = 3 * 1024 * 1024;
export const MAX_PENDING_BYTES = 6 * 1024 * 1024;

/** At most this many page calls wait for one request (a connection request is joined, not repeated). */
export const MAX_WAITING_PER_REQUEST = 16;

/** The wallet password protects every key; the popup checks it too, the background decides. */
export const MIN_PASSWORD_LENGTH = 8;

export const AUTO_LOCK_CHOICES = [0, 5, 15, 30, 60] as const;
export type AutoLockMinutes = (typeof AUTO_LOCK_CHOICES)[number];
