/**
 * The unlocked wallet: decoded keys and the auto-lock deadline.
 *
 * Decoded key material is kept in memory and in `storage.session`. Session storage lives only in
 * memory (never on disk), is cleared when the browser closes, and is restricted to trusted extension
 * contexts (content scripts cannot read it). Keeping keys there is what lets an unlocked wallet
 * survive the service worker being stopped. The password itself is never kept anywhere, and nothing
 * decrypted is ever written to `storage.local`.
 */
import type { KeyringPair, KeyringPair$Json } from '@polkadot/keyring/types';
import type { Changes } from '../events';
import { Store, isRecord, type StorageArea } from '../storage/store';
import { locked, unknownAccount } from './errors';
import { keyring } from './keystore';

interface SessionData {
  /** Unencrypted JSON (`encoding.type: ['none']`) per canonical address. */
  keys: Record<string, KeyringPair$Json>;
  /** When the wallet locks by itself; null = never. */
  lockAt: number | null;
}

export interface SessionClock {
  now(): number;
  /** Minutes of inactivity before locking (0 = never). */
  autoLockMinutes(): Promise<number>;
  /** Arranges for `expire()` to be called at `at` even if the service worker sleeps until then. */
  schedule(at: number | null): void;
}

/** Extending the deadline on every message would rewrite session storage constantly; a minute's slack is harmless. */
const TOUCH_SLACK_MS = 60_000;

const parse = (raw: unknown): SessionData | null =>
  isRecord(raw) && isRecord(raw.keys) && (raw.lockAt === null || typeof raw.lockAt === 'number')
    ? { keys: raw.keys as Record<string, KeyringPair$Json>, lockAt: raw.lockAt }
    : null;

export class UnlockedSession {
  readonly #store: Store<SessionData | null>;
  readonly #clock: SessionClock;
  readonly #changes: Changes;
  readonly #pairs = new Map<string, KeyringPair>();

  constructor(session: StorageArea, clock: SessionClock, changes: Changes) {
    this.#store = new Store(session, 'unlocked', parse);
    this.#clock = clock;
    this.#changes = changes;
  }

  async isUnlocked(): Promise<boolean> {
    return (await this.#current()) !== null;
  }

  async open(pairs: KeyringPair[]): Promise<void> {
    const lockAt = await this.#deadline();
    const keys = Object.fromEntries(pairs.map((p) => [p.address, p.toJson()]));
    await this.#store.set({ keys, lockAt });
    this.#pairs.clear();
    for (const p of pairs) this.#pairs.set(p.address, p);
    this.#clock.schedule(lockAt);
    this.#changes.emit('lock');
  }

  /** Adds a freshly created or imported (unlocked) pair to an open session. */
  async add(pair: KeyringPair): Promise<void> {
    await this.#store.update((s) => (s ? { ...s, keys: { ...s.keys, [pair.address]: pair.toJson() } } : s));
    if (await this.isUnlocked()) this.#pairs.set(pair.address, pair);
  }

  async remove(address: string): Promise<void> {
    this.#pairs.delete(address);
    await this.#store.update((s) => {
      if (!s) return s;
      const { [address]: _gone, ...keys } = s.keys;
      return { ...s, keys };
    });
  }

  async close(): Promise<void> {
    this.#pairs.clear();
    await this.#store.clear();
    this.#clock.schedule(null);
    this.#changes.emit('lock');
  }

  /** The unlocked pair for `address`; `Locked` when the wallet is locked. */
  async pair(address: string): Promise<KeyringPair> {
    const s = await this.#current();
    if (!s) throw locked();
    const cached = this.#pairs.get(address);
    if (cached) return cached;
    const json = s.keys[address];
    if (!json) throw unknownAccount();
    const pair = keyring.createFromJson(json);
    pair.decodePkcs8();
    this.#pairs.set(address, pair);
    return pair;
  }

  /** User activity: push the auto-lock deadline back. */
  touch(): Promise<void> {
    return this.#reschedule(false);
  }

  /** The auto-lock setting changed: count the new duration from now. */
  restartTimer(): Promise<void> {
    return this.#reschedule(true);
  }

  async #reschedule(always: boolean): Promise<void> {
    const s = await this.#current();
    if (!s) return;
    const lockAt = await this.#deadline();
    const unchanged = lockAt === s.lockAt || (s.lockAt !== null && lockAt !== null && lockAt - s.lockAt < TOUCH_SLACK_MS);
    if (!always && unchanged) return;
    await this.#store.update((cur) => (cur ? { ...cur, lockAt } : cur));
    this.#clock.schedule(lockAt);
  }

  /** The auto-lock alarm fired (or the worker woke up): lock when the deadline has passed. */
  async expire(): Promise<void> {
    await this.#current();
  }

  async #current(): Promise<SessionData | null> {
    const s = await this.#store.get();
    if (s && s.lockAt !== null && this.#clock.now() >= s.lockAt) {
      await this.close();
      return null;
    }
    return s;
  }

  async #deadline(): Promise<number | null> {
    const minutes = await this.#clock.autoLockMinutes();
    return minutes === 0 ? null : this.#clock.now() + minutes * 60_000;
  }
}
