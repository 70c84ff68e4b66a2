/**
 * Runs an operation the user decided on (typed in the popup, or approved from a page): records it,
 * seals and signs it with the unlocked key, submits it, and hands it to the follower for the worker's
 * verdict (which answers the waiting page). A refusal before inclusion answers the page here.
 */
import type { KeyringPair } from '@polkadot/keyring/types';
import type { Submitted } from '../../../shared/client/dark-client';
import { depositRef } from '../../../shared/protocol/refs';
import { accountId, amount as toAmount, assetId, fromHex, hash32 } from '../../../shared/types';
import { toWireError } from '../../messages/errors';
import type { SecretIntent, SecretOperationView } from '../../messages/types';
import type { Accounts } from '../accounts/service';
import type { Delivery, ReplyTarget } from '../ports';
import type { DarkBackend } from './backend';
import { ensureAffordable, notToSelf, operationFacts, popupIntent, type Facts, type PopupIntentInput } from './facts';
import type { OperationFollower } from './follower';
import type { SecretGateway } from './gateway';
import { operationView, type OperationStore, type StoredOperation } from './operations';

export interface RunnerDeps {
  gateway: SecretGateway;
  accounts: Accounts;
  ops: OperationStore;
  delivery: Delivery;
  follower: OperationFollower;
  now: () => number;
}

/** Where an operation came from: a page (and who waits for its answer), or the popup (origin null). */
export interface OperationSource {
  origin: string | null;
  targets: ReplyTarget[];
}

export class OperationRunner {
  readonly #d: RunnerDeps;

  constructor(deps: RunnerDeps) {
    this.#d = deps;
  }

  /** An operation from the popup; amounts as typed ("1.5"). Resolves once it is being submitted. */
  async submit(address: string, input: PopupIntentInput): Promise<SecretOperationView> {
    const pair = await this.#d.accounts.pair(address);
    await this.#d.gateway.client(); // an untrusted worker refuses before anything is parsed
    const intent = await popupIntent(this.#d.gateway, address, input);
    notToSelf(address, intent);
    const facts = await operationFacts(this.#d.gateway, intent);
    await ensureAffordable(this.#d.gateway, pair, intent); // a form error, not a failed history card
    return operationView(await this.start(pair, address, intent, facts, { origin: null, targets: [] }));
  }

  /** Records the operation, then submits it in the background of this call. */
  async start(pair: KeyringPair, address: string, intent: SecretIntent, facts: Facts, from: OperationSource): Promise<StoredOperation> {
    const op: StoredOperation = {
      id: `op.${crypto.randomUUID()}`, address, op: intent.op, status: 'pending', createdAt: this.#d.now(), origin: from.origin,
      ...facts, block: null, blockHash: null, txHash: null, ref: null, reason: null, atBlock: await this.#workerBlock(),
      targets: from.targets, extrinsicIndex: null, finishedAt: null,
    };
    this.#d.follower.hold(op.id);
    await this.#d.ops.add(op);
    void this.#submit(pair, op, intent);
    return op;
  }

  /** Where the worker is now (null when it cannot say): the operation's place in time until it has a block of its own. */
  async #workerBlock(): Promise<number | null> {
    try {
      return (await this.#d.gateway.health()).lastBlock;
    } catch {
      return null;
    }
  }

  async #submit(pair: KeyringPair, op: StoredOperation, intent: SecretIntent): Promise<void> {
    let submitted: Submitted;
    try {
      submitted = await this.#d.gateway.run((client) => send(client, pair, intent));
    } catch (e) {
      const err = await this.#d.gateway.explain(e);
      await this.#d.ops.update(op.id, () => ({ status: 'failed', reason: err.message, targets: [] }));
      this.#d.follower.release(op.id);
      await this.#d.delivery.sendAll(op.targets, { error: toWireError(err) });
      return;
    }
    const ref = submitted.ref ?? depositRef(hash32(fromHex(submitted.blockHash)), submitted.extrinsicIndex, submitted.sender, toAmount(op.amount));
    const txHash = await this.#d.gateway.txHash(submitted.blockHash, submitted.extrinsicIndex);
    const included = await this.#d.ops.update(op.id, () => ({
      status: 'included', block: submitted.blockNumber, blockHash: submitted.blockHash, extrinsicIndex: submitted.extrinsicIndex, txHash, ref,
    }));
    // The waiting page is answered by the follower, with the ledger's verdict.
    if (included) await this.#d.follower.follow(included, pair);
    else this.#d.follower.release(op.id);
  }
}

function send(client: DarkBackend, pair: KeyringPair, intent: SecretIntent): Promise<Submitted> {
  switch (intent.op) {
    case 'convertToSecret':
      return client.convertToSecret(pair, toAmount(intent.amount));
    case 'convertToPublic':
      return client.convertToPublic(pair, { dest: accountId(intent.to), amount: toAmount(intent.amount) });
    case 'transfer':
      return client.transfer(pair, { asset: assetId(intent.asset), dest: accountId(intent.to), amount: toAmount(intent.amount) });
    case 'issue':
      return client.issue(pair, { symbol: intent.symbol, name: intent.name, decimals: intent.decimals, supply: toAmount(intent.supply) });
  }
}
