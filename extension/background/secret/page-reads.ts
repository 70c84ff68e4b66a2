/**
 * A page's secret reads — balances and history of the accounts its site was granted — answered at
 * once, without a prompt, through the account's query session (signed inside the extension, answered
 * by the worker, never by the chain). Each origin has only a few in flight at a time.
 */
import { MAX_HISTORY_PAGE } from '../../../shared/protocol/query';
import { U32_MAX } from '../../../shared/protocol/rules';
import { accountIdToAddress } from '../../../shared/types';
import { MAX_SECRET_READS_PER_ORIGIN } from '../../messages/constants';
import { WalletError } from '../../messages/errors';
import type { SecretBalance, SecretHistoryEntry } from '../../page/types';
import type { Accounts } from '../accounts/service';
import type { Authorization } from '../sites/service';
import { integer, record } from '../validate';
import type { SecretGateway } from './gateway';
import { optionalAddress } from './intent';

export interface PageReadsDeps {
  gateway: SecretGateway;
  accounts: Accounts;
  authorization: Authorization;
}

export class PageReads {
  readonly #d: PageReadsDeps;
  /** Secret reads in flight per page origin (in memory: a restarted service worker has none). */
  readonly #inFlight = new Map<string, number>();

  constructor(deps: PageReadsDeps) {
    this.#d = deps;
  }

  balances(origin: string, input: unknown): Promise<SecretBalance[]> {
    return this.#capped(origin, () => this.#balances(origin, input));
  }

  history(origin: string, input: unknown): Promise<SecretHistoryEntry[]> {
    return this.#capped(origin, () => this.#history(origin, input));
  }

  /** Runs a page's secret read, refusing it while the origin already has the most allowed in flight. */
  async #capped<T>(origin: string, read: () => Promise<T>): Promise<T> {
    const inFlight = this.#inFlight.get(origin) ?? 0;
    if (inFlight >= MAX_SECRET_READS_PER_ORIGIN) {
      throw new WalletError('TooManyRequests', `This site already has ${MAX_SECRET_READS_PER_ORIGIN} secret balance or history requests under way. Wait for their answers before asking again.`);
    }
    this.#inFlight.set(origin, inFlight + 1);
    try {
      return await read();
    } finally {
      const left = (this.#inFlight.get(origin) ?? 1) - 1;
      if (left > 0) this.#inFlight.set(origin, left);
      else this.#inFlight.delete(origin);
    }
  }

  /** The address a page asks about: one the site was granted, by default its first. */
  async #account(origin: string, input: unknown): Promise<string> {
    const address = optionalAddress(input === undefined || input === null ? undefined : record(input, 'the request').address);
    if (address !== null) return this.#d.authorization.allowedAddress(origin, address);
    const first = (await this.#d.authorization.site(origin)).addresses[0];
    if (!first) throw new WalletError('NotAuthorized', 'This site may not see any account. Share an account with it under Sites in Dark Wallet.');
    return first;
  }

  async #balances(origin: string, input: unknown): Promise<SecretBalance[]> {
    const pair = await this.#d.accounts.pair(await this.#account(origin, input));
    const [assets, held] = await this.#d.gateway.run((client) => Promise.all([client.assets(), client.balances(pair)]));
    const byId = new Map(assets.map((a) => [a.id as number, a]));
    return held.map((b) => {
      const a = byId.get(b.asset);
      return { asset: b.asset, symbol: a?.symbol ?? `#${b.asset}`, name: a?.name ?? '', decimals: a?.decimals ?? 0, amount: b.amount.toString() };
    });
  }

  async #history(origin: string, input: unknown): Promise<SecretHistoryEntry[]> {
    const r = input === undefined || input === null ? {} : record(input, 'the request');
    const from = r.from === undefined || r.from === null ? 0 : integer(r.from, 'from', 0, U32_MAX);
    const limit = r.limit === undefined || r.limit === null ? MAX_HISTORY_PAGE : integer(r.limit, 'limit', 1, MAX_HISTORY_PAGE);
    const pair = await this.#d.accounts.pair(await this.#account(origin, r));
    const { entries } = await this.#d.gateway.run((client) => client.history(pair, from, limit));
    return entries.map((e) => ({
      block: e.block, index: e.index, kind: e.kind, direction: e.direction, asset: e.asset,
      counterparty: e.counterparty === null ? null : accountIdToAddress(e.counterparty),
      amount: e.amount.toString(),
      status: e.outcome.ok ? 'applied' : 'failed',
      ...(e.outcome.ok ? (e.outcome.receiptSeq === null ? {} : { receiptSeq: e.outcome.receiptSeq.toString() }) : { error: e.outcome.error }),
      ref: e.ref,
    }));
  }
}
