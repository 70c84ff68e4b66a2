/** Small inline-SVG charts of each secret asset's balance over the blocks of the account's own history. */
import { displayUnits } from '../../../shared/units';
import type { SecretActivityView, SecretBalanceView } from '../../messages/types';
import { balanceSeries, stepPath, type BalanceSeries } from './balance-chart';

const W = 300;
const H = 60;

export function BalanceCharts({ history, balances, asset }: { history: SecretActivityView[]; balances: SecretBalanceView[]; asset: number | null }) {
  const series = balanceSeries(history, balances).filter((s) => asset === null || s.asset === asset);
  if (series.length === 0) return null;
  return (
    <section class="charts" data-testid="balance-charts">
      {series.map((s) => <Chart key={s.asset} s={s} />)}
    </section>
  );
}

function Chart({ s }: { s: BalanceSeries }) {
  const first = s.points[0];
  const last = s.points[s.points.length - 1];
  const max = s.points.reduce((m, p) => (p.balance > m ? p.balance : m), 0n);
  return (
    <figure class="chart" data-testid="balance-chart" data-asset={s.asset} data-points={s.points.map((p) => `${p.block}:${p.balance}`).join(' ')}>
      <figcaption>
        <strong>{s.symbol}</strong>
        <span class="muted small">now {displayUnits(last.balance, s.decimals)} · peak {displayUnits(max, s.decimals)}</span>
      </figcaption>
      <svg viewBox={`-2 -2 ${W + 4} ${H + 4}`} width="100%" height={H + 4} role="img"
        aria-label={`${s.symbol} balance from block ${first.block} to ${last.block}`} preserveAspectRatio="none">
        <line x1="0" y1={H} x2={W} y2={H} class="chart-axis" />
        <path d={stepPath(s.points, W, H)} class="chart-line" vector-effect="non-scaling-stroke" />
      </svg>
      <div class="chart-range muted small"><span>block #{first.block}</span><span>now (#{last.block})</span></div>
    </figure>
  );
}
