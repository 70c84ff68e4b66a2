/** Which secret balances the home screen lists: hide-zero and the search box (pure). */
import type { SecretBalanceView } from '../../messages/types';

/**
 * Secret PHA always shows (it is where conversions land); others hide at zero when asked. The search
 * matches the symbol or the name (any case) or the asset number (`7` or `#7`).
 */
export function visibleAssets(balances: SecretBalanceView[], { hideZero, query }: { hideZero: boolean; query: string }): SecretBalanceView[] {
  const q = query.trim().toLowerCase();
  return balances.filter((b) => {
    if (hideZero && b.amount === '0' && b.id !== 0) return false;
    if (!q) return true;
    return b.symbol.toLowerCase().includes(q) || b.name.toLowerCase().includes(q) || `#${b.id}` === q || String(b.id) === q;
  });
}
