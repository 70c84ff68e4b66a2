import { useCallback, useEffect, useState } from 'preact/hooks';
import type { WalletState } from '../messages/types';
import { subscribe } from './messaging';

/** The wallet state the background pushes; null until the first answer. */
export function useWalletState(): WalletState | null {
  const [state, setState] = useState<WalletState | null>(null);
  useEffect(() => subscribe('pri(wallet.subscribe)', null, setState), []);
  return state;
}

export interface Action<A extends unknown[]> {
  run: (...args: A) => Promise<void>;
  busy: boolean;
  error: string | null;
  clearError: () => void;
}

/** Runs a user action once at a time and keeps its error sentence for display. */
export function useAction<A extends unknown[]>(fn: (...args: A) => Promise<unknown>): Action<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (...args: A) => {
    setBusy(true);
    setError(null);
    try {
      await fn(...args);
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Something went wrong. Try again.');
    } finally {
      setBusy(false);
    }
  }, [fn]);
  return { run, busy, error, clearError: () => setError(null) };
}

/** Loads once (and again when `deps` change); keeps the error sentence. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { value: T | null; error: string | null; reload: () => void } {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setError(null);
    load().then((v) => live && setValue(v), (e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { value, error, reload: () => setTick((t) => t + 1) };
}
