/**
 * Approve buttons arm only after the approval has been visible and focused for ARM_DELAY_MS, and
 * disarm whenever the window loses focus or is hidden. A page can open an approval window at a
 * moment of its choosing — under a double click, say — so a click that lands on Approve before the
 * user could have read the window must do nothing.
 */
import { useEffect, useState } from 'preact/hooks';

export const ARM_DELAY_MS = 500;

export function useArmed(delayMs = ARM_DELAY_MS): boolean {
  const [armed, setArmed] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const disarm = () => {
      clearTimeout(timer);
      timer = undefined;
      setArmed(false);
    };
    const consider = () => {
      if (document.visibilityState !== 'visible' || !document.hasFocus()) return disarm();
      timer ??= setTimeout(() => setArmed(true), delayMs);
    };
    consider();
    addEventListener('focus', consider);
    addEventListener('blur', disarm);
    document.addEventListener('visibilitychange', consider);
    return () => {
      clearTimeout(timer);
      removeEventListener('focus', consider);
      removeEventListener('blur', disarm);
      document.removeEventListener('visibilitychange', consider);
    };
  }, [delayMs]);
  return armed;
}
