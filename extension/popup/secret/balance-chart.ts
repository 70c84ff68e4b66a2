/**
 * Each secret asset's balance over time, from the account's own history (pure). The balance now is
 * known (the worker's answer); walking the applied entries from the newest back gives the balance
 * after each of them, so no other source — and nobody else's data — is needed.
 */
import type { SecretActivityView, SecretBalanceView } from '../../messages/types';

export interface BalancePoint {
  block: number;
  /** Smallest units, after every applied entry of this block. */
  balance: bigint;
}

export interface BalanceSeries {
  asset: number;
  symbol: string;
  decimals: number;
  /** Oldest first; the first point is the balance before the oldest entry shown. */
  points: BalancePoint[];
}

/** How an entry changed its account's balance of `entry.asset`: only applied entries change anything. */
export function balanceDelta(a: SecretActivityView): bigint {
  if (a.status !== 'applied') return 0n;
  const amount = BigInt(a.amount);
  switch (a.kind) {
    case 'Deposit':
    case 'Issue':
    case 'Mint':
      return amount;
    case 'Withdraw':
    case 'Burn':
      return -amount;
    case 'RelayFee':
      return a.direction === 'In' ? amount : -amount;
    case 'Transfer':
      return a.direction === 'In' ? amount : a.direction === 'Out' ? -amount : 0n;
    case 'Invalid':
    case 'RevokePermit':
      return 0n;
  }
}

/** One series per asset that has applied entries with a block, in asset order. */
export function balanceSeries(history: SecretActivityView[], balances: SecretBalanceView[]): BalanceSeries[] {
  const out: BalanceSeries[] = [];
  for (const b of balances) {
    const entries = history
      .filter((a) => a.asset === b.id && a.block !== null && balanceDelta(a) !== 0n)
      .sort((x, y) => (y.block ?? 0) - (x.block ?? 0)); // newest first
    if (entries.length === 0) continue;
    let after = BigInt(b.amount);
    const points: BalancePoint[] = [];
    for (const a of entries) {
      const block = a.block ?? 0;
      if (points.length === 0 || points[points.length - 1].block !== block) points.push({ block, balance: after });
      after -= balanceDelta(a);
    }
    points.push({ block: (entries[entries.length - 1].block ?? 0) - 1, balance: after < 0n ? 0n : after });
    out.push({ asset: b.id, symbol: b.symbol, decimals: b.decimals, points: points.reverse() });
  }
  return out;
}

/**
 * An SVG step path through the points (the balance holds between blocks), scaled into `width` ×
 * `height` with 0..max on y and on x the blocks from the first point to one past the last, so the
 * balance now shows as a level rather than a drop at the edge.
 */
export function stepPath(points: BalancePoint[], width: number, height: number): string {
  if (points.length === 0) return '';
  const first = points[0].block;
  const span = points[points.length - 1].block + 1 - first;
  const max = points.reduce((m, p) => (p.balance > m ? p.balance : m), 0n);
  const x = (block: number) => round(((block - first) / span) * width);
  // bigint → number only after scaling into 0..1e6, so huge balances keep their proportions
  const y = (v: bigint) => round(height - (max === 0n ? 0 : Number((v * 1_000_000n) / max) / 1_000_000) * height);
  let d = `M${x(points[0].block)} ${y(points[0].balance)}`;
  for (const p of points.slice(1)) d += `H${x(p.block)}V${y(p.balance)}`;
  return `${d}H${width}`;
}

const round = (n: number) => Math.round(n * 10) / 10;
