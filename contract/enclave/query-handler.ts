/**
 * Answers queries (DESIGN.md §3). The host passes opaque bytes in and gets opaque bytes out.
 *
 * - Errors before any key exists (an envelope or frame that does not open, an unknown session, a
 *   replayed counter) throw a ProtocolError: the host maps it to an HTTP 400; nothing is sealed.
 * - Errors after a key exists are answered as a sealed `{kind:'Error', code}`, so the host cannot
 *   tell an authorization failure from an answer.
 * - Replay is the one authenticated error that is thrown, not sealed: a reply for an already used
 *   counter would reuse that counter's nonce under the session key.
 * Time comes from the host but only moves forward here, so the host cannot roll the clock back to
 * revive an expired session or an old signed query.
 */
import { openEnvelope, queryAad, sealReply, type ContractKey, type Opened } from '../../shared/crypto/envelope';
import { verifyAccountSignature } from '../../shared/crypto/account-signature';
import { frameHeader, openFrame, sealFrame, sessionIdOf, sessionKeyOf } from '../../shared/crypto/session';
import { randomBytes } from '@noble/hashes/utils.js';
import { ProtocolError } from '../../shared/errors';
import { QUERY_MAX_AGE_MS, SESSION_MAX_TTL_MS } from '../../shared/constants';
import {
  SESSION_SALT_BYTES, decodeQuery, decodeQueryRequest, encodeQueryResponse, isPublicQuery, openSessionMessage, signedQueryMessage,
  type Query, type QueryErrorCode, type QueryRequest, type QueryResponse, type QueryTarget,
} from '../../shared/protocol/query';
import type { AccountId } from '../../shared/types';
import { answer, type LedgerReader, type ReceiptSigner } from './answer';
import { hostMillis } from './clock';
import { SessionTable, type SessionLimits } from './session-table';

export interface QueryScope {
  target: QueryTarget;
  contractKey: ContractKey;
  ledger: LedgerReader;
  signReceipt: ReceiptSigner;
}

const refuse = (code: QueryErrorCode): QueryResponse => ({ kind: 'Error', code });
const MAX_AGE = BigInt(QUERY_MAX_AGE_MS);
const MAX_TTL = BigInt(SESSION_MAX_TTL_MS);

export class QueryHandler {
  readonly #scope: QueryScope;
  readonly #aad: Uint8Array;
  readonly #sessions: SessionTable;
  #clock = 0;

  constructor(scope: QueryScope, sessionLimits?: Partial<SessionLimits>) {
    this.#scope = scope;
    this.#aad = queryAad(scope.target.genesisHash, scope.target.contractId);
    this.#sessions = new SessionTable(sessionLimits);
  }

  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** A query envelope (Public, Signed or OpenSession) → the reply sealed under the envelope's reply key. */
  async handleQuery(envelope: Uint8Array, now: number): Promise<Uint8Array> {
    const t = this.#tick(now);
    const opened = await this.#open(envelope);
    let request: QueryRequest;
    try {
      request = decodeQueryRequest(opened.plaintext);
    } catch {
      return sealReply(opened.replyKey, encodeQueryResponse(refuse('Malformed')));
    }
    return sealReply(opened.replyKey, encodeQueryResponse(await this.#request(request, t)));
  }

  /** The hot path: one AEAD open, a ledger read, one AEAD seal — no ECDH, no signature check. */
  handleSessionQuery(frame: Uint8Array, now: number): Uint8Array {
    const t = this.#tick(now);
    const { sessionId, counter } = frameHeader(frame);
    const session = this.#sessions.get(sessionId);
    if (session === undefined) throw new ProtocolError('UnknownSession', 'No such query session: open a new one.');
    const body = openFrame(session.key, frame, 'request');
    if (counter <= session.lastCounter) throw new ProtocolError('Replay', 'This session counter was already answered.');
    session.lastCounter = counter;
    let response: QueryResponse;
    if (session.expiresAt <= t) {
      this.#sessions.delete(sessionId);
      response = refuse('Expired');
    } else {
      response = this.#decodeAndAnswer(session.account, body);
    }
    return sealFrame(session.key, sessionId, counter, 'reply', encodeQueryResponse(response));
  }

  #tick(now: number): number {
    this.#clock = Math.max(this.#clock, hostMillis(now));
    return this.#clock;
  }

  async #open(envelope: Uint8Array): Promise<Opened> {
    try {
      return await openEnvelope('query', this.#scope.contractKey, this.#aad, envelope);
    } catch (e) {
      if (e instanceof ProtocolError) throw e;
      throw new ProtocolError('DecryptFailed', 'Query envelope did not open.');
    }
  }

  #request(r: QueryRequest, now: number): QueryResponse | Promise<QueryResponse> {
    switch (r.kind) {
      case 'Public':
        return isPublicQuery(r.query) ? this.#answer(null, r.query) : refuse('NotAuthorized');
      case 'Signed':
        return this.#signed(r, BigInt(now));
      case 'OpenSession':
        return this.#openSession(r, now);
    }
  }

  #signed(r: Extract<QueryRequest, { kind: 'Signed' }>, now: bigint): QueryResponse {
    if (r.issuedAt + MAX_AGE < now || r.issuedAt > now + MAX_AGE) return refuse('Expired');
    const message = signedQueryMessage(this.#scope.target, r.account, r.issuedAt, r.query);
    if (!verifyAccountSignature(r.account, r.signature, message)) return refuse('BadSignature');
    return this.#answer(r.account, r.query);
  }

  async #openSession(r: Extract<QueryRequest, { kind: 'OpenSession' }>, now: number): Promise<QueryResponse> {
    const { target, contractKey } = this.#scope;
    if (r.expiresAt <= BigInt(now)) return refuse('Expired');
    if (r.expiresAt > BigInt(now) + MAX_TTL) return refuse('Malformed');
    // Before the ~3 ms signature check; the budget is charged only once the signature verified.
    if (!this.#sessions.mayOpen(r.account, now)) return refuse('TooManySessions');
    if (!verifyAccountSignature(r.account, r.signature, openSessionMessage(target, r.account, r.sessionPub, r.expiresAt))) {
      return refuse('BadSignature');
    }
    let shared: Uint8Array;
    try {
      shared = await contractKey.agree(r.sessionPub);
    } catch (e) {
      if (e instanceof ProtocolError) return refuse('Malformed'); // a low-order session key
      throw e;
    }
    const sessionId = sessionIdOf(r.sessionPub);
    const salt = randomBytes(SESSION_SALT_BYTES);
    const key = sessionKeyOf(shared, target.contractPub, r.sessionPub, salt);
    // A re-open by the same account returns the stored session (its key, salt and counter) instead.
    const opened = this.#sessions.open(sessionId, r.account, key, salt, Number(r.expiresAt), now);
    if (!opened.ok) return refuse(opened.code);
    return { kind: 'Session', sessionId, salt: opened.session.salt, expiresAt: BigInt(opened.session.expiresAt) };
  }

  #decodeAndAnswer(account: AccountId, body: Uint8Array): QueryResponse {
    let query: Query;
    try {
      query = decodeQuery(body);
    } catch {
      return refuse('Malformed');
    }
    return this.#answer(account, query);
  }

  #answer(account: AccountId | null, query: Query): QueryResponse {
    return answer(this.#scope, account, query);
  }
}
