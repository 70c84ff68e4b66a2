/** The wallet password part of every "add an account" form: set it (twice) once, confirm it afterwards. */
import { MIN_PASSWORD_LENGTH as MIN_PASSWORD } from '../../messages/constants';
import { Field } from '../components/Form';

export interface PasswordState {
  password: string;
  repeat: string;
}

/** The sentence to show when the fields cannot be submitted yet; null when they can. */
export function passwordProblem(first: boolean, { password, repeat }: PasswordState): string | null {
  if (!first) return password ? null : 'Enter your wallet password.';
  if (password.length < MIN_PASSWORD) return `Choose a password of at least ${MIN_PASSWORD} characters.`;
  if (password !== repeat) return 'The two passwords differ. Type the same password twice.';
  return null;
}

export function PasswordFields({ first, value, onChange }: { first: boolean; value: PasswordState; onChange: (v: PasswordState) => void }) {
  if (!first) {
    return <Field label="Wallet password" type="password" testid="password" value={value.password} onInput={(password) => onChange({ ...value, password })} />;
  }
  return (
    <>
      <Field label="New wallet password" type="password" testid="password" value={value.password}
        onInput={(password) => onChange({ ...value, password })} hint={`At least ${MIN_PASSWORD} characters. It unlocks every account in this wallet.`} />
      <Field label="Repeat the password" type="password" testid="password-repeat" value={value.repeat}
        onInput={(repeat) => onChange({ ...value, repeat })} />
      {value.password && value.repeat && <small class="field-problem">{passwordProblem(true, value)}</small>}
    </>
  );
}
