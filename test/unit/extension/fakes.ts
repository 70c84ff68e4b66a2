/**
 * In-memory stand-ins for the browser APIs the background core needs — only those that cannot run
 * in Node (storage areas, ports, windows, tabs). Everything else in tests is the real code.
 */
import { Background, type Platform } from '../../../extension/background/background';
import type { ChainAccess } from '../../../extension/background/chain/client';
import { WalletError } from '../../../extension/messages/errors';
import type { RetryTimer } from '../../../extension/background/secret/follower';
import { FakeDark } from './dark-fake';
import type { RuntimePort } from '../../../extension/background/ports';
import type { StorageArea } from '../../../extension/background/storage/store';
import { PORT_CONTENT, PORT_EXTENSION } from '../../../extension/messages/constants';
import type { MessageType, RequestOf } from '../../../extension/messages/registry';
import type { TabDelivery, TransportReply } from '../../../extension/messages/wire';

export const POPUP_URL = 'chrome-extension://abcdefghijklmnop/popup.html';

/** Values round-trip through JSON, as they do in real extension storage. */
export class MemoryStorage implements StorageArea {
  readonly data: Map<string, string>;

  /** Starts empty, or with a copy of `entries` (another storage's `data`). */
  constructor(entries: Iterable<[string, string]> = []) {
    this.data = new Map(entries);
  }

  async get(keys: string | string[]): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const k of typeof keys === 'string' ? [keys] : keys) {
      const v = this.data.get(k);
      if (v !== undefined) out[k] = JSON.parse(v);
    }
    return out;
  }

  async set(items: Record<string, unknown>): Promise<void> {
    for (const [k, v] of Object.entries(items)) this.data.set(k, JSON.stringify(v));
  }

  async remove(keys: string | string[]): Promise<void> {
    for (const k of typeof keys === 'string' ? [keys] : keys) this.data.delete(k);
  }

  /** Everything stored, as text: for "never on disk" checks. */
  dump(): string {
    return [...this.data.values()].join('\n');
  }
}

export class FakePort implements RuntimePort {
  readonly sent: TransportReply[] = [];
  connected = true;
  readonly #onMessage: ((m: unknown) => void)[] = [];
  readonly #onDisconnect: (() => void)[] = [];

  constructor(readonly name: string, readonly sender: { url?: string; tab?: { id?: number }; frameId?: number }) {}

  postMessage(message: unknown): void {
    if (!this.connected) throw new Error('Attempting to use a disconnected port object');
    this.sent.push(JSON.parse(JSON.stringify(message)) as TransportReply);
  }

  disconnect(): void {
    this.connected = false;
  }

  onMessage = { addListener: (cb: (m: unknown) => void) => void this.#onMessage.push(cb) };
  onDisconnect = { addListener: (cb: () => void) => void this.#onDisconnect.push(cb) };

  /** The other end went away (page navigated / popup closed). */
  drop(): void {
    this.connected = false;
    for (const cb of this.#onDisconnect) cb();
  }

  replies(id: string): TransportReply[] {
    return this.sent.filter((r) => r.id === id);
  }
}

export const popupPort = (hash = '') => new FakePort(PORT_EXTENSION, { url: `${POPUP_URL}${hash}`, tab: { id: 99 } });

export function pagePort(origin: string, tabId = 1, clientId: string = crypto.randomUUID()): FakePort {
  return new FakePort(`${PORT_CONTENT}${clientId}`, { url: `${origin}/app/index.html`, tab: { id: tabId }, frameId: 0 });
}

export class FakeChain implements ChainAccess {
  readonly transfers: { from: string; to: string; amount: bigint }[] = [];
  async balances(addresses: string[]) {
    return { chain: 'Test', token: { symbol: 'PHA', decimals: 12 }, balances: Object.fromEntries(addresses.map((a) => [a, { free: '1000000000000', reserved: '0', frozen: '0' }])) };
  }
  async transfer(pair: { address: string }, to: string, amount: bigint) {
    this.transfers.push({ from: pair.address, to, amount });
    return { txHash: '0x01', blockHash: '0x02' };
  }
  async token() {
    return { symbol: 'PHA', decimals: 12 };
  }
  async registryFor() {
    return null;
  }
  async metadataHash() {
    return null;
  }
  async publicFundsRefusal() {
    return null;
  }
  async api(): Promise<never> {
    throw new WalletError('ChainUnavailable', 'No chain in unit tests.');
  }
  async probe(): Promise<never> {
    throw new WalletError('ChainUnavailable', 'No chain in unit tests.');
  }
  async reset() {}
}

/** The follower's retry timer, fired by the test instead of by time. */
export class ManualTimer implements RetryTimer {
  #due: (() => void)[] = [];

  after(_ms: number, run: () => void): void {
    this.#due.push(run);
  }

  /** Retries scheduled and not yet fired. */
  get pending(): number {
    return this.#due.length;
  }

  /** Runs every retry that is due now (as if their time had come). */
  fire(): void {
    const due = this.#due;
    this.#due = [];
    for (const run of due) run();
  }
}

export interface TestWallet {
  bg: Background;
  dark: FakeDark;
  timer: ManualTimer;
  platform: Platform & { local: MemoryStorage; session: MemoryStorage };
  clock: { now: number };
  opened: string[];
  closedWindows: number[];
  tabDeliveries: { tabId: number; frameId: number; message: TabDelivery }[];
  scheduled: (number | null)[];
  badge: number[];
  /** Sends one message and resolves with its answer (or null when none came yet, i.e. deferred). */
  call<T extends MessageType>(type: T, request: RequestOf<T>, port: FakePort): Promise<TransportReply | null>;
  /** A fresh Background over the same storage and platform: a restarted service worker. */
  restart(): Background;
}

let ids = 0;

/** `chain: 'live'`: the real @polkadot/api client, over the networks the test's chains are added as. */
export function makeWallet(opts: { local?: MemoryStorage; session?: MemoryStorage; chain?: ChainAccess | 'live'; dark?: FakeDark } = {}): TestWallet {
  const clock = { now: 1_700_000_000_000 };
  const opened: string[] = [];
  const closedWindows: number[] = [];
  const tabDeliveries: TestWallet['tabDeliveries'] = [];
  const scheduled: (number | null)[] = [];
  const badge: number[] = [];
  /** Tabs whose content script is still there, to answer `tabs.sendMessage`. */
  const platform = {
    local: opts.local ?? new MemoryStorage(),
    session: opts.session ?? new MemoryStorage(),
    popupUrl: POPUP_URL,
    now: () => clock.now,
    windows: {
      async open(path: string) {
        opened.push(path);
        return opened.length;
      },
      async close(id: number) {
        closedWindows.push(id);
      },
    },
    async sendToTab(tabId: number, frameId: number, message: TabDelivery) {
      tabDeliveries.push({ tabId, frameId, message });
      return true;
    },
    scheduleLock: (at: number | null) => void scheduled.push(at),
    showPending: (n: number) => void badge.push(n),
    chain: opts.chain === 'live' ? undefined : opts.chain ?? new FakeChain(),
    dark: opts.dark ?? new FakeDark(),
    retryTimer: new ManualTimer(),
  };
  const wallet: TestWallet = {
    bg: new Background(platform),
    dark: platform.dark,
    timer: platform.retryTimer,
    platform,
    clock,
    opened,
    closedWindows,
    tabDeliveries,
    scheduled,
    badge,
    async call(type, request, port) {
      const id = `t${++ids}`;
      await wallet.bg.handle(id, type, request, port);
      return port.replies(id).find((r) => r.subscription === undefined) ?? null;
    },
    restart() {
      void wallet.bg.stop(); // a stopped service worker's sockets close with it
      wallet.bg = new Background(platform);
      return wallet.bg;
    },
  };
  return wallet;
}

/** The response of a reply, failing the test with the error sentence when there was one. */
export function ok<T = unknown>(reply: TransportReply | null): T {
  if (!reply) throw new Error('no reply (deferred)');
  if (reply.error) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return reply.response as T;
}

export const PASSWORD = 'correct horse';

/** What a wallet's storage holds once its accounts exist, to start later wallets from. */
interface StorageSnapshot {
  local: Map<string, string>;
  session: Map<string, string>;
}

const createdSets = new Map<string, Promise<StorageSnapshot>>();

/**
 * A wallet holding the dev accounts `//${name}` for each of `names` (encrypted under PASSWORD) and
 * unlocked: the state right after creating them in the popup. Encrypting an account runs the
 * production scrypt (N = 2^17, seconds on a busy machine), so a test file creates each set once,
 * through the real handler, and every later wallet starts from copies of the storage that left.
 * accounts.test.ts creates accounts for real and checks the scrypt settings they are written with.
 */
export async function walletWith(names: readonly string[], opts: Omit<Parameters<typeof makeWallet>[0], 'local' | 'session'> = {}): Promise<TestWallet> {
  const key = names.join('/');
  let created = createdSets.get(key);
  if (!created) {
    created = createAccounts(names);
    createdSets.set(key, created);
    created.catch(() => createdSets.delete(key)); // a failure is reported by the test that awaited it; the next one tries again
  }
  const { local, session } = await created;
  return makeWallet({ ...opts, local: new MemoryStorage(local), session: new MemoryStorage(session) });
}

async function createAccounts(names: readonly string[]): Promise<StorageSnapshot> {
  const w = makeWallet();
  for (const name of names) {
    ok(await w.call('pri(accounts.createFromUri)', { suri: `//${name}`, type: 'sr25519', name, password: PASSWORD }, popupPort()));
  }
  return { local: new Map(w.platform.local.data), session: new Map(w.platform.session.data) };
}
