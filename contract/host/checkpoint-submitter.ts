/**
 * Submits the enclave's signed checkpoints (`phalaModule.submitCheckpoint`, DESIGN.md §11), unsigned
 * like receipts: the checkpoint authenticates itself, and no account of ours is linked to it. One at
 * a time, in order; a checkpoint the chain already has (a restart replays blocks and signs them
 * again) counts as done, and one the chain cannot take now is tried again later, a few times —
 * a missed checkpoint only delays the comparison until the next one.
 */
import type { ApiPromise } from '@polkadot/api';
import type {} from '../../shared/protocol/phala-augment';
import { ClientError } from '../../shared/client/errors';
import { submitAndWatch } from '../../shared/client/submit';
import type { SignedCheckpoint } from '../enclave';

const ATTEMPTS = 3;
const RETRY_AFTER_MS = 2000;

export class CheckpointSubmitter {
  #queue: SignedCheckpoint[] = [];
  #running: Promise<void> | null = null;
  #stopped = false;
  /** Ends a wait between attempts early (the submitter stops). */
  #wake: (() => void) | null = null;

  constructor(private readonly api: ApiPromise, private readonly log: (line: string) => void) {}

  submit(checkpoints: readonly SignedCheckpoint[]): void {
    if (this.#stopped) return;
    this.#queue.push(...checkpoints);
    this.#running ??= this.#drain().finally(() => { this.#running = null; });
  }

  async #drain(): Promise<void> {
    while (this.#queue.length && !this.#stopped) {
      const next = this.#queue.shift()!;
      await this.#submitOne(next);
    }
  }

  async #submitOne({ checkpoint: c, signature }: SignedCheckpoint): Promise<void> {
    const call = { contractId: c.contractId, blockNumber: c.blockNumber, blockHash: c.blockHash, stateRoot: c.stateRoot, worker: c.worker };
    for (let attempt = 1; attempt <= ATTEMPTS && !this.#stopped; attempt++) {
      try {
        await submitAndWatch(this.api, this.api.tx.phalaModule.submitCheckpoint(call, signature), null);
        return;
      } catch (e) {
        const reason = e instanceof ClientError ? (e.reason ?? e.code) : 'unknown error';
        if (/CheckpointAlreadySubmitted/.test(reason)) return;
        const retry = e instanceof ClientError && (e.code === 'Timeout' || /CheckpointOfFutureBlock/.test(reason));
        if (!retry || attempt === ATTEMPTS) {
          this.log(`checkpoint of block #${c.blockNumber} not recorded: ${reason}`);
          return;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, RETRY_AFTER_MS);
          this.#wake = () => { clearTimeout(timer); resolve(); };
        });
        this.#wake = null;
      }
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    this.#queue = [];
    await this.#running?.catch(() => {});
  }
}
