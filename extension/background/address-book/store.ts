/**
 * The address book in `storage.local`: contacts the user named, and the last recipients of public
 * sends (public on the chain anyway). Recipients of secret operations are never written here: the
 * popup reads those from the account's own secret history, which stays with the worker.
 */
import type { AddressBookView, Contact } from '../../messages/types';
import { normalizeAddress } from '../accounts/address';
import { Store, isRecord, type StorageArea } from '../storage/store';
import { invalid } from '../validate';

export const MAX_CONTACTS = 200;
export const MAX_RECENT = 5;
const MAX_CONTACT_NAME = 32;

const EMPTY: AddressBookView = { contacts: [], recent: [] };

/** Keeps whatever stored items are still valid (the layout a future version reads may differ). */
function parse(raw: unknown): AddressBookView {
  if (!isRecord(raw)) return EMPTY;
  const contacts = (Array.isArray(raw.contacts) ? raw.contacts : []).flatMap((c): Contact[] => {
    const address = isRecord(c) && typeof c.address === 'string' ? normalizeAddress(c.address) : null;
    return address && isRecord(c) && typeof c.name === 'string' ? [{ name: c.name.slice(0, MAX_CONTACT_NAME), address }] : [];
  });
  const recent = (Array.isArray(raw.recent) ? raw.recent : []).flatMap((a) => {
    const address = typeof a === 'string' ? normalizeAddress(a) : null;
    return address ? [address] : [];
  });
  return { contacts: contacts.slice(0, MAX_CONTACTS), recent: recent.slice(0, MAX_RECENT) };
}

function checkContact(name: unknown, address: unknown): Contact {
  const n = typeof name === 'string' ? name.trim() : '';
  if (!n || n.length > MAX_CONTACT_NAME) throw invalid(`Give the contact a name of 1 to ${MAX_CONTACT_NAME} characters.`);
  const a = typeof address === 'string' ? normalizeAddress(address.trim()) : null;
  if (!a) throw invalid('This is not a valid address. Copy it again from the contact.');
  return { name: n, address: a };
}

export class AddressBook {
  readonly #store: Store<AddressBookView>;

  constructor(local: StorageArea) {
    this.#store = new Store(local, 'addressBook', parse);
  }

  get(): Promise<AddressBookView> {
    return this.#store.get();
  }

  /** Adds a contact, or renames the one with that address. */
  save(name: unknown, address: unknown): Promise<AddressBookView> {
    const contact = checkContact(name, address);
    return this.#store.update((book) => {
      const others = book.contacts.filter((c) => c.address !== contact.address);
      if (others.length >= MAX_CONTACTS) throw invalid(`The address book holds at most ${MAX_CONTACTS} contacts. Remove one first.`);
      return { ...book, contacts: [...others, contact].sort((x, y) => x.name.localeCompare(y.name)) };
    });
  }

  remove(address: unknown): Promise<AddressBookView> {
    const a = typeof address === 'string' ? normalizeAddress(address) : null;
    return this.#store.update((book) => ({ ...book, contacts: book.contacts.filter((c) => c.address !== a) }));
  }

  /** A public send went out to `address`: it moves to the front of the recent recipients. */
  async noteRecent(address: string): Promise<void> {
    await this.#store.update((book) => ({ ...book, recent: [address, ...book.recent.filter((r) => r !== address)].slice(0, MAX_RECENT) }));
  }
}
