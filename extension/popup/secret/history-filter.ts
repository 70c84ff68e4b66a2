/** The history screen's filters (pure): by asset, by kind of operation, by status. */
import type { HistoryKind } from '../../../shared/protocol/ledger';
import type { SecretActivityView } from '../../messages/types';

export type StatusFilter = 'all' | 'applied' | 'failed' | 'underWay';

export interface HistoryFilter {
  /** An asset number, or null for every asset. */
  asset: number | null;
  kind: HistoryKind | 'all';
  status: StatusFilter;
}

export const NO_FILTER: HistoryFilter = { asset: null, kind: 'all', status: 'all' };

const statusGroup = (a: SecretActivityView): StatusFilter =>
  a.status === 'applied' ? 'applied' : a.status === 'failed' ? 'failed' : 'underWay';

export function filterActivity(items: SecretActivityView[], f: HistoryFilter): SecretActivityView[] {
  return items.filter((a) =>
    (f.asset === null || a.asset === f.asset)
    && (f.kind === 'all' || a.kind === f.kind)
    && (f.status === 'all' || statusGroup(a) === f.status));
}

/** The assets and kinds that occur in `items`, to offer as choices (no empty filter results to pick). */
export function filterChoices(items: SecretActivityView[]): { assets: { id: number; symbol: string }[]; kinds: HistoryKind[] } {
  const assets = new Map<number, string>();
  const kinds = new Set<HistoryKind>();
  for (const a of items) {
    if (a.asset !== null) assets.set(a.asset, a.symbol);
    kinds.add(a.kind);
  }
  return { assets: [...assets].sort(([x], [y]) => x - y).map(([id, symbol]) => ({ id, symbol })), kinds: [...kinds] };
}
