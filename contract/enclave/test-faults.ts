/**
 * TESTS ONLY — a worker that applies one command wrongly, so tests can show what a divergent worker
 * does (DESIGN.md §11: its checkpoints disagree, the chain raises CheckpointMismatch, it stops
 * relaying). Only `Enclave.testOnlyFaulty` takes these faults; no configuration, flag or sealed state
 * of a worker can turn them on.
 */
import type { SecretCommand } from '../../shared/protocol/command';
import type { PreparedItem } from './block';

export interface TestOnlyFaults {
  /** The first command of this kind (direct or relayed) is skipped, as if never sent; every other is applied. */
  skipFirstCommandOf: SecretCommand['kind'];
}

const kindOf = (it: PreparedItem): SecretCommand['kind'] | null =>
  it.kind === 'command' ? (it.command?.kind ?? null) : it.kind === 'relayed' ? it.relayed.command.kind : null;

/** Filters each block's items as the faulty enclave applies them. */
export class FaultInjector {
  #skipped = false;

  constructor(private readonly faults: TestOnlyFaults) {}

  apply(prepared: readonly PreparedItem[]): readonly PreparedItem[] {
    if (this.#skipped) return prepared;
    const i = prepared.findIndex((it) => kindOf(it) === this.faults.skipFirstCommandOf);
    if (i < 0) return prepared;
    this.#skipped = true;
    return [...prepared.slice(0, i), ...prepared.slice(i + 1)];
  }
}
