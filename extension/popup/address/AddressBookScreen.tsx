/** `#/contacts`: the named addresses every send form offers. */
import { useState } from 'preact/hooks';
import { AccountLine } from '../components/Account';
import { Button, ErrorNote, Field, Form, Notice } from '../components/Form';
import { Screen } from '../components/Screen';
import { useAction } from '../hooks';
import { sendMessage } from '../messaging';
import { useAddressBook } from './book';
import { addressProblem, checkAddress } from './ss58';

export function AddressBookScreen() {
  const book = useAddressBook();
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const problem = addressProblem(checkAddress(address));
  const add = useAction(async () => {
    await sendMessage('pri(addressBook.save)', { name: name.trim(), address: address.trim() });
    setName('');
    setAddress('');
    book.reload();
  });
  const remove = useAction(async (a: string) => {
    await sendMessage('pri(addressBook.remove)', { address: a });
    book.reload();
  });
  const contacts = book.value?.contacts ?? [];
  return (
    <Screen name="contacts" title="Address book" back={['settings']}>
      <Notice>Contacts are kept in this browser only. Every send form offers them, public and secret.</Notice>
      <ErrorNote error={book.error ?? remove.error} />
      {book.value && contacts.length === 0 && <p class="muted" data-testid="contacts-empty">No contacts yet.</p>}
      <ul class="accounts" data-testid="contacts">
        {contacts.map((c) => (
          <li key={c.address} class="card" data-testid="contact">
            <AccountLine account={c}>
              <Button kind="ghost" data-testid="contact-remove" onClick={() => void remove.run(c.address)}>Remove</Button>
            </AccountLine>
          </li>
        ))}
      </ul>
      <Form onSubmit={() => void add.run()}>
        <Field label="Name" testid="new-contact-name" value={name} onInput={setName} />
        <Field label="Address" testid="new-contact-address" value={address} onInput={setAddress} placeholder="5…" />
        {problem && <small class="field-problem" data-testid="address-problem">{problem}</small>}
        <ErrorNote error={add.error} />
        <Button type="submit" kind="secondary" data-testid="new-contact-save" busy={add.busy} disabled={!name.trim() || checkAddress(address) !== 'valid'}>Add contact</Button>
      </Form>
    </Screen>
  );
}
