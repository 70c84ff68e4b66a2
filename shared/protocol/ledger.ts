/**
 * What the ledger reports back to owners: failure reasons, history entries, asset metadata and
 * receipts. Shared so the enclave encodes and the extension decodes with one definition.
 */
import type { AccountId, Amount, AssetId, ContractId, Hash } from '../types';
import {
  readAccount, readAmount, readAsset, readHash, variants, writeAccount, writeAmount, writeAsset, writeHash,
} from './primitives';
import { ScaleReader, ScaleWriter, decodeExact, encodeWith } from './scale';
import { MAX_NAME_BYTES, MAX_SYMBOL_BYTES } from './rules';
import { domainMessage } from './domain';

/** Why a secret command failed. Shown only to its sender. Order is the wire tag: append only. */
export const LedgerErrorCodes = variants([
  'InsufficientBalance',
  'UnknownAsset',
  'Overflow',
  'NotIssuer',
  'InvalidCommand', // the envelope did not open or decode (tampered, wrong signer binding, bad padding)
  'NotNativeAsset',
  'ZeroAmount',
  'SymbolTaken',
  'BelowMinimum', // a Withdraw below the chain's existential deposit: the chain could never pay its receipt
  'InvalidSymbol', // an Issue whose symbol breaks the symbol rule (isIssuableSymbol)
  'BadNonce', // a relayed command whose nonce is not the user's next one: replayed or out of order; nothing moved
  'FeeUnpaid', // a relayed command whose user cannot pay the relayer's fee: refused, its nonce used
] as const);
export type LedgerErrorCode = (typeof LedgerErrorCodes.names)[number];

/** Order is the wire tag: append only. RelayFee: secret PHA a relayed command paid its relayer. */
export const HistoryKinds = variants(['Deposit', 'Transfer', 'Withdraw', 'Issue', 'Mint', 'Burn', 'Invalid', 'RevokePermit', 'RelayFee'] as const);
export type HistoryKind = (typeof HistoryKinds.names)[number];

export const Directions = variants(['In', 'Out', 'Self'] as const);
export type Direction = (typeof Directions.names)[number];

export type Outcome = { ok: true; receiptSeq: bigint | null } | { ok: false; error: LedgerErrorCode };

export interface HistoryEntry {
  /** Block that carried the command or deposit. */
  block: number;
  /** Position of the item within that block. */
  index: number;
  kind: HistoryKind;
  direction: Direction;
  asset: AssetId;
  counterparty: AccountId | null;
  amount: Amount;
  outcome: Outcome;
  /** blake2-256 of the pushed payload (equals `CommandPushed.payloadHash`), or of the deposit event. */
  ref: Hash;
}

export function writeHistoryEntry(w: ScaleWriter, e: HistoryEntry): void {
  w.u32(e.block).u32(e.index).u8(HistoryKinds.tagOf(e.kind)).u8(Directions.tagOf(e.direction));
  writeAsset(w, e.asset);
  w.option(e.counterparty, writeAccount);
  writeAmount(w, e.amount);
  if (e.outcome.ok) w.u8(0).option(e.outcome.receiptSeq, (w2, s) => w2.u64(s));
  else w.u8(1).u8(LedgerErrorCodes.tagOf(e.outcome.error));
  writeHash(w, e.ref);
}

export function readHistoryEntry(r: ScaleReader): HistoryEntry {
  const block = r.u32();
  const index = r.u32();
  const kind = HistoryKinds.read(r);
  const direction = Directions.read(r);
  const asset = readAsset(r);
  const counterparty = r.option(readAccount);
  const amt = readAmount(r);
  const outcome: Outcome = r.tag(2) === 0
    ? { ok: true, receiptSeq: r.option((r2) => r2.u64()) }
    : { ok: false, error: LedgerErrorCodes.read(r) };
  return { block, index, kind, direction, asset, counterparty, amount: amt, outcome, ref: readHash(r) };
}

/** Public metadata of an asset. The total supply is deliberately absent: it stays hidden. */
export interface AssetInfo {
  id: AssetId;
  symbol: string;
  name: string;
  decimals: number;
  /** null for the native asset. */
  issuer: AccountId | null;
}

export function writeAssetInfo(w: ScaleWriter, a: AssetInfo): void {
  writeAsset(w, a.id);
  w.str(a.symbol, MAX_SYMBOL_BYTES).str(a.name, MAX_NAME_BYTES).u8(a.decimals).option(a.issuer, writeAccount);
}

export function readAssetInfo(r: ScaleReader): AssetInfo {
  return {
    id: readAsset(r),
    symbol: r.str(MAX_SYMBOL_BYTES),
    name: r.str(MAX_NAME_BYTES),
    decimals: r.u8(),
    issuer: r.option(readAccount),
  };
}

/** A withdrawal the enclave authorises; the pallet pays it once per `seq`. */
export interface WithdrawReceipt {
  contractId: ContractId;
  seq: bigint;
  dest: AccountId;
  amount: Amount;
}

export function writeReceipt(w: ScaleWriter, x: WithdrawReceipt): void {
  w.u32(x.contractId).u64(x.seq);
  writeAccount(w, x.dest);
  writeAmount(w, x.amount);
}

export function readReceipt(r: ScaleReader): WithdrawReceipt {
  return { contractId: r.u32() as ContractId, seq: r.u64(), dest: readAccount(r), amount: readAmount(r) };
}

export const encodeReceipt = (x: WithdrawReceipt) => encodeWith(x, writeReceipt);
export const decodeReceipt = (b: Uint8Array) => decodeExact(b, readReceipt);
export const encodeHistoryEntry = (e: HistoryEntry) => encodeWith(e, writeHistoryEntry);
export const decodeHistoryEntry = (b: Uint8Array) => decodeExact(b, readHistoryEntry);
export const encodeAssetInfo = (a: AssetInfo) => encodeWith(a, writeAssetInfo);
export const decodeAssetInfo = (b: Uint8Array) => decodeExact(b, readAssetInfo);

/** What the enclave identity key signs for a receipt: domain | genesis | SCALE(receipt). */
export const receiptMessage = (genesisHash: Uint8Array, x: WithdrawReceipt): Uint8Array =>
  domainMessage('receipt', genesisHash, encodeReceipt(x));
