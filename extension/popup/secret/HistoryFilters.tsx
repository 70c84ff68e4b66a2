/** Filters above the secret history (asset, kind, status) and the CSV export of what they show. */
import type { HistoryKind } from '../../../shared/protocol/ledger';
import type { SecretActivityView } from '../../messages/types';
import { Download } from '../components/Download';
import { historyCsv } from './history-csv';
import { filterChoices, type HistoryFilter, type StatusFilter } from './history-filter';

const KIND_LABEL: Record<HistoryKind, string> = {
  Deposit: 'Convert to secret', Withdraw: 'Convert to public', Transfer: 'Transfers', Issue: 'Issued tokens', Mint: 'Mints', Burn: 'Burns', Invalid: 'Unreadable',
  RevokePermit: 'Permit revocations', RelayFee: 'Relay fees',
};
const STATUS_LABEL: Record<StatusFilter, string> = { all: 'Any status', applied: 'Applied', failed: 'Failed', underWay: 'Under way' };

export function HistoryFilters({ all, shown, filter, onChange, fileName }: {
  all: SecretActivityView[]; shown: SecretActivityView[]; filter: HistoryFilter; onChange: (f: HistoryFilter) => void; fileName: string;
}) {
  const { assets, kinds } = filterChoices(all);
  return (
    <div class="history-tools" data-testid="history-filters">
      <select data-testid="filter-asset" aria-label="Asset" value={filter.asset ?? ''} onChange={(e) => onChange({ ...filter, asset: e.currentTarget.value === '' ? null : Number(e.currentTarget.value) })}>
        <option value="">All assets</option>
        {assets.map((a) => <option key={a.id} value={a.id}>{a.symbol}</option>)}
      </select>
      <select data-testid="filter-kind" aria-label="Kind" value={filter.kind} onChange={(e) => onChange({ ...filter, kind: e.currentTarget.value as HistoryFilter['kind'] })}>
        <option value="all">Every kind</option>
        {kinds.map((k) => <option key={k} value={k}>{KIND_LABEL[k]}</option>)}
      </select>
      <select data-testid="filter-status" aria-label="Status" value={filter.status} onChange={(e) => onChange({ ...filter, status: e.currentTarget.value as StatusFilter })}>
        {(Object.keys(STATUS_LABEL) as StatusFilter[]).map((s) => <option key={s} value={s}>{STATUS_LABEL[s]}</option>)}
      </select>
      {shown.length > 0 && <Download text={historyCsv(shown)} type="text/csv" fileName={fileName} testid="history-csv">Export CSV</Download>}
    </div>
  );
}
