/**
 * Follows the chain's finalized blocks and hands each run, as raw bytes, to the enclave, which
 * verifies it (light client) before anything reaches the ledger. The host is a plain fetcher: it
 * decides nothing about a block's content. Refusals are handled without a loop:
 *   - a transport failure (chain down, no answer in time) is retried after `retryAfterFailureMs`;
 *   - a light-client refusal changed nothing: the run is fetched once more (a torn read, a
 *     reorganised proxy) and, refused again, following stops and `/health` reports the typed reason.
 */
import { LightClientError, type BlockInput, type BlockResult, type LightClientErrorCode } from '../enclave';
import { DarkWalletError } from '../../shared/errors';
import type { ChainReader } from './chain-reader';
import { WorkerError } from './errors';

export interface FollowerTimings {
  /** A request sent while the socket reconnects can stay unanswered forever: a read that takes longer fails and is retried. */
  readDeadlineMs: number;
  /** Pause after a transport failure before reading again (a dropped connection fails every read at once). */
  retryAfterFailureMs: number;
  /** Belt and braces across chain restarts: the finalized head is also polled this often. */
  pollFinalizedMs: number;
}

export const FOLLOWER_TIMINGS: FollowerTimings = { readDeadlineMs: 20_000, retryAfterFailureMs: 1000, pollFinalizedMs: 2000 };

/** Runs end at the first block with a justification; a longer stretch without one is read in pieces. */
const MAX_RUN = 256;

export type FollowStatus =
  | { state: 'following' }
  | { state: 'stopped'; reason: LightClientErrorCode; block: number };

/** What the follower feeds: the `Enclave`, or a joining worker's `KeyReceiver` (light client only). */
export interface FollowedEnclave<R> {
  readonly lastBlock: number;
  ingest(blocks: readonly BlockInput[]): Promise<R>;
}

export interface FollowerDeps<R> {
  reader: ChainReader;
  enclave: FollowedEnclave<R>;
  /** Called after each accepted run: persist, relay its receipts, notify queries. */
  onBlocks: (result: R, lastBlock: number) => void;
  log: (line: string) => void;
}

export class FollowingStopped extends DarkWalletError {}

export class BlockFollower<R = BlockResult> {
  #target = 0;
  #running: Promise<void> | null = null;
  #retry: NodeJS.Timeout | null = null;
  #poll: NodeJS.Timeout | null = null;
  #closed = false;
  #status: FollowStatus = { state: 'following' };
  readonly #waiters: { block: number; resolve: () => void; reject: (e: Error) => void }[] = [];

  constructor(private readonly deps: FollowerDeps<R>, private readonly timings: FollowerTimings = FOLLOWER_TIMINGS) {}

  get status(): FollowStatus {
    return this.#status;
  }

  /** Starts polling the finalized head (heads pushed by a subscription go to `raise`). */
  start(): void {
    this.#poll = setInterval(() => {
      this.deps.reader.finalizedNumber().then((n) => this.raise(n), () => {});
    }, this.timings.pollFinalizedMs);
  }

  /** The chain finalized up to `number`: follow it there. */
  raise(number: number): void {
    this.#target = Math.max(this.#target, number);
    this.#kick();
  }

  /** Resolves once the enclave has accepted `block`; rejects if following stopped before. */
  processed(block: number): Promise<void> {
    if (this.deps.enclave.lastBlock >= block) return Promise.resolve();
    if (this.#status.state === 'stopped') return Promise.reject(this.#stoppedError());
    return new Promise((resolve, reject) => this.#waiters.push({ block, resolve, reject }));
  }

  async stop(): Promise<void> {
    this.#closed = true;
    if (this.#poll) clearInterval(this.#poll);
    if (this.#retry) clearTimeout(this.#retry);
    await this.#running?.catch(() => {});
  }

  #kick(): void {
    if (this.#closed || this.#status.state === 'stopped' || this.#running || this.#retry) return;
    this.#running = this.#follow().then(() => true, (e: unknown) => {
      this.deps.log(`reading blocks failed: ${e instanceof DarkWalletError ? e.code : e instanceof Error ? e.name : 'error'}; retrying`);
      this.#retry = setTimeout(() => { this.#retry = null; this.#kick(); }, this.timings.retryAfterFailureMs);
      return false;
    }).then((ok) => {
      this.#running = null;
      // After a failure only the timer retries: kicking at once would spin and starve the event loop.
      if (ok && this.deps.enclave.lastBlock < this.#target) this.#kick();
    });
  }

  async #follow(): Promise<void> {
    const { enclave } = this.deps;
    while (!this.#closed && this.#status.state === 'following' && enclave.lastBlock < this.#target) {
      const from = enclave.lastBlock + 1;
      const run = await this.#readRun(from);
      if (run.length === 0) return; // nothing justified yet: a later finalized head brings the justification
      const result = await this.#ingestOrRefetch(from, run);
      if (result === null) return;
      this.deps.onBlocks(result, enclave.lastBlock);
      for (let i = this.#waiters.length - 1; i >= 0; i--) if (this.#waiters[i].block <= enclave.lastBlock) this.#waiters.splice(i, 1)[0].resolve();
    }
  }

  /** Consecutive blocks from `from`, ending at the first that carries a justification (none: empty). */
  async #readRun(from: number): Promise<BlockInput[]> {
    const run: BlockInput[] = [];
    for (let n = from; n <= this.#target && run.length < MAX_RUN; n++) {
      const block = await withDeadline(this.deps.reader.block(n), this.timings.readDeadlineMs);
      run.push(block);
      if (block.justification !== null) return run;
    }
    return [];
  }

  /** The enclave's result, or null once a run was refused twice and following stopped. */
  async #ingestOrRefetch(from: number, run: BlockInput[]): Promise<R | null> {
    try {
      return await this.deps.enclave.ingest(run);
    } catch (first) {
      if (!(first instanceof LightClientError)) throw first;
      this.deps.log(`block #${from} refused (${first.code}); fetching it again`);
    }
    const again = await this.#readRun(from);
    try {
      return await this.deps.enclave.ingest(again);
    } catch (second) {
      if (!(second instanceof LightClientError)) throw second;
      this.#status = { state: 'stopped', reason: second.code, block: from };
      this.deps.log(`block #${from} refused again (${second.code}): stopped following the chain`);
      for (const w of this.#waiters.splice(0)) w.reject(this.#stoppedError());
      return null;
    }
  }

  #stoppedError(): FollowingStopped {
    const s = this.#status;
    return new FollowingStopped('FollowingStopped', s.state === 'stopped' ? `The enclave refused block ${s.block} twice (${s.reason}).` : 'Following stopped.');
  }
}

function withDeadline<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WorkerError('ChainTimeout', 'The chain did not answer in time.')), ms);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}
