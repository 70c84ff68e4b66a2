/**
 * DarkClient: the one SDK the extension, the tests and the CLI use to drive secret assets.
 * Commands are sealed here (never in a web page), pushed as opaque `phalaModule.pushCommand`
 * extrinsics — or, with `relayUrl`, signed by the user and handed to a relayer that pushes them from
 * its own account (DESIGN.md §12) — and followed until the worker has applied them.
 */
import type { ApiPromise } from '@polkadot/api';
import type { SignerOptions } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import { commandRef } from '../protocol/refs';
import { sealCommand } from '../crypto/envelope';
import type { SecretCommand } from '../protocol/command';
import type { PermitId, SignedPermit } from '../protocol/permit';
import { auditWith, signPermit, type AuditView, type PermitGrant } from './permits';
import { isIssuableSymbol, SYMBOL_RULE_TEXT } from '../protocol/rules';
import type { AssetInfo, HistoryEntry, WithdrawReceipt } from '../protocol/ledger';
import { readCheckpointStatus, type CheckpointStatus } from './checkpoint-status';
import { MAX_HISTORY_PAGE, type Query } from '../protocol/query';
import { NATIVE_ASSET, toHex, type AccountId, type Amount, type AssetId, type Hash } from '../types';
import { existentialDeposit } from './chain-constants';
import { readContractState, trustContract, type TrustedContract } from './contract';
import { ClientError } from './errors';
import { ensurePublicFunds } from './funds';
import { ledgerReason } from './reasons';
import { expectResponse, QueryChannel, requestOnce, type AccountQueries } from './query-channel';
import { accountOf } from './account';
import { sealRelayed } from './relayed';
import { RelayTransport } from './relay-transport';
import { submitAndWatch, type Included } from './submit';
import { WorkerTransport, type FetchLike, type WorkerHealth } from './transport';
import { isTransportFailure, WorkerPool } from './worker-pool';
import { trustWorkers, type WorkerSet } from './worker-set';

export interface DarkClientOptions {
  api: ApiPromise;
  /**
   * Pins the client to this one worker endpoint (an operator's own worker, a test's): the chain's
   * worker list is then not used. Without it, queries go to the contract's attested workers that
   * published an endpoint on chain (worker-set.ts), spread and failed over (worker-pool.ts).
   */
  workerUrl?: string;
  /** The contract to use (configuration: the worker serves one contract id). */
  contractId: number;
  /** A command relayer (`POST /relay`): secret commands go through it, paid in secret PHA. */
  relayUrl?: string;
  fetch?: FetchLike;
  /** Signer options for every transaction it signs (the extension: CheckMetadataHash mode 1 and the hash). */
  signing?: () => Promise<Partial<SignerOptions>>;
}

/** An operation as the balance checks see it: a deposit of public funds, or a secret command. */
export type Operation = { kind: 'Deposit'; amount: Amount } | SecretCommand;

/**
 * `push` options. `preflight: false` skips the balance checks and sends what the ledger will refuse
 * (tests of the ledger's own refusals need that; nothing else should).
 */
export interface PushOptions {
  preflight?: boolean;
}

/** What a secret command takes from the sender's secret balance (Withdraw always moves asset 0). */
function secretSpend(c: SecretCommand): { asset: AssetId; amount: Amount } | null {
  switch (c.kind) {
    case 'Transfer':
    case 'Burn':
      return { asset: c.asset, amount: c.amount };
    case 'Withdraw':
      return { asset: NATIVE_ASSET, amount: c.amount };
    case 'Issue':
    case 'Mint':
    case 'RevokePermit':
      return null;
  }
}

/** A command or deposit the chain has finalized; `waitFor` follows it into the secret ledger. */
export interface Submitted extends Included {
  kind: 'deposit' | 'command';
  sender: AccountId;
  /** For commands: blake2-256 of the envelope (the chain's `CommandPushed.payloadHash`). */
  ref: Hash | null;
}

/** A worker the client may ask: its endpoint, and the identity the chain vouches for (null for a configured URL). */
export interface PoolWorker {
  readonly key: string;
  readonly transport: WorkerTransport;
  readonly identityPub: Uint8Array | null;
}

const endpointKey = (url: string) => url.replace(/\/+$/, '');

function poolWorkers(set: WorkerSet, opts: Pick<DarkClientOptions, 'workerUrl' | 'fetch'>): PoolWorker[] {
  if (opts.workerUrl !== undefined) return [{ key: endpointKey(opts.workerUrl), transport: new WorkerTransport(opts.workerUrl, opts.fetch), identityPub: null }];
  const fromChain = set.trusted.map((w): PoolWorker => ({ key: endpointKey(w.url), transport: new WorkerTransport(w.url, opts.fetch), identityPub: w.identityPub }));
  // Two workers publishing one URL are one endpoint to ask.
  return fromChain.filter((w, i, all) => all.findIndex((o) => o.key === w.key) === i);
}

export class DarkClient {
  /** Query sessions per (worker, account): each worker keeps its own session table. */
  readonly #channels = new Map<string, QueryChannel>();
  /** Per account: the last relayed push (one at a time keeps nonces in order) and the next nonce it knows of. */
  readonly #relayTail = new Map<AccountId, Promise<unknown>>();
  readonly #relayNext = new Map<AccountId, bigint>();

  #workerSet: WorkerSet;

  private constructor(
    readonly api: ApiPromise,
    readonly contract: TrustedContract,
    workerSet: WorkerSet,
    readonly pool: WorkerPool<PoolWorker>,
    readonly relay: RelayTransport | null,
    readonly signing: () => Promise<Partial<SignerOptions>>,
    private readonly opts: DarkClientOptions,
  ) {
    this.#workerSet = workerSet;
  }

  /** Reads the contract and its workers from chain and verifies them before anything is sealed or asked. */
  static async connect(opts: DarkClientOptions): Promise<DarkClient> {
    const state = await readContractState(opts.api, opts.contractId);
    const contract = trustContract(state);
    const workers = trustWorkers(state, contract);
    const relay = opts.relayUrl ? new RelayTransport(opts.relayUrl, opts.fetch) : null;
    const pool = new WorkerPool(poolWorkers(workers, opts));
    return new DarkClient(opts.api, contract, workers, pool, relay, opts.signing ?? (async () => ({})), opts);
  }

  /** The contract's workers as last read from chain: those verified, and those left out with the reason. */
  get workerSet(): WorkerSet {
    return this.#workerSet;
  }

  /**
   * Reads the worker list from chain again (a worker joined, or one published a new endpoint); returns
   * whether the endpoints asked changed. A changed contract key is not followed here: it is refused
   * by whoever checks the key (the extension's pin), and a new client connects to the new one.
   */
  async refreshWorkers(): Promise<boolean> {
    if (this.opts.workerUrl !== undefined) return false;
    const state = await readContractState(this.api, this.contract.contractId);
    if (!state.key || toHex(state.key.ecdhPub) !== toHex(this.contract.contractPub)) return false;
    this.#workerSet = trustWorkers(state, this.contract);
    const before = this.pool.members.map((m) => m.key).join(' ');
    const next = poolWorkers(this.#workerSet, this.opts);
    this.pool.replace(next);
    return next.map((m) => m.key).join(' ') !== before;
  }

  /** `task` on the next worker that answers; when none does, once more after re-reading the list from chain. */
  async #run<T>(task: (worker: PoolWorker) => Promise<T>): Promise<T> {
    try {
      return await this.pool.run(task);
    } catch (e) {
      if (!isTransportFailure(e) || !(await this.refreshWorkers().catch(() => false))) throw e;
      return this.pool.run(task);
    }
  }

  /** `/health` of the next worker that answers, and which one it was. */
  health(): Promise<WorkerHealth & { url: string }> {
    return this.#run(async (w) => ({ ...(await w.transport.health()), url: w.transport.url }));
  }

  /** Whether this contract's workers' checkpoints agree (DESIGN.md §11), as the chain records them. */
  checkpointStatus(): Promise<CheckpointStatus> {
    return readCheckpointStatus(this.api, this.contract.contractId);
  }

  // ---- commands -------------------------------------------------------------------------------

  /**
   * Public → secret native token: `transferToTee` into this contract's custody (who, how much and
   * which contract are public by nature). Only the named contract credits the deposit.
   */
  async convertToSecret(pair: KeyringPair, value: Amount): Promise<Submitted> {
    const tx = this.api.tx.phalaModule.transferToTee(this.contract.contractId, value);
    await ensurePublicFunds(this.api, tx, pair.address, value);
    const included = await submitAndWatch(this.api, tx, pair, undefined, await this.signing());
    return { ...included, kind: 'deposit', sender: accountOf(pair), ref: null };
  }

  /** Secret → public native token to any account; the worker relays the receipt to the chain. */
  async convertToPublic(pair: KeyringPair, args: { dest: AccountId; amount: Amount }): Promise<Submitted> {
    this.#ensurePayable(args.amount); // refused here, before a fee is paid for nothing
    return this.push(pair, { kind: 'Withdraw', dest: args.dest, amount: args.amount });
  }

  transfer(pair: KeyringPair, args: { asset: AssetId; dest: AccountId; amount: Amount }): Promise<Submitted> {
    return this.push(pair, { kind: 'Transfer', ...args });
  }

  issue(pair: KeyringPair, args: { symbol: string; name: string; decimals: number; supply: Amount }): Promise<Submitted> {
    // The ledger refuses other symbols (InvalidSymbol); say so before a fee is paid for nothing.
    if (!isIssuableSymbol(args.symbol)) {
      return Promise.reject(new ClientError('InvalidSymbol', `A token symbol is ${SYMBOL_RULE_TEXT}, like GOLD; choose another symbol.`));
    }
    return this.push(pair, { kind: 'Issue', ...args });
  }

  mint(pair: KeyringPair, args: { asset: AssetId; amount: Amount }): Promise<Submitted> {
    return this.push(pair, { kind: 'Mint', ...args });
  }

  burn(pair: KeyringPair, args: { asset: AssetId; amount: Amount }): Promise<Submitted> {
    return this.push(pair, { kind: 'Burn', ...args });
  }

  /** Revokes the sender's view permit `permit`: the ledger refuses every read with it from the next block. */
  revokePermit(pair: KeyringPair, permit: PermitId): Promise<Submitted> {
    return this.push(pair, { kind: 'RevokePermit', permit });
  }

  /** Signs a view permit for this chain and contract (nothing is sent: hand the permit to the auditor). */
  grantPermit(owner: KeyringPair, grant: PermitGrant): SignedPermit {
    return signPermit(owner, this.contract, grant);
  }

  /** Reads what `permit` grants, as `auditor` (the account the permit names), through its own query session. */
  audit(permit: SignedPermit, auditor: KeyringPair): Promise<AuditView> {
    return auditWith(this.channel(auditor), permit);
  }

  /** Seals `command` to the attested contract key, bound to this chain, contract and signer. */
  async sealFor(pair: KeyringPair, command: SecretCommand): Promise<Uint8Array> {
    const { genesisHash, contractId, contractPub } = this.contract;
    return sealCommand(contractPub, { genesisHash, contractId, signer: accountOf(pair) }, command);
  }

  /**
   * Seals, signs and submits `command`. First, unless `preflight` is false, refuses what must fail:
   * a secret balance below what the command takes (`InsufficientBalance`), or a public balance that
   * cannot pay the fee (`InsufficientFunds`) — so no fee is paid for a command the ledger refuses.
   */
  async push(pair: KeyringPair, command: SecretCommand, opts: PushOptions = {}): Promise<Submitted> {
    if (this.relay) return this.#pushRelayed(this.relay, pair, command, opts);
    const check = opts.preflight ?? true;
    if (check) await this.#ensureSecretFunds(pair, command);
    const envelope = await this.sealFor(pair, command);
    const tx = this.#pushTx(envelope);
    if (check) await ensurePublicFunds(this.api, tx, pair.address, 0n);
    const included = await submitAndWatch(this.api, tx, pair, undefined, await this.signing());
    return { ...included, kind: 'command', sender: accountOf(pair), ref: commandRef(envelope) };
  }

  /**
   * The relayed path: the user signs (relayer, nonce, fee, command) and the relayer pushes the sealed
   * envelope in its next batch; the user's account never appears on chain and needs no public PHA.
   * One relayed push per account at a time, so nonces reach the ledger in order.
   */
  #pushRelayed(relay: RelayTransport, pair: KeyringPair, command: SecretCommand, opts: PushOptions): Promise<Submitted> {
    const user = accountOf(pair);
    const run = (this.#relayTail.get(user) ?? Promise.resolve()).catch(() => undefined).then(async (): Promise<Submitted> => {
      const quote = await relay.quote();
      if (opts.preflight ?? true) await this.#ensureSecretFunds(pair, command, quote.fee);
      const nonce = await this.#nextRelayNonce(pair, user);
      const { genesisHash, contractId, contractPub } = this.contract;
      const envelope = await sealRelayed(pair, { genesisHash, contractId, contractPub, relayer: quote.relayer }, nonce, quote.fee, command);
      const landed = await relay.relay(envelope);
      this.#relayNext.set(user, nonce + 1n);
      return { ...landed, events: [], kind: 'command', sender: user, ref: commandRef(envelope) };
    });
    this.#relayTail.set(user, run);
    return run;
  }

  /** The ledger's next nonce, unless this client already used it in a batch the worker has not read yet. */
  async #nextRelayNonce(pair: KeyringPair, user: AccountId): Promise<bigint> {
    const r = await this.channel(pair).query({ kind: 'RelayNonce' });
    const known = expectResponse(r, 'RelayNonce').next;
    const used = this.#relayNext.get(user) ?? 0n;
    return known > used ? known : used;
  }

  /** The relay fee a relayed command would pay (null without a relayer). */
  async relayFee(): Promise<Amount | null> {
    return this.relay ? (await this.relay.quote()).fee : null;
  }

  /**
   * Refuses, with the sentence people read, an operation the balances show must fail (the checks
   * `convertToSecret` and `push` make before signing): for approval screens that warn in advance.
   * With a relayer, a secret command needs secret PHA for the fee (plus the amount when it moves PHA)
   * and no public balance; a relayer that does not answer refuses it (`RelayUnavailable`).
   */
  async ensureAffordable(pair: KeyringPair, op: Operation): Promise<void> {
    if (op.kind === 'Deposit') {
      await ensurePublicFunds(this.api, this.api.tx.phalaModule.transferToTee(this.contract.contractId, op.amount), pair.address, op.amount);
      return;
    }
    if (op.kind === 'Withdraw') this.#ensurePayable(op.amount);
    // Relayed: the relayer's fee comes out of secret PHA too, and no public balance is needed at all.
    if (this.relay) return this.#ensureSecretFunds(pair, op, (await this.relay.quote()).fee);
    await this.#ensureSecretFunds(pair, op);
    await ensurePublicFunds(this.api, this.#pushTx(await this.sealFor(pair, op)), pair.address, 0n);
  }

  // Hex, not Uint8Array: polkadot-js reads a Uint8Array `Bytes` argument as already length-prefixed.
  #pushTx(envelope: Uint8Array) {
    return this.api.tx.phalaModule.pushCommand(this.contract.contractId, toHex(envelope));
  }

  async #ensureSecretFunds(pair: KeyringPair, command: SecretCommand, fee = 0n): Promise<void> {
    const spend = secretSpend(command);
    if (fee > 0n && (await this.balanceOf(pair, NATIVE_ASSET)) < fee + (spend?.asset === NATIVE_ASSET ? spend.amount : 0n)) {
      throw new ClientError('InsufficientBalance', "The secret PHA balance cannot pay this and the relayer's fee, so the confidential contract would refuse it. Nothing was sent.");
    }
    if (spend && (await this.balanceOf(pair, spend.asset)) < spend.amount) {
      throw new ClientError('InsufficientBalance', 'The secret balance is lower than this amount, so the confidential contract would refuse it. Nothing was sent.');
    }
  }

  /** The chain cannot pay less than the existential deposit to a new account: the ledger refuses such a withdrawal (BelowMinimum). */
  #ensurePayable(amount: Amount): void {
    if (amount < existentialDeposit(this.api)) {
      throw new ClientError('BelowMinimum', 'That amount is below the smallest public transfer the chain allows; convert a larger amount.');
    }
  }

  // ---- reads ----------------------------------------------------------------------------------

  /** `pair`'s queries, on whichever worker answers (each worker with its own session). */
  channel(pair: KeyringPair): AccountQueries {
    return {
      query: (q) => this.#run((w) => this.#channelAt(w, pair).query(q)),
      signedQuery: (q, now) => this.#run((w) => this.#channelAt(w, pair).signedQuery(q, now)),
    };
  }

  #channelAt(worker: PoolWorker, pair: KeyringPair): QueryChannel {
    const key = `${worker.key} ${accountOf(pair)}`;
    let ch = this.#channels.get(key);
    if (!ch) {
      ch = new QueryChannel(worker.transport, this.contract, pair);
      this.#channels.set(key, ch);
    }
    return ch;
  }

  #ask = async <K extends 'Balances' | 'History' | 'Receipt'>(pair: KeyringPair, q: Query & { kind: K }) =>
    expectResponse(await this.channel(pair).query(q), q.kind);

  /** Through `pair`'s session when given (the worker then names the issuer of `pair`'s own tokens), else an anonymous public query. */
  async #read<K extends 'Assets' | 'AssetInfo'>(kind: K, q: Query & { kind: K }, pair?: KeyringPair) {
    const r = pair ? await this.channel(pair).query(q) : await this.#run((w) => requestOnce(w.transport, this.contract, { kind: 'Public', query: q }));
    return expectResponse(r, kind);
  }

  async balances(pair: KeyringPair): Promise<{ asset: AssetId; amount: Amount }[]> {
    return (await this.#ask(pair, { kind: 'Balances' })).balances;
  }

  async balanceOf(pair: KeyringPair, asset: AssetId): Promise<Amount> {
    return (await this.balances(pair)).find((b) => b.asset === asset)?.amount ?? (0n as Amount);
  }

  async history(pair: KeyringPair, from = 0, limit = MAX_HISTORY_PAGE): Promise<{ total: number; entries: HistoryEntry[] }> {
    const r = await this.#ask(pair, { kind: 'History', from, limit });
    return { total: r.total, entries: r.entries };
  }

  /** Every history entry, newest last. */
  async fullHistory(pair: KeyringPair): Promise<HistoryEntry[]> {
    const out: HistoryEntry[] = [];
    for (;;) {
      const page = await this.history(pair, out.length);
      out.push(...page.entries);
      if (page.entries.length === 0 || out.length >= page.total) return out;
    }
  }

  async receipt(pair: KeyringPair, seq: bigint): Promise<{ receipt: WithdrawReceipt; signature: Uint8Array } | null> {
    const r = await this.#ask(pair, { kind: 'Receipt', seq });
    return r.receipt && r.signature ? { receipt: r.receipt, signature: r.signature } : null;
  }

  /**
   * Every asset's public metadata. `issuer` is null except for the tokens `as` issued, and only when
   * asked as `as` (the worker tells the issuer to nobody else); without `as` the query is anonymous.
   */
  async assets(as?: KeyringPair): Promise<AssetInfo[]> {
    return (await this.#read('Assets', { kind: 'Assets' }, as)).assets;
  }

  /** One asset's public metadata, or null if there is none; `issuer` as for `assets`. */
  async assetInfo(asset: AssetId, as?: KeyringPair): Promise<AssetInfo | null> {
    return (await this.#read('AssetInfo', { kind: 'AssetInfo', asset }, as)).info;
  }

  // ---- following ------------------------------------------------------------------------------

  /** Resolves when a worker has processed `block` (polls /health with a short backoff). */
  async waitForBlock(block: number, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    await this.#run((w) => this.#reachedAt(w, block, deadline));
  }

  /**
   * Polls `worker`'s /health until it has processed `block`. With other workers to ask, one that does
   * not answer is left to them at once; a lone worker is waited for (it may be restarting).
   */
  async #reachedAt(worker: PoolWorker, block: number, deadline: number): Promise<void> {
    let delay = 20;
    for (;;) {
      try {
        if ((await worker.transport.health()).lastBlock >= block) return;
      } catch (e) {
        if (this.pool.members.length > 1 && isTransportFailure(e)) throw e;
        if (Date.now() > deadline) throw e;
      }
      if (Date.now() > deadline) throw new ClientError('Timeout', 'The worker did not reach the block in time.');
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 250);
    }
  }

  /**
   * Waits until the worker applied `submitted`, then returns the sender's history entry for it.
   * A failed command resolves too (entry.outcome.ok === false) unless `throwOnFailure` is set.
   * Rejects with `Timeout` when the worker does not reach the block in time, and with `NotFound`
   * when it has processed the block but holds no entry for the operation.
   */
  async waitFor(pair: KeyringPair, submitted: Submitted, opts: { timeoutMs?: number; throwOnFailure?: boolean } = {}): Promise<HistoryEntry> {
    const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
    // The worker that reached the block is the one asked for the entry: another may not be there yet.
    const entry = await this.#run(async (w) => {
      await this.#reachedAt(w, submitted.blockNumber, deadline);
      return this.#entryFor(this.#channelAt(w, pair), submitted);
    });
    if (!entry) {
      throw new ClientError('NotFound', `The worker processed block #${submitted.blockNumber} but has no record of this ${submitted.kind === 'deposit' ? 'deposit' : 'command'}.`);
    }
    if (opts.throwOnFailure && !entry.outcome.ok) {
      throw new ClientError('CommandFailed', `The confidential contract refused it: ${ledgerReason(entry.outcome.error)}`, entry.outcome.error);
    }
    return entry;
  }

  /**
   * The sender's entry for `submitted`. History is in block order, newest last, so it is read from
   * the newest page back only as far as the operation's block: what the wait costs grows with what
   * happened since, not with the account's whole past.
   */
  async #entryFor(channel: QueryChannel, submitted: Submitted): Promise<HistoryEntry | null> {
    const isIt = (e: HistoryEntry) =>
      e.block === submitted.blockNumber && (submitted.ref === null ? e.kind === 'Deposit' : e.ref === submitted.ref && e.kind !== 'RelayFee');
    const page = async (from: number, limit: number) => expectResponse(await channel.query({ kind: 'History', from, limit }), 'History');
    let end = (await page(0, 0)).total;
    while (end > 0) {
      const from = Math.max(0, end - MAX_HISTORY_PAGE);
      const { entries } = await page(from, end - from);
      const found = entries.find(isIt);
      if (found) return found;
      if (entries.length === 0 || entries[0].block < submitted.blockNumber) return null;
      end = from;
    }
    return null;
  }
}
