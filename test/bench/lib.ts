/** Shared benchmark helpers: measure rates and print the one `BENCH {json}` line a benchmark ends with. */

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The comparison measured in the same run (never an absolute constant). */
  bound: number;
  /** The minimum acceptable value / bound. */
  goal: number;
  [extra: string]: unknown;
}

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

/** Prints the BENCH line and sets the exit code when the ratio misses its goal. */
export function report(r: BenchResult): void {
  const ratio = r.value / r.bound;
  const line = { ...r, value: round(r.value), bound: round(r.bound), ratio: round(ratio), pass: ratio >= r.goal };
  if (!line.pass) process.exitCode = 1;
  console.log(`BENCH ${JSON.stringify(line, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
}

const round = (x: number) => Math.round(x * 1000) / 1000;
