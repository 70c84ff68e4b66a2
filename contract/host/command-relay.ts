/**
 * The command relayer (DESIGN.md §12): takes users' sealed envelopes and pushes them from its own
 * account, so no user's account appears on chain. On a fixed interval it submits exactly one
 * `phalaModule.pushCommands` batch of exactly `batchSize` envelopes, filling the empty slots with
 * dummies sealed to the contract key, so the chain sees the same batch whether 0 or `batchSize`
 * users sent something. It pays the chain's fees in public PHA and earns its fee in secret PHA.
 *
 * It learns each sender's IP address and when they sent; never the command, the user or the fee
 * (those are sealed), and it cannot change them. Logs name batches by block only.
 */
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import { commandRef } from '../../shared/protocol/refs';
import type {} from '../../shared/protocol/phala-augment';
import { COMMAND_ENVELOPE_SIZE, MAX_COMMAND_BATCH } from '../../shared/constants';
import { DarkWalletError } from '../../shared/errors';
import { sealDummy, type RelayedSeal } from '../../shared/client/relayed';
import { submitAndWatch } from '../../shared/client/submit';
import { accountId, toHex, type Amount, type Hash } from '../../shared/types';

/** 0.01 secret PHA (12 decimals) per relayed command, unless configured. */
export const RELAY_FEE_DEFAULT = 10_000_000_000n;

export type RelayErrorCode = 'BadEnvelopeSize' | 'QueueFull' | 'Stopped' | 'BatchFailed';

export class RelayError extends DarkWalletError {
  declare readonly code: RelayErrorCode;
  constructor(code: RelayErrorCode, message: string) {
    super(code, message);
  }
}

/** What `GET /relay/quote` answers: what a user signs for (relayer, fee) and how batches look. */
export interface RelayQuote {
  relayer: string;
  fee: string;
  contractId: number;
  batchSize: number;
  intervalMs: number;
}

/** Where a relayed envelope landed: the batch's finalized block. */
export interface Relayed {
  ref: Hash;
  blockNumber: number;
  blockHash: string;
  extrinsicIndex: number;
}

export interface CommandRelayOptions {
  api: ApiPromise;
  pair: KeyringPair;
  contract: Omit<RelayedSeal, 'relayer'>;
  /** Secret PHA each relayed command pays this relayer. */
  fee: Amount;
  /** Envelopes in every batch (1 … MAX_COMMAND_BATCH). */
  batchSize?: number;
  /** One batch per interval. */
  intervalMs?: number;
  /** Envelopes waiting at most (beyond it: QueueFull). */
  maxQueue?: number;
  log?: (line: string) => void;
}

interface Waiting {
  envelope: Uint8Array;
  resolve(r: Relayed): void;
  reject(e: Error): void;
}

export class CommandRelay {
  readonly #o: Required<CommandRelayOptions>;
  readonly #seal: RelayedSeal;
  readonly #queue: Waiting[] = [];
  #timer: NodeJS.Timeout | null = null;
  #inFlight: Promise<void> | null = null;
  #stopped = false;

  constructor(opts: CommandRelayOptions) {
    const batchSize = opts.batchSize ?? 16;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_COMMAND_BATCH) {
      throw new RelayError('BatchFailed', `A batch holds 1 to ${MAX_COMMAND_BATCH} envelopes.`);
    }
    this.#o = { intervalMs: 500, maxQueue: 4096, log: () => {}, ...opts, batchSize };
    this.#seal = { ...opts.contract, relayer: accountId(opts.pair.publicKey) };
  }

  get quote(): RelayQuote {
    const { fee, batchSize, intervalMs } = this.#o;
    return { relayer: this.#seal.relayer, fee: fee.toString(), contractId: this.#seal.contractId, batchSize, intervalMs };
  }

  /** Starts the cadence: one batch per interval, dummies only when nobody sent anything. */
  start(): void {
    this.#timer ??= setInterval(() => this.#tick(), this.#o.intervalMs);
  }

  /** Resolves when the envelope's batch is finalized (the ledger's outcome is the user's to read). */
  relay(envelope: Uint8Array): Promise<Relayed> {
    if (this.#stopped) return Promise.reject(new RelayError('Stopped', 'The relayer is stopping.'));
    if (!(envelope instanceof Uint8Array) || envelope.length !== COMMAND_ENVELOPE_SIZE) {
      return Promise.reject(new RelayError('BadEnvelopeSize', `A command envelope is exactly ${COMMAND_ENVELOPE_SIZE} bytes.`));
    }
    if (this.#queue.length >= this.#o.maxQueue) return Promise.reject(new RelayError('QueueFull', 'The relayer is busy; try again shortly.'));
    return new Promise((resolve, reject) => this.#queue.push({ envelope: envelope.slice(), resolve, reject }));
  }

  get queued(): number {
    return this.#queue.length;
  }

  #tick(): void {
    // One batch on chain at a time keeps the relayer's own nonces in order; a tick that finds one
    // still in flight is skipped (the cadence slows, batches keep their size).
    if (this.#inFlight || this.#stopped) return;
    const batch = this.#queue.splice(0, this.#o.batchSize);
    this.#inFlight = this.#submit(batch).finally(() => { this.#inFlight = null; });
  }

  async #submit(batch: Waiting[]): Promise<void> {
    try {
      const dummies = await Promise.all(Array.from({ length: this.#o.batchSize - batch.length }, () => sealDummy(this.#seal)));
      const payloads = spread(batch.map((w) => w.envelope), dummies);
      const tx = this.#o.api.tx.phalaModule.pushCommands(this.#seal.contractId, payloads.map((p) => toHex(p)));
      const included = await submitAndWatch(this.#o.api, tx, this.#o.pair);
      if (batch.length > 0) this.#o.log(`relayed a batch in block #${included.blockNumber}`);
      for (const w of batch) {
        w.resolve({ ref: commandRef(w.envelope), blockNumber: included.blockNumber, blockHash: included.blockHash, extrinsicIndex: included.extrinsicIndex });
      }
    } catch (e) {
      this.#o.log(`a batch failed: ${e instanceof DarkWalletError ? e.code : 'unknown error'}`);
      for (const w of batch) w.reject(new RelayError('BatchFailed', 'The relayer could not get the batch on chain; send the operation again.'));
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#inFlight;
    for (const w of this.#queue.splice(0)) w.reject(new RelayError('Stopped', 'The relayer stopped before sending this.'));
  }
}

/**
 * Real envelopes take random slots among the dummies, so a position does not tell them apart, but
 * keep their arrival order: one account's relayed commands must reach the ledger in nonce order.
 */
function spread(real: Uint8Array[], dummies: Uint8Array[]): Uint8Array[] {
  const slots = Array.from({ length: real.length + dummies.length }, (_, i) => i);
  const random = new Uint32Array(slots.length);
  crypto.getRandomValues(random);
  for (let i = slots.length - 1; i > 0; i--) {
    const j = random[i] % (i + 1);
    [slots[i], slots[j]] = [slots[j], slots[i]];
  }
  const realSlots = new Set(slots.slice(0, real.length));
  let r = 0;
  let d = 0;
  return slots.map((_, i) => (realSlots.has(i) ? real[r++] : dummies[d++]));
}
