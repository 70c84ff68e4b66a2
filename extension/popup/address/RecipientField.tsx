/**
 * The recipient of every send form: checked as it is typed (SS58 checksum), with recent recipients,
 * contacts and our other accounts one click away, and "save as contact" for a new valid address.
 */
import { useState } from 'preact/hooks';
import type { AccountView, AddressBookView } from '../../messages/types';
import { Button, ErrorNote } from '../components/Form';
import { useAction } from '../hooks';
import { sendMessage } from '../messaging';
import { addressProblem, checkAddress } from './ss58';
import { knownName, suggestions } from './suggestions';

interface Props {
  label: string;
  value: string;
  onInput: (value: string) => void;
  testid: string;
  placeholder?: string;
  sender: string;
  accounts: AccountView[];
  /** Null while the address book loads. */
  book: AddressBookView | null;
  onBookChanged: () => void;
  recent: string[];
}

const SOURCE_TITLE = { recent: 'recent recipient', contact: 'contact', account: 'your account' } as const;

export function RecipientField({ label, value, onInput, testid, placeholder, sender, accounts, book, onBookChanged, recent }: Props) {
  const check = checkAddress(value);
  const problem = addressProblem(check);
  const typed = value.trim();
  const contacts = book?.contacts ?? [];
  const name = check === 'valid' ? knownName(typed, contacts, accounts) : null;
  const choices = suggestions(recent, contacts, accounts, sender);
  return (
    <div class="recipient">
      <label class="field">
        <span>{label}</span>
        <input type="text" autoComplete="off" spellcheck={false} data-testid={testid} value={value} placeholder={placeholder}
          aria-invalid={problem !== null} onInput={(e) => onInput(e.currentTarget.value)} />
        {problem && <small class="field-problem" data-testid="address-problem" data-check={check}>{problem}</small>}
        {check === 'valid' && <small class="ok-text" data-testid="address-ok">{name ? `✓ ${name}` : '✓ Valid address'}</small>}
      </label>
      {choices.length > 0 && (
        <div class="chips" data-testid="recipient-choices">
          {choices.map((c) => (
            <button type="button" class={`chip ${c.source}`} key={c.address} data-testid={`recipient-${c.label}`} data-source={c.source}
              title={`${SOURCE_TITLE[c.source]}: ${c.address}`} onClick={() => onInput(c.address)}>{c.label}</button>
          ))}
        </div>
      )}
      {check === 'valid' && !name && book && <SaveContact address={typed} onSaved={onBookChanged} />}
    </div>
  );
}

function SaveContact({ address, onSaved }: { address: string; onSaved: () => void }) {
  const [name, setName] = useState('');
  const save = useAction(async () => {
    await sendMessage('pri(addressBook.save)', { name: name.trim(), address });
    onSaved();
  });
  return (
    <div class="row small save-contact">
      <input type="text" data-testid="contact-name" placeholder="Name this address" value={name} onInput={(e) => setName(e.currentTarget.value)} />
      <Button kind="secondary" data-testid="contact-save" busy={save.busy} disabled={!name.trim()} onClick={() => void save.run()}>Save contact</Button>
      <ErrorNote error={save.error} />
    </div>
  );
}
