/**
 * Accounts: the vault (encrypted, storage.local) and the unlocked session (storage.session) behind one
 * wallet password. The password is checked by decrypting, used, and dropped — never stored.
 */
import { DEV_PHRASE } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { isHex } from '@polkadot/util';
import { keyExtractSuri, mnemonicGenerate, mnemonicValidate } from '@polkadot/util-crypto';
import { MIN_PASSWORD_LENGTH } from '../../messages/constants';
import type { AccountView, BatchImportResult, KeypairKind, WalletStatus } from '../../messages/types';
import type { Changes } from '../events';
import type { SiteStore } from '../sites/store';
import { invalid } from '../validate';
import { encryptBatch, openBatch, parseBatch } from './batch';
import { locked, unknownAccount } from './errors';
import { decryptKeystore, encryptPair, isWeakerThanCurrent, keyring, pairFromKeystore, parseKeystore } from './keystore';
import type { UnlockedSession } from './session';
import { accountView, type Vault, type VaultEntry } from './vault';

const MAX_NAME_LENGTH = 32;
const MNEMONIC_WORDS = [12, 15, 18, 21, 24];
const BAD_SURI = 'This recovery phrase or secret URI is not valid. Check the words (or the //path) and try again.';

function checkName(name: string): string {
  const n = name.trim();
  if (!n || n.length > MAX_NAME_LENGTH) throw invalid(`Give the account a name of 1 to ${MAX_NAME_LENGTH} characters.`);
  return n;
}

/** The name a backup file gave an account, made to fit; a plain one when it gave none. */
function backupName(meta: Record<string, unknown>): string {
  const name = typeof meta.name === 'string' ? meta.name.trim().slice(0, MAX_NAME_LENGTH) : '';
  return name || 'Imported account';
}

/**
 * A key from a suri: a valid BIP39 mnemonic, a 0x 32-byte seed, or a derivation of the well-known dev
 * phrase (`//Alice`). Plain text is refused: polkadot-js would pad it into a weak raw seed.
 */
function pairFromUri(suri: string, type: KeypairKind, meta: Record<string, unknown> = {}): KeyringPair {
  const s = suri.trim();
  const isDev = s.startsWith('//'); // keyring derives these from DEV_PHRASE
  let phrase: string;
  try {
    phrase = keyExtractSuri(isDev ? `${DEV_PHRASE}${s}` : s).phrase;
  } catch {
    throw invalid(BAD_SURI);
  }
  const isSeed = isHex(phrase, 256);
  const isMnemonic = MNEMONIC_WORDS.includes(phrase.split(' ').length) && mnemonicValidate(phrase);
  if (!isDev && !isSeed && !isMnemonic) throw invalid(BAD_SURI);
  try {
    return keyring.createFromUri(s, meta, type);
  } catch {
    throw invalid(BAD_SURI);
  }
}

export class Accounts {
  readonly #vault: Vault;
  readonly #session: UnlockedSession;
  readonly #sites: SiteStore;
  readonly #changes: Changes;
  readonly #now: () => number;

  constructor(deps: { vault: Vault; session: UnlockedSession; sites: SiteStore; changes: Changes; now: () => number }) {
    this.#vault = deps.vault;
    this.#session = deps.session;
    this.#sites = deps.sites;
    this.#changes = deps.changes;
    this.#now = deps.now;
  }

  async status(): Promise<WalletStatus> {
    if ((await this.#vault.entries()).length === 0) return 'onboarding';
    return (await this.#session.isUnlocked()) ? 'unlocked' : 'locked';
  }

  async list(): Promise<AccountView[]> {
    return (await this.#vault.entries()).map(accountView);
  }

  async find(address: string): Promise<AccountView | undefined> {
    const entry = await this.#vault.find(address);
    return entry && accountView(entry);
  }

  /** The unlocked key of an account in the vault; `Locked` / `UnknownAccount` otherwise. */
  async pair(address: string): Promise<KeyringPair> {
    if (!(await this.#vault.find(address))) throw unknownAccount();
    return this.#session.pair(address);
  }

  async unlock(password: string): Promise<void> {
    const entries = await this.#vault.entries();
    if (entries.length === 0) throw invalid('There are no accounts yet. Create or import one first.');
    const pairs = entries.map((e) => decryptKeystore(e.json, password));
    await this.#session.open(pairs);
    await this.#strengthen(entries, pairs, password);
  }

  /**
   * Entries written with the old scrypt settings (N = 2^15) are re-encrypted with today's (N = 2^17)
   * once the password proved right; the keystore is replaced in one storage write, so an interrupted
   * unlock leaves the old, still valid entry.
   */
  async #strengthen(entries: VaultEntry[], pairs: KeyringPair[], password: string): Promise<void> {
    for (const [i, entry] of entries.entries()) {
      if (isWeakerThanCurrent(entry.json)) await this.#vault.replaceKeystore(entry.address, encryptPair(pairs[i], password));
    }
  }

  lock(): Promise<void> {
    return this.#session.close();
  }

  generateMnemonic(): string {
    return mnemonicGenerate(12);
  }

  previewUri(suri: string, type: KeypairKind): string {
    return pairFromUri(suri, type).address;
  }

  async createFromUri(suri: string, type: KeypairKind, name: string, password: string): Promise<AccountView> {
    const pair = pairFromUri(suri, type, { name: checkName(name), whenCreated: this.#now() });
    return this.#add(pair, password);
  }

  async importJson(json: string, jsonPassword: string, name: string | undefined, password: string): Promise<AccountView> {
    const keystore = parseKeystore(json);
    const pair = decryptKeystore(keystore, jsonPassword, 'Wrong password for this backup file. Enter the password it was exported with.');
    pair.setMeta({ name: checkName(name || backupName(keystore.meta)), whenCreated: this.#now() });
    return this.#add(pair, password);
  }

  /** The stored keystore (encrypted with the wallet password), after the password proved right. */
  async exportJson(address: string, password: string): Promise<string> {
    const entry = await this.#vault.find(address);
    if (!entry) throw unknownAccount();
    decryptKeystore(entry.json, password);
    return JSON.stringify(entry.json);
  }

  /** Every account in one polkadot-js batch file, sealed with the wallet password (proved right first). */
  async exportAll(password: string): Promise<string> {
    const entries = await this.#vault.entries();
    if (entries.length === 0) throw invalid('There are no accounts to back up yet.');
    decryptKeystore(entries[0].json, password);
    return JSON.stringify(encryptBatch(entries.map((e) => e.json), password));
  }

  /**
   * Restores a batch backup: every account opens or none is added (one storage write). Accounts
   * already in the wallet are left as they are; the others are re-sealed with the wallet password.
   */
  async importBatch(json: string, jsonPassword: string, accountsPassword: string | undefined, password: string): Promise<BatchImportResult> {
    const { pairs, withoutKey } = openBatch(parseBatch(json), jsonPassword, accountsPassword || undefined);
    const entries = await this.#vault.entries();
    await this.#checkPassword(entries, password);
    const sealed = pairs.map((pair) => {
      pair.setMeta({ name: checkName(backupName(pair.meta)), whenCreated: this.#now() });
      const keystore = encryptPair(pair, password);
      return { pair, entry: { address: pairFromKeystore(keystore).address, json: keystore } };
    });
    const added = new Set((await this.#vault.addMany(sealed.map((s) => s.entry))).map((e) => e.address));
    const fresh = sealed.filter((s) => added.has(s.entry.address));
    if (entries.length === 0) await this.#session.open(fresh.map((s) => s.pair));
    else for (const s of fresh) await this.#session.add(s.pair);
    if (fresh.length) this.#changes.emit('accounts');
    return { imported: fresh.map((s) => accountView(s.entry)), alreadyThere: sealed.length - fresh.length, withoutKey };
  }

  async rename(address: string, name: string): Promise<void> {
    if (!(await this.#vault.find(address))) throw unknownAccount();
    await this.#vault.rename(address, checkName(name));
    this.#changes.emit('accounts');
  }

  async forget(address: string): Promise<void> {
    await this.#vault.remove(address);
    await this.#session.remove(address);
    await this.#sites.removeAddressEverywhere(address);
    if ((await this.#vault.entries()).length === 0) await this.#session.close();
    this.#changes.emit('accounts');
    this.#changes.emit('sites');
  }

  /** New accounts share the wallet password: the first sets it, later ones must match it. */
  async #add(pair: KeyringPair, password: string): Promise<AccountView> {
    const entries = await this.#vault.entries();
    await this.#checkPassword(entries, password);
    const json = encryptPair(pair, password);
    const entry = { address: pairFromKeystore(json).address, json };
    if (!(await this.#vault.add(entry))) throw invalid('This account is already in Dark Wallet.');
    if (entries.length === 0) await this.#session.open([pair]);
    else await this.#session.add(pair);
    this.#changes.emit('accounts');
    return accountView(entry);
  }

  /** The first account sets the wallet password; later ones must come with it, unlocked. */
  async #checkPassword(entries: VaultEntry[], password: string): Promise<void> {
    if (entries.length === 0) {
      if (password.length < MIN_PASSWORD_LENGTH) throw invalid(`Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`);
    } else {
      if (!(await this.#session.isUnlocked())) throw locked();
      decryptKeystore(entries[0].json, password);
    }
  }
}
