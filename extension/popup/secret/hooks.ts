/** State the secret-asset screens share: the chosen account, the followed operations, view toggles. */
import { useEffect, useState } from 'preact/hooks';
import type { AccountView, SecretOperationView } from '../../messages/types';
import { subscribe } from '../messaging';

const ACCOUNT_KEY = 'dark-wallet.secret.account';
const HIDE_ZERO_KEY = 'dark-wallet.secret.hideZero';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // storage unavailable: the choice lasts until the popup closes
  }
}

/**
 * The account whose secret assets the home screen shows. Only its address is remembered (in the
 * popup's own storage): it is already shown in the account list, so it is no secret.
 */
export function useSecretAccount(accounts: AccountView[]): [string | null, (address: string) => void] {
  const [chosen, setChosen] = useState<string | null>(() => read(ACCOUNT_KEY));
  const address = accounts.some((a) => a.address === chosen) ? chosen : accounts[0]?.address ?? null;
  return [address, (a: string) => {
    write(ACCOUNT_KEY, a);
    setChosen(a);
  }];
}

export function useHideZero(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(() => read(HIDE_ZERO_KEY) === '1');
  return [on, (v: boolean) => {
    write(HIDE_ZERO_KEY, v ? '1' : '0');
    setOn(v);
  }];
}

/** The operations the background follows; pushed again on every status change. Null until the first answer. */
export function useOperations(): SecretOperationView[] | null {
  const [ops, setOps] = useState<SecretOperationView[] | null>(null);
  useEffect(() => subscribe('pri(dark.operations)', null, setOps), []);
  return ops;
}

/** A key that changes whenever an operation of `address` changes status: reload balances and history on it. */
export function operationsKey(ops: SecretOperationView[] | null, address: string | null): string {
  return (ops ?? []).filter((o) => o.address === address || o.to === address).map((o) => `${o.id}:${o.status}`).join();
}

/** Calls `tick` every `ms` while the screen is open (incoming transfers appear without a signal). */
export function useEvery(ms: number, tick: () => void): void {
  useEffect(() => {
    const timer = setInterval(tick, ms);
    return () => clearInterval(timer);
  }, [ms]);
}
