/**
 * Secret assets in the background: balances and history through the account's query session (signed
 * inside the extension, answered by the worker, never by the chain), and the four operations — convert
 * to secret, convert to public, secret transfer, issue — sealed and signed here with the unlocked key,
 * then followed pending → included (block #N) → applied / failed.
 *
 * Pages reach the operations only through an approval request that shows the plaintext intent; the
 * page's promise resolves once the extrinsic is included, and the popup keeps following it to the
 * worker's verdict (`waitFor`), across closed popups and restarted service workers.
 */
import type { KeyringPair } from '@polkadot/keyring/types';
import type { Submitted } from '../../../shared/client/dark-client';
import { DEFAULT_CONTRACT_ID } from '../../../shared/constants';
import type { AssetInfo, HistoryEntry } from '../../../shared/protocol/ledger';
import { MAX_HISTORY_PAGE } from '../../../shared/protocol/query';
import { depositRef } from '../../../shared/protocol/refs';
import {
  accountId, accountIdToAddress, amount as toAmount, assetId, fromHex, hash32, toHex, type AccountId, type Hash,
} from '../../../shared/types';
import { displayUnits } from '../../../shared/units';
import { isUnderWay, operationActivity } from '../../messages/activity';
import { MAX_SECRET_READS_PER_ORIGIN } from '../../messages/constants';
import { WalletError, toWireError, type WireError } from '../../messages/errors';
import type {
  SecretActivityView, SecretAssetView, SecretBalanceView, SecretIntent, SecretOperationView, SecretRequestKind,
  SecretRequestView, SecretStatusView,
} from '../../messages/types';
import type { SecretBalance, SecretHistoryEntry, SecretOperationResult } from '../../page/types';
import type { Accounts } from '../accounts/service';
import type { Changes } from '../events';
import type { PageContext } from '../handlers/types';
import type { Delivery, ReplyTarget } from '../ports';
import type { PendingRequestOf, RequestQueue } from '../requests/queue';
import type { SettingsStore } from '../settings/store';
import type { Authorization } from '../sites/service';
import type { StorageArea } from '../storage/store';
import { integer, invalid, record } from '../validate';
import type { DarkBackend, DarkConnector } from './backend';
import { ledgerReason, secretError, workerUnavailable } from './errors';
import { optionalAddress, pageIntent, recipient, tokenDecimals, tokenName, tokenSymbol, typedAmount } from './intent';
import { OperationStore, operationView, type StoredOperation } from './operations';

export const SECRET_KIND_OF = {
  transfer: 'darkTransfer',
  convertToSecret: 'darkConvertToSecret',
  convertToPublic: 'darkConvertToPublic',
  issue: 'darkIssue',
} as const satisfies Record<SecretIntent['op'], SecretRequestKind>;

const OP_OF: Record<SecretRequestKind, SecretIntent['op']> = {
  darkTransfer: 'transfer', darkConvertToSecret: 'convertToSecret', darkConvertToPublic: 'convertToPublic', darkIssue: 'issue',
};

export type PendingSecretRequest = PendingRequestOf<SecretRequestKind>;

/** How long one attempt to follow an included operation into the ledger waits for the worker. */
const FOLLOW_TIMEOUT_MS = 120_000;
const FOLLOW_RETRY_MS = 10_000;
const MAX_AUTOMATIC_ATTEMPTS = 6;
/** The popup's history shows the newest entries. */
const HISTORY_SHOWN = MAX_HISTORY_PAGE;

const RESTARTED = 'Dark Wallet was restarted before the chain confirmed this operation. Check your secret history (and balance) before sending it again.';

/** What an operation moves, resolved before anything is sent. */
type Facts = Pick<SecretOperationView, 'asset' | 'symbol' | 'decimals' | 'amount' | 'to' | 'name'>;

export interface SecretDeps {
  connector: DarkConnector;
  accounts: Accounts;
  authorization: Authorization;
  queue: RequestQueue;
  delivery: Delivery;
  changes: Changes;
  settings: SettingsStore;
  session: StorageArea;
  now: () => number;
}

const assetView = (a: AssetInfo): SecretAssetView => ({
  id: a.id, symbol: a.symbol, name: a.name, decimals: a.decimals, issuer: a.issuer === null ? null : accountIdToAddress(a.issuer),
});

export class SecretService {
  readonly #d: SecretDeps;
  readonly #ops: OperationStore;
  /** Operations this service-worker instance is driving right now (submitting or following). */
  readonly #following = new Set<string>();
  /** Failed attempts to follow each operation; after a few, only the popup looking tries again. */
  readonly #attempts = new Map<string, number>();
  /** Secret reads in flight per page origin (in memory: a restarted service worker has none). */
  readonly #pageReads = new Map<string, number>();
  #retry: ReturnType<typeof setTimeout> | null = null;
  /** One pass of `resume` at a time, so two callers cannot end (and answer) the same operation twice. */
  #resuming: Promise<void> | null = null;

  constructor(deps: SecretDeps) {
    this.#d = deps;
    this.#ops = new OperationStore(deps.session, deps.now);
    deps.changes.on((topic) => {
      if (topic !== 'lock') return;
      void deps.accounts.status().then((status) => {
        // Locking drops the query sessions with the client: their keys are only ever in memory.
        if (status !== 'unlocked') deps.connector.reset();
        else void this.resume();
      });
    });
  }

  // ── status and reads ─────────────────────────────────────────────────────────────

  async status(): Promise<SecretStatusView> {
    const { chainEndpoint, workerEndpoint } = await this.#d.settings.get();
    const base = {
      chainEndpoint, workerEndpoint, contractId: DEFAULT_CONTRACT_ID, attestationLabel: null, hardwareProtected: false, workerBlock: null,
    };
    let client: DarkBackend;
    try {
      client = await this.#client();
    } catch (e) {
      const err = e as WalletError;
      return { ...base, state: err.code === 'UntrustedWorker' ? 'untrusted' : 'chainUnavailable', message: err.message };
    }
    const trusted = { ...base, contractId: client.contract.contractId, attestationLabel: client.contract.attestationLabel, hardwareProtected: client.contract.hardwareProtected };
    try {
      const health = await this.#d.connector.health();
      if (health.contractPub?.toLowerCase() !== toHex(client.contract.contractPub)) {
        return {
          ...trusted, state: 'untrusted', workerBlock: health.lastBlock,
          message: `The worker at ${workerEndpoint} does not hold the contract key attested on this chain, so Dark Wallet will not use it. Check the worker endpoint in Settings.`,
        };
      }
      return { ...trusted, state: 'verified', message: null, workerBlock: health.lastBlock };
    } catch {
      return { ...trusted, state: 'unreachable', message: workerUnavailable(workerEndpoint).message };
    }
  }

  async assets(): Promise<SecretAssetView[]> {
    return (await this.#assets(await this.#client())).map(assetView);
  }

  /** Every known asset with the account's balance (zero included), for the popup. */
  async balances(address: string): Promise<SecretBalanceView[]> {
    const pair = await this.#d.accounts.pair(address);
    const client = await this.#client();
    const [assets, held] = await this.#guard(() => Promise.all([client.assets(), client.balances(pair)]));
    const amounts = new Map(held.map((b) => [b.asset as number, b.amount.toString()]));
    return assets.map((a) => ({ ...assetView(a), amount: amounts.get(a.id) ?? '0' }));
  }

  /** The newest history entries (newest first), with this wallet's operations still under way on top. */
  async history(address: string): Promise<SecretActivityView[]> {
    const pair = await this.#d.accounts.pair(address);
    const client = await this.#client();
    const [assets, entries] = await this.#guard(async () => {
      const first = await client.history(pair, 0, HISTORY_SHOWN);
      const latest = first.total > first.entries.length
        ? (await client.history(pair, first.total - HISTORY_SHOWN, HISTORY_SHOWN)).entries
        : first.entries;
      return [await client.assets(), latest] as const;
    });
    const byId = new Map(assets.map((a) => [a.id as number, a]));
    const names = new Map((await this.#d.accounts.list()).map((a) => [a.address, a.name]));
    const ops = (await this.#ops.list()).filter((o) => o.address === address);
    const refs = new Set(entries.map((e) => e.ref as string));
    const originOf = new Map(ops.filter((o) => o.ref).map((o) => [o.ref as string, o.origin]));
    const underWay = ops.filter((o) => !(o.ref && refs.has(o.ref)) && isUnderWay(o));
    return [
      ...underWay.reverse().map((o) => operationActivity(o, names)),
      ...[...entries].reverse().map((e) => entryActivity(e, byId, names, originOf.get(e.ref) ?? null)),
    ];
  }

  async operations(): Promise<SecretOperationView[]> {
    return (await this.#ops.list()).map(operationView);
  }

  /** Calls `listener` with every operation whenever one changes; returns the unsubscribe function. */
  subscribe(listener: (ops: SecretOperationView[]) => void): () => void {
    return this.#d.changes.on((topic) => {
      if (topic === 'secret') void this.operations().then(listener);
    });
  }

  /** The endpoints changed: connect and verify afresh. */
  reset(): void {
    this.#d.connector.reset();
  }

  // ── pages ────────────────────────────────────────────────────────────────────────

  /** The address a page asks about: one the site was granted, by default its first. */
  async #pageAccount(origin: string, input: unknown): Promise<string> {
    const address = optionalAddress(input === undefined || input === null ? undefined : record(input, 'the request').address);
    if (address !== null) return this.#d.authorization.allowedAddress(origin, address);
    const first = (await this.#d.authorization.site(origin)).addresses[0];
    if (!first) throw new WalletError('NotAuthorized', 'This site may not see any account. Share an account with it under Sites in Dark Wallet.');
    return first;
  }

  /** Runs a page's secret read, refusing it while the origin already has the most allowed in flight. */
  async #pageRead<T>(origin: string, read: () => Promise<T>): Promise<T> {
    const inFlight = this.#pageReads.get(origin) ?? 0;
    if (inFlight >= MAX_SECRET_READS_PER_ORIGIN) {
      throw new WalletError('TooManyRequests', `This site already has ${MAX_SECRET_READS_PER_ORIGIN} secret balance or history requests under way. Wait for their answers before asking again.`);
    }
    this.#pageReads.set(origin, inFlight + 1);
    try {
      return await read();
    } finally {
      const left = (this.#pageReads.get(origin) ?? 1) - 1;
      if (left > 0) this.#pageReads.set(origin, left);
      else this.#pageReads.delete(origin);
    }
  }

  pageBalances(origin: string, input: unknown): Promise<SecretBalance[]> {
    return this.#pageRead(origin, () => this.#pageBalances(origin, input));
  }

  pageHistory(origin: string, input: unknown): Promise<SecretHistoryEntry[]> {
    return this.#pageRead(origin, () => this.#pageHistory(origin, input));
  }

  async #pageBalances(origin: string, input: unknown): Promise<SecretBalance[]> {
    const address = await this.#pageAccount(origin, input);
    const pair = await this.#d.accounts.pair(address);
    const client = await this.#client();
    const [assets, held] = await this.#guard(() => Promise.all([client.assets(), client.balances(pair)]));
    const byId = new Map(assets.map((a) => [a.id as number, a]));
    return held.map((b) => {
      const a = byId.get(b.asset);
      return { asset: b.asset, symbol: a?.symbol ?? `#${b.asset}`, name: a?.name ?? '', decimals: a?.decimals ?? 0, amount: b.amount.toString() };
    });
  }

  async #pageHistory(origin: string, input: unknown): Promise<SecretHistoryEntry[]> {
    const r = input === undefined || input === null ? {} : record(input, 'the request');
    const from = r.from === undefined || r.from === null ? 0 : integer(r.from, 'from', 0, 0xffff_ffff);
    const limit = r.limit === undefined || r.limit === null ? MAX_HISTORY_PAGE : integer(r.limit, 'limit', 1, MAX_HISTORY_PAGE);
    const address = await this.#pageAccount(origin, r);
    const pair = await this.#d.accounts.pair(address);
    const client = await this.#client();
    const { entries } = await this.#guard(() => client.history(pair, from, limit));
    return entries.map((e) => ({
      block: e.block, index: e.index, kind: e.kind, direction: e.direction, asset: e.asset,
      counterparty: e.counterparty === null ? null : accountIdToAddress(e.counterparty),
      amount: e.amount.toString(),
      status: e.outcome.ok ? 'applied' : 'failed',
      ...(e.outcome.ok ? (e.outcome.receiptSeq === null ? {} : { receiptSeq: e.outcome.receiptSeq.toString() }) : { error: e.outcome.error }),
      ref: e.ref,
    }));
  }

  /** Validates a page's operation, checks what can be checked now, and queues it for approval. */
  async request(kind: SecretRequestKind, input: unknown, ctx: PageContext): Promise<void> {
    const { address, intent } = pageIntent(OP_OF[kind], input);
    const site = await this.#d.authorization.site(ctx.origin);
    const acting = address === null ? null : await this.#d.authorization.allowedAddress(ctx.origin, address);
    if (acting === null && site.addresses.length === 0) {
      throw new WalletError('NotAuthorized', 'This site may not use any account. Share an account with it under Sites in Dark Wallet.');
    }
    if (acting !== null) this.#notToSelf(acting, intent);
    await this.#facts(await this.#client(), intent); // an unknown asset or a taken symbol is refused now, not after a fee
    await this.#d.queue.add(kind, { origin: ctx.origin, originName: '', url: ctx.url }, { address: acting, intent }, ctx.target);
  }

  /** The approval view: the plaintext intent, resolved as far as the chain and worker allow. */
  async view(r: PendingSecretRequest): Promise<SecretRequestView> {
    const { address, intent } = r.payload;
    const all = await this.#d.accounts.list();
    const names = new Map(all.map((a) => [a.address, a.name]));
    const granted = address !== null ? [address] : (await this.#d.authorization.site(r.origin).catch(() => null))?.addresses ?? [];
    const to = intent.op === 'transfer' || intent.op === 'convertToPublic' ? intent.to : null;
    let facts: Facts | null = null;
    let attestationLabel: string | null = null;
    let warning: string | null = null;
    try {
      const client = await this.#client();
      attestationLabel = client.contract.attestationLabel;
      facts = await this.#facts(client, intent);
    } catch (e) {
      warning = (e instanceof WalletError ? e : secretError(e, (await this.#d.settings.get()).workerEndpoint)).message;
    }
    const amount = intent.op === 'issue' ? intent.supply : intent.amount;
    const symbol = facts?.symbol ?? (intent.op === 'issue' ? intent.symbol : null);
    const decimals = facts?.decimals ?? (intent.op === 'issue' ? intent.decimals : null);
    return {
      id: r.id, kind: r.kind, origin: r.origin, originName: r.originName, createdAt: r.createdAt,
      address,
      accounts: granted.map((a) => ({ address: a, name: names.get(a) ?? 'Unknown account' })),
      intent,
      asset: facts && facts.asset !== null && intent.op !== 'issue' ? { id: facts.asset, symbol: facts.symbol, decimals: facts.decimals } : null,
      amountText: symbol !== null && decimals !== null
        ? `${displayUnits(amount, decimals, decimals)} ${symbol}`
        : `${amount} smallest units${intent.op === 'transfer' ? ` of secret asset #${intent.asset}` : ''}`,
      to,
      toName: to === null ? null : names.get(to) ?? null,
      attestationLabel,
      warning,
    };
  }

  /**
   * The user approved: everything that can refuse (revoked site, locked wallet, untrusted worker) is
   * checked while the request still waits, so its window shows why; then it leaves the queue and is sent.
   */
  async approve(r: PendingSecretRequest, chosen?: string): Promise<void> {
    const { intent } = r.payload;
    let address: string;
    try {
      if (r.payload.address !== null && chosen !== undefined && chosen !== r.payload.address) {
        throw invalid('The site asked for a specific account. Approve it with that account, or reject it.');
      }
      const wanted = r.payload.address ?? chosen ?? (await this.#d.authorization.site(r.origin)).addresses[0] ?? '';
      address = await this.#d.authorization.allowedAddress(r.origin, wanted);
      this.#notToSelf(address, intent);
    } catch (e) {
      await this.#d.queue.reject(r.id, e as WalletError);
      throw e;
    }
    const pair = await this.#d.accounts.pair(address);
    const client = await this.#client();
    const facts = await this.#facts(client, intent);
    const taken = await this.#d.queue.detach(r.id);
    if (!taken) return; // answered meanwhile (a second click): it was sent once
    await this.#begin(client, pair, address, intent, facts, { origin: r.origin, targets: taken.targets });
  }

  // ── the popup ────────────────────────────────────────────────────────────────────

  /** An operation from the popup; amounts as typed ("1.5"). Resolves once it is being submitted. */
  async submit(address: string, input: PopupIntentInput): Promise<SecretOperationView> {
    const pair = await this.#d.accounts.pair(address);
    const client = await this.#client();
    const intent = await this.#popupIntent(client, address, input);
    this.#notToSelf(address, intent);
    const facts = await this.#facts(client, intent);
    return operationView(await this.#begin(client, pair, address, intent, facts, { origin: null, targets: [] }));
  }

  async #popupIntent(client: DarkBackend, address: string, input: PopupIntentInput): Promise<SecretIntent> {
    switch (input.op) {
      case 'convertToSecret':
      case 'convertToPublic': {
        const { symbol, decimals } = await this.#native();
        const amount = typedAmount(input.amount, decimals, symbol);
        if (input.op === 'convertToSecret') return { op: input.op, amount };
        return { op: input.op, to: input.to.trim() ? recipient(input.to, 'recipient') : address, amount };
      }
      case 'transfer': {
        const asset = (await this.#assets(client)).find((a) => a.id === input.asset);
        if (!asset) throw invalid('Choose one of the secret assets in the list.');
        return { op: 'transfer', asset: asset.id, to: recipient(input.to, 'recipient'), amount: typedAmount(input.amount, asset.decimals, asset.symbol) };
      }
      case 'issue': {
        const decimals = tokenDecimals(input.decimals);
        const symbol = tokenSymbol(input.symbol);
        return { op: 'issue', symbol, name: tokenName(input.name), decimals, supply: typedAmount(input.supply, decimals, symbol, 'a supply') };
      }
    }
  }

  // ── sending and following ────────────────────────────────────────────────────────

  /** Records the operation, then submits it in the background of this call. */
  async #begin(
    client: DarkBackend, pair: KeyringPair, address: string, intent: SecretIntent, facts: Facts,
    from: { origin: string | null; targets: ReplyTarget[] },
  ): Promise<StoredOperation> {
    const op: StoredOperation = {
      id: `op.${crypto.randomUUID()}`, address, op: intent.op, status: 'pending', createdAt: this.#d.now(), origin: from.origin,
      ...facts, block: null, blockHash: null, txHash: null, ref: null, reason: null,
      targets: from.targets, extrinsicIndex: null, finishedAt: null,
    };
    this.#following.add(op.id); // before it is stored: `resume` must never take it for a dead worker's
    await this.#ops.add(op);
    this.#d.changes.emit('secret');
    void this.#submit(client, pair, op, intent);
    return op;
  }

  async #submit(client: DarkBackend, pair: KeyringPair, op: StoredOperation, intent: SecretIntent): Promise<void> {
    let submitted: Submitted;
    try {
      submitted = await this.#send(client, pair, intent);
    } catch (e) {
      const err = secretError(e, (await this.#d.settings.get()).workerEndpoint);
      await this.#ops.update(op.id, () => ({ status: 'failed', reason: err.message, targets: [] }));
      this.#following.delete(op.id);
      this.#d.changes.emit('secret');
      await this.#answer(op.targets, { error: toWireError(err) });
      return;
    }
    const ref = submitted.ref ?? depositRef(hash32(fromHex(submitted.blockHash)), submitted.extrinsicIndex, submitted.sender, toAmount(op.amount));
    const txHash = await this.#d.connector.txHash(submitted.blockHash, submitted.extrinsicIndex);
    const included = await this.#ops.update(op.id, () => ({
      status: 'included', block: submitted.blockNumber, blockHash: submitted.blockHash, extrinsicIndex: submitted.extrinsicIndex, txHash, ref, targets: [],
    }));
    this.#d.changes.emit('secret');
    const result: SecretOperationResult = { txHash: txHash ?? '', blockHash: submitted.blockHash, ref };
    await this.#answer(op.targets, { response: result });
    if (included) await this.#follow(included, pair, client);
    else this.#following.delete(op.id);
  }

  #send(client: DarkBackend, pair: KeyringPair, intent: SecretIntent): Promise<Submitted> {
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

  /** Waits for the worker's verdict on an included operation; on trouble, tries again later. */
  async #follow(op: StoredOperation, pair?: KeyringPair, known?: DarkBackend): Promise<void> {
    this.#following.add(op.id);
    try {
      const signer = pair ?? await this.#d.accounts.pair(op.address);
      const client = known ?? await this.#client();
      const entry = await client.waitFor(signer, submittedOf(op), { timeoutMs: FOLLOW_TIMEOUT_MS });
      await this.#ops.update(op.id, () => (entry.outcome.ok
        ? { status: 'applied', ref: entry.ref, asset: entry.asset, reason: null }
        : { status: 'failed', ref: entry.ref, reason: ledgerReason(entry.outcome.error) }));
      this.#d.changes.emit('secret');
      this.#attempts.delete(op.id);
    } catch (e) {
      // Locked: resumed at unlock. Worker or chain away: tried again shortly (and whenever the popup looks).
      const attempts = (this.#attempts.get(op.id) ?? 0) + 1;
      this.#attempts.set(op.id, attempts);
      if (!(e instanceof WalletError && e.code === 'Locked') && attempts < MAX_AUTOMATIC_ATTEMPTS) this.#retryLater();
    } finally {
      this.#following.delete(op.id);
    }
  }

  #retryLater(): void {
    if (this.#retry) return;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      void this.resume();
    }, FOLLOW_RETRY_MS);
    (this.#retry as { unref?: () => void }).unref?.();
  }

  /**
   * Picks up operations a stopped service worker left: included ones are followed to the verdict;
   * ones that were still being submitted cannot be known to have reached the chain, so they end with
   * a sentence saying to check the history (and their page, if still there, is told the same).
   */
  resume(): Promise<void> {
    this.#resuming ??= this.#resume().finally(() => { this.#resuming = null; });
    return this.#resuming;
  }

  async #resume(): Promise<void> {
    if ((await this.#d.accounts.status()) !== 'unlocked') return;
    for (const op of await this.#ops.list()) {
      if (this.#following.has(op.id)) continue;
      if (op.status === 'pending') {
        await this.#ops.update(op.id, () => ({ status: 'failed', reason: RESTARTED, targets: [] }));
        this.#d.changes.emit('secret');
        await this.#answer(op.targets, { error: { code: 'TransactionFailed', message: RESTARTED } });
      } else if (op.status === 'included') {
        void this.#follow(op);
      }
    }
  }

  async #answer(targets: ReplyTarget[], reply: { response: unknown } | { error: WireError }): Promise<void> {
    await Promise.all(targets.map((t) => this.#d.delivery.send(t, reply).catch(() => false)));
  }

  // ── helpers ──────────────────────────────────────────────────────────────────────

  async #client(): Promise<DarkBackend> {
    try {
      return await this.#d.connector.client();
    } catch (e) {
      throw secretError(e, (await this.#d.settings.get()).workerEndpoint);
    }
  }

  async #guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw secretError(e, (await this.#d.settings.get()).workerEndpoint);
    }
  }

  #assets(client: DarkBackend): Promise<AssetInfo[]> {
    return this.#guard(() => client.assets());
  }

  async #native(): Promise<{ symbol: string; decimals: number }> {
    return this.#d.connector.token();
  }

  #notToSelf(address: string, intent: SecretIntent): void {
    if (intent.op === 'transfer' && intent.to === address) {
      throw invalid('The recipient is the sending account. Choose another recipient.');
    }
  }

  /** Symbol, decimals and asset of an intent; refuses unknown assets and taken symbols before any fee. */
  async #facts(client: DarkBackend, intent: SecretIntent): Promise<Facts> {
    switch (intent.op) {
      case 'convertToSecret':
      case 'convertToPublic': {
        const { symbol, decimals } = await this.#native();
        return { asset: 0, symbol, decimals, amount: intent.amount, to: intent.op === 'convertToPublic' ? intent.to : null, name: null };
      }
      case 'transfer': {
        const asset = (await this.#assets(client)).find((a) => a.id === intent.asset);
        if (!asset) throw invalid(`There is no secret asset #${intent.asset}. Choose an existing asset.`);
        return { asset: asset.id, symbol: asset.symbol, decimals: asset.decimals, amount: intent.amount, to: intent.to, name: null };
      }
      case 'issue': {
        const key = intent.symbol.replace(/[A-Z]+/g, (m) => m.toLowerCase());
        const taken = (await this.#assets(client)).some((a) => a.symbol.replace(/[A-Z]+/g, (m) => m.toLowerCase()) === key);
        if (taken) throw invalid(`Another secret token already uses the symbol ${intent.symbol}. Choose another symbol.`);
        return { asset: null, symbol: intent.symbol, decimals: intent.decimals, amount: intent.supply, to: null, name: intent.name };
      }
    }
  }
}

export type PopupIntentInput =
  | { op: 'convertToSecret'; amount: string }
  | { op: 'convertToPublic'; to: string; amount: string }
  | { op: 'transfer'; asset: number; to: string; amount: string }
  | { op: 'issue'; symbol: string; name: string; decimals: number; supply: string };

/** What `waitFor` needs to find an included operation in the sender's history. */
function submittedOf(op: StoredOperation): Submitted {
  const deposit = op.op === 'convertToSecret';
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

function entryActivity(e: HistoryEntry, assets: Map<number, AssetInfo>, names: Map<string, string>, origin: string | null): SecretActivityView {
  const a = assets.get(e.asset);
  const counterparty = e.counterparty === null ? null : accountIdToAddress(e.counterparty as AccountId);
  return {
    id: `${e.block}.${e.index}.${e.ref}`, kind: e.kind, direction: e.direction,
    status: e.outcome.ok ? 'applied' : 'failed', block: e.block, asset: e.asset,
    symbol: a?.symbol ?? `#${e.asset}`, decimals: a?.decimals ?? 0, amount: e.amount.toString(),
    counterparty, counterpartyName: counterparty === null ? null : names.get(counterparty) ?? null,
    reason: e.outcome.ok ? null : ledgerReason(e.outcome.error), ref: e.ref, origin,
  };
}
