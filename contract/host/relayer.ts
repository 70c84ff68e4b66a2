/**
 * Submits `transferToChain` for every withdraw receipt the enclave signs, from the host's own
 * account, retrying until the chain has it — and never twice: before each attempt it asks the chain
 * whether that `seq` is already paid (the pallet refuses a reused seq anyway). The receipt names its
 * contract, and the pallet pays it from that contract's custody only.
 */
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import type {} from '../../shared/protocol/phala-augment';
import { ClientError } from '../../shared/client/errors';
import { submitAndWatch } from '../../shared/client/submit';
import type { SignedReceipt } from '../enclave';

export class Relayer {
  #queue: SignedReceipt[] = [];
  #running: Promise<void> | null = null;
  #stopped = false;

  constructor(
    private readonly api: ApiPromise,
    private readonly pair: KeyringPair,
    private readonly log: (line: string) => void,
    /** Called whenever a receipt is known paid, so the host can drop it from its snapshot. */
    private readonly onPaid: (seq: bigint) => void,
  ) {}

  get pending(): number {
    return this.#queue.length;
  }

  enqueue(receipts: readonly SignedReceipt[]): void {
    for (const r of receipts) if (!this.#queue.some((q) => q.receipt.seq === r.receipt.seq)) this.#queue.push(r);
    this.#running ??= this.#drain().finally(() => { this.#running = null; });
  }

  async isPaid(r: SignedReceipt): Promise<boolean> {
    return (await this.api.query.phalaModule.usedReceipts(r.receipt.contractId, r.receipt.seq)).isTrue;
  }

  async #drain(): Promise<void> {
    let delay = 500;
    while (this.#queue.length && !this.#stopped) {
      const next = this.#queue[0];
      try {
        if (!(await this.isPaid(next))) {
          const { receipt, signature } = next;
          const tx = this.api.tx.phalaModule.transferToChain(
            { contractId: receipt.contractId, seq: receipt.seq, dest: receipt.dest, amount: receipt.amount }, signature,
          );
          await submitAndWatch(this.api, tx, this.pair);
          this.log(`withdraw receipt #${receipt.seq} paid`);
        }
        this.#queue.shift();
        this.onPaid(next.receipt.seq);
        delay = 500;
      } catch (e) {
        if (this.#stopped) return;
        // The reason is a chain error name (e.g. PhalaModule.CustodyShort): safe to log, unlike amounts.
        const why = e instanceof ClientError ? e.reason ?? e.code : e instanceof Error ? e.name : 'unknown';
        this.log(`withdraw receipt #${next.receipt.seq} not paid yet (${why}); retrying in ${delay} ms`);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 10_000);
      }
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#running?.catch(() => {});
  }
}
