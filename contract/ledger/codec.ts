/**
 * Canonical SCALE encoding of the whole ledger state: what the enclave seals and what it hashes
 * (blake2-256) as the state root. Canonical means one state has exactly one encoding: accounts are
 * sorted by AccountId, balances by asset id, zero balances do not exist, and asset ids and receipt
 * seqs are implied by position. `decodeState` accepts exactly the bytes `encodeState` can produce.
 *
 * Layout (version 1):
 *   u8 version | u32 contractId | u32 lastBlock
 *   Vec<asset>    position = asset id: str symbol | str name | u8 decimals | Option<AccountId> issuer | u128 supply
 *   Vec<account>  ascending AccountId: AccountId | Vec<(u32 asset, u128 amount)> ascending asset | Vec<HistoryEntry>
 *   Vec<receipt>  position + 1 = seq (so the next seq is length + 1): AccountId sender | AccountId dest | u128 amount
 * Version 2 (written only once some owner revoked a view permit) appends:
 *   Vec<owner>    non-empty, ascending AccountId: AccountId | Vec<[u8;16] permit id> non-empty, ascending
 * Version 3 (written only once some account used a relay nonce) is version 2 with `u64 relayNonce`
 * after each account's history, and its Vec<owner> may be empty.
 * Each state is written in the smallest version that holds it, so every earlier state keeps its bytes
 * and its state root; a version-3 state whose nonces are all 0, or a version-2 one without
 * revocations, is refused (it would be a second encoding of a smaller version's state).
 */
import { ProtocolError } from '../../shared/errors';
import type { AccountId, Amount, AssetId, ContractId } from '../../shared/types';
import { U128_MAX, U32_MAX } from '../../shared/types';
import { MAX_NAME_BYTES, MAX_SYMBOL_BYTES, symbolKey } from '../../shared/protocol/rules';
import type { HistoryEntry } from '../../shared/protocol/ledger';
import { readPermitId, writePermitId, type PermitId } from '../../shared/protocol/permit';
import { readHistoryEntry, writeHistoryEntry } from '../../shared/protocol/ledger';
import {
  readAccount, readAmount, readAsset, writeAccount, writeAmount, writeAsset,
} from '../../shared/protocol/primitives';
import { ScaleWriter, decodeExact } from '../../shared/protocol/scale';
import type { ScaleReader } from '../../shared/protocol/scale';
import { shared } from './outcomes';
import type { AccountState, AssetState, LedgerState, ReceiptRecord } from './state';
import { isHash, validMetadata } from './validate';

export const STATE_VERSION = 1;
/** The version that carries revoked view permits. */
export const STATE_VERSION_PERMITS = 2;
/** The version that carries relay nonces (and revoked view permits, possibly none). */
export const STATE_VERSION_RELAY = 3;

const byAsset = (a: [number, bigint], b: [number, bigint]) => a[0] - b[0];

export function encodeState(s: LedgerState): Uint8Array {
  const w = new ScaleWriter(4096);
  const withNonces = [...s.accounts.values()].some((acc) => acc.relayNonce > 0n);
  const withPermits = withNonces || s.revokedPermits.size > 0;
  const version = withNonces ? STATE_VERSION_RELAY : withPermits ? STATE_VERSION_PERMITS : STATE_VERSION;
  w.u8(version).u32(s.contractId).u32(s.lastBlock);
  w.vec(s.assets, U32_MAX, (w2, a) => {
    w2.str(a.symbol, MAX_SYMBOL_BYTES).str(a.name, MAX_NAME_BYTES).u8(a.decimals).option(a.issuer, writeAccount);
    w2.u128(a.supply);
  });
  // Lowercase hex of equal length sorts like the bytes it encodes.
  const ids = [...s.accounts.keys()].sort();
  w.vec(ids, U32_MAX, (w2, id) => {
    const acc = s.accounts.get(id) as AccountState;
    writeAccount(w2, id);
    w2.vec([...acc.balances].sort(byAsset), U32_MAX, (w3, [asset, amount]) => {
      writeAsset(w3, asset as AssetId);
      writeAmount(w3, amount as Amount);
    });
    w2.vec(acc.history, U32_MAX, writeHistoryEntry);
    if (withNonces) w2.u64(acc.relayNonce);
  });
  w.vec(s.receipts, U32_MAX, (w2, x) => {
    writeAccount(w2, x.sender);
    writeAccount(w2, x.dest);
    writeAmount(w2, x.amount);
  });
  if (withPermits) writeRevokedPermits(w, s.revokedPermits);
  return w.finish();
}

function writeRevokedPermits(w: ScaleWriter, revoked: Map<AccountId, Set<PermitId>>): void {
  w.vec([...revoked.keys()].sort(), U32_MAX, (w2, owner) => {
    writeAccount(w2, owner);
    w2.vec([...(revoked.get(owner) as Set<PermitId>)].sort(), U32_MAX, writePermitId);
  });
}

/**
 * Owners and their ids strictly ascending and never empty: the only form writeRevokedPermits makes.
 * The list itself is empty only in a version-3 state, which exists for its relay nonces.
 */
function readRevokedPermits(r: ScaleReader, one: Interner, mayBeEmpty: boolean): Map<AccountId, Set<PermitId>> {
  const revoked = new Map<AccountId, Set<PermitId>>();
  let prevOwner = '';
  r.vec(U32_MAX, (r2) => {
    const owner = one(readAccount(r2));
    if (owner <= prevOwner) throw invalid('revoked permits out of order');
    let prevId = '';
    const ids = new Set<PermitId>();
    r2.vec(U32_MAX, (r3) => {
      const id = readPermitId(r3);
      if (id <= prevId) throw invalid('revoked permit ids out of order');
      ids.add(id);
      prevId = id;
    });
    if (ids.size === 0) throw invalid('an owner without revoked permits');
    revoked.set(owner, ids);
    prevOwner = owner;
  });
  if (revoked.size === 0 && !mayBeEmpty) throw invalid('an empty revoked-permit list');
  return revoked;
}

const invalid = (what: string) => new ProtocolError('OutOfRange', `Sealed ledger state is inconsistent: ${what}.`);

function readAssetState(r: ScaleReader): AssetState {
  const symbol = r.str(MAX_SYMBOL_BYTES);
  const name = r.str(MAX_NAME_BYTES);
  const decimals = r.u8();
  const issuer = r.option(readAccount);
  return { symbol, name, decimals, issuer, supply: r.u128() };
}

/**
 * The shared hex reader builds strings by concatenation, and V8 keeps such a string as a tree of ~30
 * pieces (about 1 KB for 66 characters) until something flattens it. Left alone, a restored
 * 100k-account ledger took ~7× the memory and ~10× the time of the live one. So each decoded string
 * is flattened as soon as it is read, while its pieces are still young and cheap to collect:
 * account ids by interning (a Map lookup hashes, which flattens, and every id then exists once, as in
 * a live ledger); refs, one per item and too many to intern, by the RegExp scan of isHash.
 */
type Interner = <T extends string>(v: T) => T;
function interner(): Interner {
  const seen = new Map<string, string>();
  return <T extends string>(v: T): T => {
    const known = seen.get(v);
    if (known !== undefined) return known as T;
    seen.set(v, v);
    return v;
  };
}

function readEntry(r: ScaleReader, one: Interner): HistoryEntry {
  const e = readHistoryEntry(r);
  if (e.counterparty !== null) e.counterparty = one(e.counterparty);
  if (!isHash(e.ref)) throw invalid('a malformed ref');
  e.outcome = shared(e.outcome);
  return e;
}

/** Balances in strictly ascending asset order: the only order encodeState writes. */
function readBalances(r: ScaleReader): Map<number, bigint> {
  const balances = new Map<number, bigint>();
  let prev = -1;
  r.vec(U32_MAX, (r2) => {
    const asset = readAsset(r2);
    if (asset <= prev) throw invalid('balances out of order');
    balances.set(asset, readAmount(r2));
    prev = asset;
  });
  return balances;
}

/** Accounts in strictly ascending id order, so no account can appear twice or in another order. */
function readAccounts(r: ScaleReader, one: Interner, withNonce: boolean): Map<AccountId, AccountState> {
  const accounts = new Map<AccountId, AccountState>();
  let prev = '';
  r.vec(U32_MAX, (r2) => {
    const id = one(readAccount(r2));
    if (id <= prev) throw invalid('accounts out of order');
    const balances = readBalances(r2);
    const history = r2.vec(U32_MAX, (r3) => readEntry(r3, one));
    accounts.set(id, { id, balances, history, relayNonce: withNonce ? r2.u64() : 0n });
    prev = id;
  });
  return accounts;
}

const readReceiptRecord = (r: ScaleReader, one: Interner): ReceiptRecord => ({
  sender: one(readAccount(r)), dest: one(readAccount(r)), amount: readAmount(r),
});

function readState(r: ScaleReader): LedgerState {
  const version = r.u8();
  if (version !== STATE_VERSION && version !== STATE_VERSION_PERMITS && version !== STATE_VERSION_RELAY) {
    throw new ProtocolError('BadVersion', 'Unknown sealed ledger state version.');
  }
  const withNonces = version === STATE_VERSION_RELAY;
  const contractId = r.u32() as ContractId;
  const lastBlock = r.u32();
  const assets = r.vec(U32_MAX, readAssetState);
  const one = interner();
  const accounts = readAccounts(r, one, withNonces);
  if (withNonces && ![...accounts.values()].some((acc) => acc.relayNonce > 0n)) throw invalid('a relay-nonce state without a relay nonce');
  const receipts = r.vec(U32_MAX, (r2) => readReceiptRecord(r2, one));
  const revokedPermits = version === STATE_VERSION ? new Map<AccountId, Set<PermitId>>() : readRevokedPermits(r, one, withNonces);
  return { contractId, lastBlock, assets, symbols: new Map(), accounts, receipts, revokedPermits };
}

/** The invariants the rules rely on; a state breaking one could mint or lose money after restore. */
function checkInvariants(s: LedgerState): void {
  if (s.assets.length === 0) throw invalid('the native asset is missing');
  const sums = s.assets.map(() => 0n);
  s.assets.forEach((a, id) => {
    if (!validMetadata(a.symbol, a.name, a.decimals)) throw invalid('bad asset metadata');
    if ((id === 0) !== (a.issuer === null)) throw invalid('only the native asset has no issuer');
    const key = symbolKey(a.symbol);
    if (s.symbols.has(key)) throw invalid('duplicate symbol');
    s.symbols.set(key, id as AssetId);
  });
  for (const acc of s.accounts.values()) {
    if (acc.history.length === 0) throw invalid('an account without history');
    for (const [asset, amount] of acc.balances) {
      if (asset >= sums.length) throw invalid('a balance of an unknown asset');
      if (amount === 0n) throw invalid('a zero balance');
      sums[asset] += amount;
    }
    for (const e of acc.history) if (e.block > s.lastBlock) throw invalid('history after the last block');
  }
  for (const owner of s.revokedPermits.keys()) if (!s.accounts.has(owner)) throw invalid('a revocation by an account without history');
  sums.forEach((sum, id) => {
    if (sum > U128_MAX || sum !== s.assets[id].supply) throw invalid('supply differs from the sum of balances');
  });
  for (const x of s.receipts) if (x.amount === 0n) throw invalid('an empty receipt');
}

/**
 * Every part of the format has one encoding (the shared reader refuses non-canonical lengths, tags
 * and strings; order and each version's minimality are checked above), so a state that decodes, of
 * any version, re-encodes to the same bytes.
 */
export function decodeState(bytes: Uint8Array): LedgerState {
  const s = decodeExact(bytes, readState);
  checkInvariants(s);
  return s;
}
