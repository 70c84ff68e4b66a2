/**
 * Signed, encrypted queries for one account. Opens a query session once (one account signature),
 * then every query costs the worker one AEAD open and seal. Falls back to reopening when the
 * session expired or the worker restarted and forgot it.
 */
import type { KeyringPair } from '@polkadot/keyring/types';
import { openReply, queryAad, sealEnvelope } from '../crypto/envelope';
import { signAsAccount } from '../crypto/account-signature';
import { frameHeader, openFrame, sealFrame, sessionKeyOf } from '../crypto/session';
import { x25519Backend } from '../crypto/x25519';
import {
  decodeQueryResponse, encodeQuery, encodeQueryRequest, openSessionMessage, signedQueryMessage,
  type Query, type QueryRequest, type QueryResponse, type QueryTarget,
} from '../protocol/query';
import type { AccountId } from '../types';
import { accountOf } from './account';
import { ClientError } from './errors';
import type { WorkerTransport } from './transport';

interface OpenSession {
  id: Uint8Array;
  key: Uint8Array;
  expiresAt: number;
  counter: bigint;
}

/** Renew a little before expiry so a query never races the deadline. */
const RENEW_MARGIN_MS = 30_000;

export async function requestOnce(transport: WorkerTransport, target: QueryTarget, request: QueryRequest): Promise<QueryResponse> {
  const { envelope, replyKey } = await sealEnvelope('query', target.contractPub, queryAad(target.genesisHash, target.contractId), encodeQueryRequest(request));
  return decodeQueryResponse(openReply(replyKey, await transport.query(envelope)));
}

export function expectResponse<K extends QueryResponse['kind']>(r: QueryResponse, kind: K): Extract<QueryResponse, { kind: K }> {
  if (r.kind === kind) return r as Extract<QueryResponse, { kind: K }>;
  if (r.kind === 'Error') throw new ClientError('WorkerRejected', `The worker refused the query (${r.code}).`, r.code);
  throw new ClientError('WorkerRejected', 'The worker answered a different query.');
}

/** One account's queries: what the SDK hands out, whichever worker answers them. */
export interface AccountQueries {
  query(query: Query): Promise<QueryResponse>;
  /** A one-shot signed query (no session): for scripts and the CLI. */
  signedQuery(query: Query, now?: number): Promise<QueryResponse>;
}

/** One account's queries to one worker, through a session that worker opened. */
export class QueryChannel implements AccountQueries {
  readonly account: AccountId;
  #session: OpenSession | null = null;
  #opening: Promise<OpenSession> | null = null;
  /** Frames go out one at a time: on separate connections counter n+1 could overtake n and be taken as a replay. */
  #tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly transport: WorkerTransport,
    private readonly target: QueryTarget,
    private readonly pair: KeyringPair,
    private readonly ttlMs = 15 * 60_000,
  ) {
    this.account = accountOf(pair);
  }

  /** A one-shot signed query (no session): for scripts and the CLI. */
  signedQuery(query: Query, now = Date.now()): Promise<QueryResponse> {
    const issuedAt = BigInt(now);
    const signature = signAsAccount(this.pair, signedQueryMessage(this.target, this.account, issuedAt, query));
    return requestOnce(this.transport, this.target, { kind: 'Signed', account: this.account, issuedAt, query, signature });
  }

  query(query: Query): Promise<QueryResponse> {
    const run = this.#tail.then(() => this.#query(query));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #query(query: Query): Promise<QueryResponse> {
    let first: QueryResponse;
    try {
      first = await this.#ask(await this.#current(), query);
    } catch (e) {
      // A restarted worker has no key for our session, so it cannot seal that answer: a plain 400.
      if (!(e instanceof ClientError && e.reason === 'UnknownSession')) throw e;
      first = { kind: 'Error', code: 'UnknownSession' };
    }
    if (first.kind === 'Error' && (first.code === 'UnknownSession' || first.code === 'Expired')) {
      this.#session = null;
      return this.#ask(await this.#current(), query);
    }
    return first;
  }

  async #ask(s: OpenSession, query: Query): Promise<QueryResponse> {
    s.counter += 1n;
    const counter = s.counter;
    const reply = await this.transport.session(sealFrame(s.key, s.id, counter, 'request', encodeQuery(query)));
    // A reply for another counter would be an answer to another question.
    if (frameHeader(reply).counter !== counter) throw new ClientError('WorkerRejected', 'The worker answered out of order.');
    return decodeQueryResponse(openFrame(s.key, reply, 'reply'));
  }

  #current(): Promise<OpenSession> {
    if (this.#session && this.#session.expiresAt - RENEW_MARGIN_MS > Date.now()) return Promise.resolve(this.#session);
    this.#opening ??= this.#open().finally(() => { this.#opening = null; });
    return this.#opening;
  }

  async #open(): Promise<OpenSession> {
    const { publicKey: sessionPub, agree } = await (await x25519Backend()).ephemeral();
    const expiresAt = BigInt(Date.now() + this.ttlMs);
    const signature = signAsAccount(this.pair, openSessionMessage(this.target, this.account, sessionPub, expiresAt));
    const opened = expectResponse(
      await requestOnce(this.transport, this.target, { kind: 'OpenSession', account: this.account, sessionPub, expiresAt, signature }),
      'Session',
    );
    const key = sessionKeyOf(await agree(this.target.contractPub), this.target.contractPub, sessionPub, opened.salt);
    this.#session = { id: opened.sessionId, key, expiresAt: Number(opened.expiresAt), counter: 0n };
    return this.#session;
  }
}
