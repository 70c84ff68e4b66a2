/** Fixtures for the enclave tests: real keyring accounts, real envelopes, real blocks of a test chain and query clients. */
import { blake2b } from '@noble/hashes/blake2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Enclave, EnclaveSecret, type BlockResult } from '../../../contract/enclave';
import type { SessionLimits } from '../../../contract/enclave/session-table';
import { signAsAccount } from '../../../shared/crypto/account-signature';
import { openReply, queryAad, sealCommand, sealEnvelope } from '../../../shared/crypto/envelope';
import { openFrame, sealFrame, sessionKeyOf } from '../../../shared/crypto/session';
import { randomSecret, x25519Backend } from '../../../shared/crypto/x25519';
import type { SecretCommand } from '../../../shared/protocol/command';
import type { HistoryEntry } from '../../../shared/protocol/ledger';
import {
  decodeQueryResponse, encodeQuery, encodeQueryRequest, openSessionMessage, signedQueryMessage,
  type Query, type QueryRequest, type QueryResponse, type QueryTarget,
} from '../../../shared/protocol/query';
import { accountId, toHex, type AccountId, type Amount, type AssetId, type ContractId, type Hash } from '../../../shared/types';
import { TEST_GENESIS, TestChain, type ChainItem, type TestBlock } from '../../helpers/test-chain';

export const CONTRACT = 1 as ContractId;
export const NATIVE = { symbol: 'PHA', name: 'Secret PHA', decimals: 12 };
export const GENESIS = TEST_GENESIS.hash;
/**
 * What `Enclave.restore` needs besides the sealed blob. Cadence 1 (every block a boundary) so the
 * suites about other rules see each block's receipts; cadence.test.ts covers longer cadences.
 */
export const CONFIG = { genesisHash: GENESIS, contractId: CONTRACT, metadata: TEST_GENESIS.metadata, receiptCadence: 1 };
export const NOW = 1_800_000_000_000;

export const amt = (n: bigint | number): Amount => BigInt(n) as Amount;
export const asset = (n: number): AssetId => n as AssetId;

export interface Accounts {
  alice: KeyringPair;
  bob: KeyringPair;
  charlie: KeyringPair;
  /** ed25519, so both signature schemes are exercised. */
  dave: KeyringPair;
}

export async function accounts(): Promise<Accounts> {
  await cryptoWaitReady();
  const sr = new Keyring({ type: 'sr25519' });
  const ed = new Keyring({ type: 'ed25519' });
  return { alice: sr.addFromUri('//Alice'), bob: sr.addFromUri('//Bob'), charlie: sr.addFromUri('//Charlie'), dave: ed.addFromUri('//Dave') };
}

export const idOf = (p: KeyringPair): AccountId => accountId(p.publicKey);

export const newEnclave = (secret = EnclaveSecret.generate(), opts: { sessions?: Partial<SessionLimits>; minWithdraw?: bigint; receiptCadence?: number } = {}) =>
  Enclave.create(secret, {
    ...CONFIG, native: NATIVE, genesis: TEST_GENESIS, sessions: opts.sessions, minWithdraw: opts.minWithdraw, receiptCadence: opts.receiptCadence ?? CONFIG.receiptCadence,
  });

/** Seals a command the way the client does; `as` overrides the bound signer, chain or contract. */
export function seal(e: Enclave, signer: AccountId, c: SecretCommand, as: { genesisHash?: Uint8Array; contractId?: ContractId } = {}): Promise<Uint8Array> {
  return sealCommand(e.contractPub, { genesisHash: as.genesisHash ?? GENESIS, contractId: as.contractId ?? CONTRACT, signer }, c);
}

/** Builds a block's extrinsics in order: deposits (`transferToTee`), pushed commands and paid receipts. */
export class BlockBuilder {
  readonly items: ChainItem[] = [];
  deposit(who: AccountId, amount: bigint | number, contractId: number = CONTRACT): this {
    this.items.push({ kind: 'deposit', who, contractId, amount: amt(amount) });
    return this;
  }
  /** A `pushCommand` signed by `sender`; `success: false` is one the pallet refused. */
  push(sender: AccountId, payload: Uint8Array, contractId: number = CONTRACT, success = true): this {
    this.items.push({ kind: 'command', sender, contractId, payload, success });
    return this;
  }
  paid(receipt: { contractId: number; seq: bigint; dest: AccountId; amount: bigint }): this {
    this.items.push({ kind: 'paid', ...receipt });
    return this;
  }
}

/** Feeds the next block of one test chain to one or more enclaves (each created at its genesis). */
export class Feeder {
  readonly chain = new TestChain();
  get next(): number {
    return this.chain.head + 1;
  }
  block(items: ChainItem[] | BlockBuilder): TestBlock {
    return this.chain.block(items instanceof BlockBuilder ? items.items : items);
  }
  async feed(enclaves: Enclave | Enclave[], items: ChainItem[] | BlockBuilder): Promise<BlockResult[]> {
    const block = this.block(items);
    return Promise.all((Array.isArray(enclaves) ? enclaves : [enclaves]).map((e) => e.ingest([block])));
  }
}

export const target = (e: Enclave, genesisHash: Uint8Array = GENESIS): QueryTarget => ({ genesisHash, contractId: CONTRACT, contractPub: e.contractPub });

/** Sends one query envelope and opens the reply. */
export async function ask(e: Enclave, request: QueryRequest, now = NOW): Promise<QueryResponse> {
  const { envelope, replyKey } = await sealEnvelope('query', e.contractPub, queryAad(GENESIS, CONTRACT), encodeQueryRequest(request));
  return decodeQueryResponse(openReply(replyKey, await e.handleQuery(envelope, now)));
}

export function signedRequest(e: Enclave, pair: KeyringPair, query: Query, issuedAt = NOW, account = idOf(pair)): QueryRequest {
  const signature = signAsAccount(pair, signedQueryMessage(target(e), account, BigInt(issuedAt), query));
  return { kind: 'Signed', account, issuedAt: BigInt(issuedAt), query, signature };
}

export const signedQuery = (e: Enclave, pair: KeyringPair, query: Query, now = NOW): Promise<QueryResponse> =>
  ask(e, signedRequest(e, pair, query, now), now);

/** A client's side of a query session. */
export class SessionClient {
  counter = 0n;
  constructor(readonly id: Uint8Array, readonly key: Uint8Array, readonly expiresAt: bigint) {}

  frame(query: Query, counter = ++this.counter): Uint8Array {
    return sealFrame(this.key, this.id, counter, 'request', encodeQuery(query));
  }

  read(reply: Uint8Array): QueryResponse {
    return decodeQueryResponse(openFrame(this.key, reply, 'reply'));
  }

  ask(e: Enclave, query: Query, now = NOW): QueryResponse {
    return this.read(e.handleSessionQuery(this.frame(query), now));
  }
}

export async function openSessionRequest(e: Enclave, pair: KeyringPair, expiresAt: number, sessionSecret = randomSecret()) {
  const x = await x25519Backend();
  const [sessionPub, derive] = await Promise.all([x.publicKey(sessionSecret), x.prepare(sessionSecret)]);
  const account = idOf(pair);
  const signature = signAsAccount(pair, openSessionMessage(target(e), account, sessionPub, BigInt(expiresAt)));
  const request: QueryRequest = { kind: 'OpenSession', account, sessionPub, expiresAt: BigInt(expiresAt), signature };
  const shared = await derive(e.contractPub);
  return { request, keyFor: (salt: Uint8Array) => sessionKeyOf(shared, e.contractPub, sessionPub, salt) };
}

export async function openSession(e: Enclave, pair: KeyringPair, now = NOW, ttl = 15 * 60_000): Promise<SessionClient> {
  const { request, keyFor } = await openSessionRequest(e, pair, now + ttl);
  const r = await ask(e, request, now);
  if (r.kind !== 'Session') throw new Error(`expected a session, got ${JSON.stringify(r)}`);
  return new SessionClient(r.sessionId, keyFor(r.salt), r.expiresAt);
}

export async function balancesOf(e: Enclave, pair: KeyringPair): Promise<Map<number, bigint>> {
  const r = await signedQuery(e, pair, { kind: 'Balances' });
  if (r.kind !== 'Balances') throw new Error(`expected balances, got ${r.kind}`);
  return new Map(r.balances.map((b) => [b.asset, b.amount]));
}

export async function historyOf(e: Enclave, pair: KeyringPair): Promise<HistoryEntry[]> {
  const r = await signedQuery(e, pair, { kind: 'History', from: 0, limit: 100 });
  if (r.kind !== 'History') throw new Error(`expected history, got ${r.kind}`);
  return r.entries;
}

export const refOf = (payload: Uint8Array): Hash => toHex(blake2b(payload, { dkLen: 32 })) as Hash;
export const randomAccount = (): AccountId => accountId(randomBytes(32));

/** Runs `fn` and returns what it threw (failing the test when it did not throw). */
export async function thrown(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}
