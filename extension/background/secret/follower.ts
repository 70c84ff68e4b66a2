/**
 * Follows included operations to the worker's verdict (`waitFor`): applied, or failed with the
 * ledger's reason. A worker or chain that does not answer is asked again a few times; after the last
 * automatic attempt the operation is `unconfirmed`, with the reason, until the user retries — it never
 * silently stays "included". A locked wallet is not a failure: following resumes at unlock.
 *
 * Also picks up what a stopped service worker left: `included` operations are followed again; ones
 * still `pending` cannot be known to have reached the chain, so they end with a sentence saying to
 * check the history (and their page, if still there, is told the same).
 */
import type { KeyringPair } from '@polkadot/keyring/types';
import type { Submitted } from '../../../shared/client/dark-client';
import { ledgerReason } from '../../../shared/client/reasons';
import type { Outcome } from '../../../shared/protocol/ledger';
import { isDeposit } from '../../../shared/protocol/operations';
import { accountId, type Hash } from '../../../shared/types';
import type { SecretOperationView } from '../../messages/types';
import type { SecretOperationResult } from '../../page/types';
import type { Accounts } from '../accounts/service';
import type { Delivery } from '../ports';
import { invalid } from '../validate';
import type { SecretGateway } from './gateway';
import { operationView, type OperationStore, type StoredOperation } from './operations';

/** How long one attempt to follow an included operation into the ledger waits for the worker. */
const FOLLOW_TIMEOUT_MS = 120_000;
const FOLLOW_RETRY_MS = 10_000;
export const MAX_AUTOMATIC_ATTEMPTS = 6;

const UNKNOWN_VERDICT = 'The operation is in a block, but Dark Wallet could not learn whether the confidential contract applied it. Check the secret history before sending it again.';

const RESTARTED = 'Dark Wallet was restarted before the chain confirmed this operation. Check your secret history (and balance) before sending it again.';

/** Runs `run` once after `ms` (a timer that does not keep Node alive; tests fire it themselves). */
export interface RetryTimer {
  after(ms: number, run: () => void): void;
}

export const realTimer: RetryTimer = {
  after(ms, run) {
    const timer = setTimeout(run, ms);
    (timer as { unref?: () => void }).unref?.();
  },
};

export interface FollowerDeps {
  gateway: SecretGateway;
  accounts: Accounts;
  ops: OperationStore;
  delivery: Delivery;
  timer: RetryTimer;
}

export class OperationFollower {
  readonly #d: FollowerDeps;
  /** Operations this service-worker instance is driving right now (submitting or following). */
  readonly #inHand = new Set<string>();
  /** Failed attempts to follow each operation (in memory: a restarted worker starts afresh). */
  readonly #attempts = new Map<string, number>();
  #retryScheduled = false;
  /** One pass of `resume` at a time, so two callers cannot end (and answer) the same operation twice. */
  #resuming: Promise<void> | null = null;

  constructor(deps: FollowerDeps) {
    this.#d = deps;
  }

  /** Marks an operation as driven here (before it is stored), so `resume` never takes it for a dead worker's. */
  hold(id: string): void {
    this.#inHand.add(id);
  }

  release(id: string): void {
    this.#inHand.delete(id);
  }

  /** Waits for the worker's verdict on an included operation; on trouble, tries again later or gives up with the reason. */
  async follow(op: StoredOperation, pair?: KeyringPair): Promise<void> {
    this.#inHand.add(op.id);
    try {
      const signer = pair ?? await this.#d.accounts.pair(op.address);
      const entry = await this.#d.gateway.run((client) => client.waitFor(signer, submittedOf(op), { timeoutMs: FOLLOW_TIMEOUT_MS }));
      const done = await this.#d.ops.update(op.id, () => (entry.outcome.ok
        ? { status: 'applied', ref: entry.ref, asset: entry.asset, reason: null, targets: [] }
        : { status: 'failed', ref: entry.ref, reason: ledgerReason(entry.outcome.error), targets: [] }));
      this.#attempts.delete(op.id);
      if (done) await this.#d.delivery.sendAll(op.targets, { response: verdict(done, entry.outcome) });
    } catch (e) {
      await this.#missed(op, e);
    } finally {
      this.#inHand.delete(op.id);
    }
  }

  async #missed(op: StoredOperation, e: unknown): Promise<void> {
    const err = await this.#d.gateway.explain(e);
    if (err.code === 'Locked') return; // resumed at unlock
    const attempts = (this.#attempts.get(op.id) ?? 0) + 1;
    if (attempts < MAX_AUTOMATIC_ATTEMPTS) {
      this.#attempts.set(op.id, attempts);
      this.#retryLater();
      return;
    }
    this.#attempts.delete(op.id);
    const stuck = await this.#d.ops.update(op.id, (o) => (o.status === 'included' ? { status: 'unconfirmed', reason: err.message, targets: [] } : {}));
    if (stuck?.status === 'unconfirmed') await this.#d.delivery.sendAll(op.targets, { error: { code: 'TransactionFailed', message: `${UNKNOWN_VERDICT} ${err.message}` } });
  }

  #retryLater(): void {
    if (this.#retryScheduled) return;
    this.#retryScheduled = true;
    this.#d.timer.after(FOLLOW_RETRY_MS, () => {
      this.#retryScheduled = false;
      void this.resume();
    });
  }

  /** The user asks again about an `unconfirmed` operation: it is `included` and followed afresh. */
  async retry(id: string): Promise<SecretOperationView> {
    const op = await this.#d.ops.update(id, (o) => (o.status === 'unconfirmed' ? { status: 'included', reason: null } : {}));
    if (!op) throw invalid('Dark Wallet no longer follows this operation. Check your secret history.');
    if (op.status === 'included' && !this.#inHand.has(id)) void this.follow(op);
    return operationView(op);
  }

  resume(): Promise<void> {
    this.#resuming ??= this.#resume().finally(() => { this.#resuming = null; });
    return this.#resuming;
  }

  async #resume(): Promise<void> {
    if ((await this.#d.accounts.status()) !== 'unlocked') return;
    for (const op of await this.#d.ops.list()) {
      if (this.#inHand.has(op.id)) continue;
      if (op.status === 'pending') {
        await this.#d.ops.update(op.id, () => ({ status: 'failed', reason: RESTARTED, targets: [] }));
        await this.#d.delivery.sendAll(op.targets, { error: { code: 'TransactionFailed', message: RESTARTED } });
      } else if (op.status === 'included') {
        void this.follow(op);
      }
    }
  }
}

/** What the page that asked for `op` resolves with: the ledger's verdict. */
function verdict(op: StoredOperation, outcome: Outcome): SecretOperationResult {
  const base = { block: op.block ?? 0, txHash: op.txHash ?? '', blockHash: op.blockHash ?? '', ref: op.ref ?? '' };
  return outcome.ok ? { status: 'applied', ...base } : { status: 'failed', error: outcome.error, reason: op.reason ?? ledgerReason(outcome.error), ...base };
}

/** What `waitFor` needs to find an included operation in the sender's history. */
function submittedOf(op: StoredOperation): Submitted {
  const deposit = isDeposit(op.op);
  return {
    kind: deposit ? 'deposit' : 'command',
    sender: accountId(op.address),
    ref: deposit ? null : (op.ref as Hash),
    blockHash: op.blockHash ?? '',
    blockNumber: op.block ?? 0,
    extrinsicIndex: op.extrinsicIndex ?? 0,
    events: [],
  };
}
