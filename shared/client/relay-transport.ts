/**
 * HTTP transport to a command relayer (`POST /relay`, `GET /relay/quote`; contract/host/command-relay.ts).
 * The relayer is untrusted: it sees only sealed envelopes, and its quote only says whom to seal for
 * and what fee to sign, which the user's own signature then binds.
 */
import { accountId, amount, type AccountId, type Amount } from '../types';
import { ClientError } from './errors';
import type { FetchLike } from './transport';

export interface RelayQuote {
  relayer: AccountId;
  fee: Amount;
  contractId: number;
  batchSize: number;
}

/** Where the relayer's batch carrying the envelope was finalized. */
export interface RelayReceipt {
  blockNumber: number;
  blockHash: string;
  extrinsicIndex: number;
}

const unavailable = (base: string, reason?: string, said?: string) =>
  new ClientError('RelayUnavailable', said ?? `The relayer at ${base} is not reachable. Check its address, or send without a relayer.`, reason);

export class RelayTransport {
  readonly #base: string;
  readonly #fetch: FetchLike;
  #quote: Promise<RelayQuote> | null = null;

  constructor(baseUrl: string, fetchImpl?: FetchLike) {
    this.#base = baseUrl.replace(/\/+$/, '');
    this.#fetch = fetchImpl ?? (globalThis.fetch.bind(globalThis) as unknown as FetchLike);
  }

  get url(): string {
    return this.#base;
  }

  /** Fetched once per client; a failed fetch is retried next time. */
  quote(): Promise<RelayQuote> {
    this.#quote ??= this.#fetchQuote().catch((e: unknown) => {
      this.#quote = null;
      throw e;
    });
    return this.#quote;
  }

  async #fetchQuote(): Promise<RelayQuote> {
    let raw: { relayer?: unknown; fee?: unknown; contractId?: unknown; batchSize?: unknown };
    try {
      const res = await this.#fetch(`${this.#base}/relay/quote`, { signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw new Error(String(res.status));
      raw = (await res.json()) as typeof raw;
    } catch {
      throw unavailable(this.#base);
    }
    try {
      return {
        relayer: accountId(String(raw.relayer)), fee: amount(BigInt(String(raw.fee))),
        contractId: Number(raw.contractId), batchSize: Number(raw.batchSize),
      };
    } catch {
      throw new ClientError('UntrustedRelayer', `The relayer at ${this.#base} sent a quote this wallet cannot read.`);
    }
  }

  /** Resolves once the relayer's batch is finalized on chain. */
  async relay(envelope: Uint8Array): Promise<RelayReceipt> {
    let res;
    try {
      res = await this.#fetch(`${this.#base}/relay`, {
        method: 'POST', body: envelope, headers: { 'content-type': 'application/octet-stream' }, signal: AbortSignal.timeout(120_000),
      });
    } catch {
      throw unavailable(this.#base);
    }
    const body = (await res.json().catch(() => ({}))) as { error?: string; message?: string } & Partial<RelayReceipt>;
    if (!res.ok) throw unavailable(this.#base, body.error, body.message ?? `The relayer refused the operation (${res.status}).`);
    if (typeof body.blockNumber !== 'number' || typeof body.blockHash !== 'string') throw unavailable(this.#base, 'Malformed', 'The relayer sent an answer this wallet cannot read.');
    return { blockNumber: body.blockNumber, blockHash: body.blockHash, extrinsicIndex: Number(body.extrinsicIndex ?? 0) };
  }
}
