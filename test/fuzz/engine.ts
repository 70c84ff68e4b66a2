/**
 * A small mutation fuzzer. Each target has seed inputs; cases are seeds mutated by bit flips, byte
 * overwrites, truncation, extension, splicing and interesting values, plus purely random inputs.
 * A target may throw only its typed errors (`accepts`); anything else, or a broken invariant, is a
 * failure reported with the input in hex so it can be replayed.
 */
export interface FuzzTarget {
  name: string;
  seeds: Uint8Array[];
  /** Runs one case. Throwing an error `accepts` admits is a clean rejection. */
  run(input: Uint8Array): void | Promise<void>;
  accepts(e: unknown): boolean;
  /** Checked after every case: state that must never change (e.g. a ledger's supply). */
  invariant?(): string | null;
  /** Releases what the target holds (servers, connections). */
  close?(): Promise<void>;
}

export const closeTargets = (targets: FuzzTarget[]) => Promise.all(targets.map((t) => t.close?.()));

export interface FuzzFailure {
  target: string;
  input: string;
  error: string;
}

export interface FuzzStats {
  cases: number;
  perTarget: Record<string, number>;
  failures: FuzzFailure[];
  seconds: number;
}

/** xorshift32: fast, and a seed makes any run reproducible. */
export class Rng {
  #s: number;
  constructor(seed: number) {
    this.#s = seed >>> 0 || 1;
  }
  next(): number {
    let x = this.#s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#s = x >>> 0;
    return this.#s;
  }
  below(n: number): number {
    return this.next() % n;
  }
}

const INTERESTING = [0x00, 0x01, 0x02, 0x03, 0x7f, 0x80, 0xfc, 0xfd, 0xfe, 0xff];

export function mutate(rng: Rng, seeds: Uint8Array[]): Uint8Array {
  const base = seeds[rng.below(seeds.length)];
  let out = base.slice();
  const rounds = 1 + rng.below(4);
  for (let r = 0; r < rounds; r++) {
    switch (rng.below(8)) {
      case 0: // flip a bit
        if (out.length) out[rng.below(out.length)] ^= 1 << rng.below(8);
        break;
      case 1: // overwrite a byte with something interesting
        if (out.length) out[rng.below(out.length)] = INTERESTING[rng.below(INTERESTING.length)];
        break;
      case 2: // random byte
        if (out.length) out[rng.below(out.length)] = rng.below(256);
        break;
      case 3: // truncate
        out = out.slice(0, rng.below(out.length + 1));
        break;
      case 4: { // extend with random bytes
        const extra = new Uint8Array(1 + rng.below(16));
        for (let i = 0; i < extra.length; i++) extra[i] = rng.below(256);
        const next = new Uint8Array(out.length + extra.length);
        next.set(out);
        next.set(extra, out.length);
        out = next;
        break;
      }
      case 5: { // splice with another seed
        const other = seeds[rng.below(seeds.length)];
        const cut = rng.below(Math.min(out.length, other.length) + 1);
        const next = out.slice();
        next.set(other.subarray(cut, Math.min(other.length, next.length)), cut);
        out = next;
        break;
      }
      case 6: // entirely random input of a nearby length
        out = new Uint8Array(rng.below(base.length + 32));
        for (let i = 0; i < out.length; i++) out[i] = rng.below(256);
        break;
      default: // duplicate a span (length-field confusion)
        if (out.length > 2) {
          const a = rng.below(out.length - 1);
          const len = 1 + rng.below(Math.min(8, out.length - a));
          const next = new Uint8Array(out.length + len);
          next.set(out.subarray(0, a + len));
          next.set(out.subarray(a, a + len), a + len);
          next.set(out.subarray(a + len), a + 2 * len);
          out = next;
        }
    }
  }
  return out;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Runs every target round-robin until the time is up (or `maxCases` reached). */
export async function fuzz(targets: FuzzTarget[], opts: { seconds: number; seed?: number; maxCases?: number; maxFailures?: number }): Promise<FuzzStats> {
  const rng = new Rng(opts.seed ?? Date.now());
  const stats: FuzzStats = { cases: 0, perTarget: {}, failures: [], seconds: 0 };
  for (const t of targets) stats.perTarget[t.name] = 0;
  const start = performance.now();
  const end = start + opts.seconds * 1000;
  const maxFailures = opts.maxFailures ?? 20;
  outer: while (performance.now() < end) {
    for (const t of targets) {
      // A burst per target amortises the clock check; slow targets get fewer cases, fast ones many.
      for (let i = 0; i < 64; i++) {
        const input = mutate(rng, t.seeds);
        const caseStart = performance.now();
        try {
          await t.run(input);
        } catch (e) {
          if (!t.accepts(e)) stats.failures.push({ target: t.name, input: hex(input), error: describe(e) });
        }
        if (performance.now() - caseStart > 2000) stats.failures.push({ target: t.name, input: hex(input), error: 'hang: one case took over 2 s' });
        const broken = t.invariant?.();
        if (broken) stats.failures.push({ target: t.name, input: hex(input), error: `invariant: ${broken}` });
        stats.cases++;
        stats.perTarget[t.name]++;
        if (stats.failures.length >= maxFailures || (opts.maxCases && stats.cases >= opts.maxCases)) break outer;
      }
      if (performance.now() >= end) break;
    }
  }
  stats.seconds = (performance.now() - start) / 1000;
  return stats;
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 300) : String(e).slice(0, 300);
}
