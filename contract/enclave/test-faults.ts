/**
 * TESTS ONLY — a worker that applies one command wrongly, so tests can show what a divergent worker
 * does (DESIGN.md §11: its checkpoints disagree, the chain raises CheckpointMismatch, it stops
 * relaying). Only `Enclave.testOnlyFaulty` takes these faults; no configuration, flag or sealed state
 * of a worker can turn them on.
 */
import type { PreparedItem } from './block';

export interface TestOnlyFaults {
  /** The first command (direct or relayed) in a block at or after this number is skipped, as if never sent. */
  skipOneCommandFromBlock: number;
}

/** Filters each block's items as the faulty enclave applies them. */
export class FaultInjector {
  #skipped = false;

  constructor(private readonly faults: TestOnlyFaults) {}

  apply(prepared: readonly PreparedItem[]): readonly PreparedItem[] {
    if (this.#skipped) return prepared;
    const i = prepared.findIndex((it) => it.ctx.block >= this.faults.skipOneCommandFromBlock && (it.kind === 'command' || it.kind === 'relayed'));
    if (i < 0) return prepared;
    this.#skipped = true;
    return [...prepared.slice(0, i), ...prepared.slice(i + 1)];
  }
}
