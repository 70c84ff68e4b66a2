/** Shared benchmark helpers: measure rates and print the one `BENCH {json}` line a benchmark ends with. */

interface Measured {
  name: string;
  value: number;
  unit: string;
  /** Absolute goals the result must also meet (e.g. the README's "p50 < 10 ms"), each true or false. */
  mustMeet?: Record<string, boolean>;
  [extra: string]: unknown;
}

/** Compared with a bound measured in the same run: passes when value / bound ≥ goal. */
export interface BoundResult extends Measured {
  /** The comparison measured in the same run (never an absolute constant). */
  bound: number;
  /** The minimum acceptable value / bound. */
  goal: number;
}

/** Held to a fixed budget (a size limit, a required rate): nothing is measured to compare with. */
export interface BudgetResult extends Measured {
  budget: number;
  /** Whether the value must stay at most or reach at least the budget. */
  within: 'atMost' | 'atLeast';
}

export type BenchResult = BoundResult | BudgetResult;

/** Runs `fn` repeatedly for about `ms` and returns operations per second (after a short warm-up). */
export async function opsPerSecond(fn: () => unknown | Promise<unknown>, ms = 1500, batch = 1): Promise<number> {
  const warm = performance.now() + Math.min(300, ms / 4);
  while (performance.now() < warm) await fn();
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    await fn();
    ops += batch;
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}

const isBound = (r: BenchResult): r is BoundResult => !('budget' in r);

/** Prints the BENCH line and sets the exit code when the result misses its bound, budget or an absolute goal. */
export function report(r: BenchResult): void {
  const missed = Object.entries(r.mustMeet ?? {}).filter(([, met]) => !met).map(([goal]) => goal);
  let line: Record<string, unknown>;
  let pass: boolean;
  if (isBound(r)) {
    const ratio = r.value / r.bound;
    pass = ratio >= r.goal && missed.length === 0;
    line = { ...r, value: round(r.value), bound: round(r.bound), ratio: round(ratio) };
  } else {
    pass = (r.within === 'atMost' ? r.value <= r.budget : r.value >= r.budget) && missed.length === 0;
    line = { ...r, value: round(r.value), budget: round(r.budget) };
  }
  if (r.mustMeet) line.missed = missed;
  line.pass = pass;
  if (!pass) process.exitCode = 1;
  console.log(`BENCH ${JSON.stringify(line, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
}

const round = (x: number) => Math.round(x * 1000) / 1000;
