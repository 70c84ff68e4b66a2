/**
 * View permits (like Secret Network's SNIP-24): an owner lets one named auditor account read chosen
 * assets' balances and/or history through the auditor's own signed query session. A permit is only
 * ever read: no command carries one, and its signature is in its own account-message purpose
 * ("v2/view-permit"), so it verifies as nothing else (no session, no query, no extrinsic).
 *
 * Wire form (SCALE; the owner signs `accountMessage('view-permit', genesisHash, SCALE(ViewPermit))`):
 *   u8 version (1) | [u8;16] id | str name (1..=32 B) | [u8;32] genesisHash | u32 contractId
 *   | AccountId owner | AccountId auditor | Vec<u32> assets (1..=16, strictly ascending)
 *   | u8 fields (bit 0 balances, bit 1 history; at least one, no other bits) | u32 expiresAtBlock
 * SignedPermit = ViewPermit | AccountSignature (u8 scheme | 64 B).
 * A permit reads nothing once the contract's ledger has applied block `expiresAtBlock` (block
 * numbers come from the chain the enclave verifies; the host's clock does not count), nor once
 * the ledger applied the owner's `RevokePermit{id}`.
 */
import { ProtocolError } from '../errors';
import { fromHex, hash32, toHex, type AccountId, type AssetId, type Brand, type ContractId, type Hash } from '../types';
import { accountMessage } from './domain';
import { readAccount, readAsset, writeAccount, writeAsset } from './primitives';
import { readSignature, writeSignature, type AccountSignature } from './signature';
import { ScaleReader, ScaleWriter, decodeExact, encodeWith } from './scale';

export const PERMIT_VERSION = 1;
export const PERMIT_ID_BYTES = 16;
export const MAX_PERMIT_NAME_BYTES = 32;
export const MAX_PERMIT_ASSETS = 16;

/** 16 random bytes as 0x-hex, chosen by the owner; revocation names it. */
export type PermitId = Brand<string, 'PermitId'>;

export function permitId(input: string | Uint8Array): PermitId {
  const bytes = typeof input === 'string' ? fromHex(input) : input;
  if (bytes.length !== PERMIT_ID_BYTES) throw new ProtocolError('BadLength', 'A permit id is 16 bytes.');
  return toHex(bytes) as PermitId;
}

export interface PermitFields {
  balances: boolean;
  history: boolean;
}

export interface ViewPermit {
  id: PermitId;
  /** The owner's label for the auditor, e.g. "Tax 2026". */
  name: string;
  genesisHash: Hash;
  contractId: ContractId;
  owner: AccountId;
  auditor: AccountId;
  /** Strictly ascending asset ids. */
  assets: AssetId[];
  fields: PermitFields;
  /** The permit reads nothing once the ledger has applied this block. */
  expiresAtBlock: number;
}

export interface SignedPermit {
  permit: ViewPermit;
  signature: AccountSignature;
}

export const writePermitId = (w: ScaleWriter, id: PermitId) => w.fixed(fromHex(id), PERMIT_ID_BYTES);
export const readPermitId = (r: ScaleReader): PermitId => toHex(r.fixed(PERMIT_ID_BYTES)) as PermitId;

const FIELD_BALANCES = 1;
const FIELD_HISTORY = 2;

function fieldBits(f: PermitFields): number {
  const bits = (f.balances ? FIELD_BALANCES : 0) | (f.history ? FIELD_HISTORY : 0);
  if (bits === 0) throw new ProtocolError('OutOfRange', 'A permit grants balances, history or both.');
  return bits;
}

function readFields(r: ScaleReader): PermitFields {
  const bits = r.u8();
  if (bits === 0 || (bits & ~(FIELD_BALANCES | FIELD_HISTORY)) !== 0) throw new ProtocolError('OutOfRange', 'A permit grants balances, history or both.');
  return { balances: (bits & FIELD_BALANCES) !== 0, history: (bits & FIELD_HISTORY) !== 0 };
}

/** One encoding per permit: 1..=16 assets in strictly ascending order. */
function checkAssets(assets: readonly AssetId[]): void {
  if (assets.length === 0 || assets.length > MAX_PERMIT_ASSETS) throw new ProtocolError('OutOfRange', `A permit names 1 to ${MAX_PERMIT_ASSETS} assets.`);
  for (let i = 1; i < assets.length; i++) {
    if (assets[i] <= assets[i - 1]) throw new ProtocolError('OutOfRange', 'A permit lists its assets once each, in ascending order.');
  }
}

function checkName(name: string): void {
  if (name.length === 0) throw new ProtocolError('OutOfRange', 'A permit needs a name.');
}

export function writePermit(w: ScaleWriter, p: ViewPermit): void {
  checkName(p.name);
  checkAssets(p.assets);
  w.u8(PERMIT_VERSION);
  writePermitId(w, p.id);
  w.str(p.name, MAX_PERMIT_NAME_BYTES).fixed(fromHex(p.genesisHash), 32).u32(p.contractId);
  writeAccount(w, p.owner);
  writeAccount(w, p.auditor);
  w.vec(p.assets, MAX_PERMIT_ASSETS, writeAsset);
  w.u8(fieldBits(p.fields)).u32(p.expiresAtBlock);
}

export function readPermit(r: ScaleReader): ViewPermit {
  if (r.u8() !== PERMIT_VERSION) throw new ProtocolError('BadVersion', 'Unknown view permit version.');
  const id = readPermitId(r);
  const name = r.str(MAX_PERMIT_NAME_BYTES);
  checkName(name);
  const genesisHash = hash32(r.fixed(32));
  const contractId = r.u32() as ContractId;
  const owner = readAccount(r);
  const auditor = readAccount(r);
  const assets = r.vec(MAX_PERMIT_ASSETS, readAsset);
  checkAssets(assets);
  return { id, name, genesisHash, contractId, owner, auditor, assets, fields: readFields(r), expiresAtBlock: r.u32() };
}

export function writeSignedPermit(w: ScaleWriter, s: SignedPermit): void {
  writePermit(w, s.permit);
  writeSignature(w, s.signature);
}

export const readSignedPermit = (r: ScaleReader): SignedPermit => ({ permit: readPermit(r), signature: readSignature(r) });

export const encodePermit = (p: ViewPermit) => encodeWith(p, writePermit, 256);
export const decodePermit = (b: Uint8Array) => decodeExact(b, readPermit);
export const encodeSignedPermit = (s: SignedPermit) => encodeWith(s, writeSignedPermit, 320);
export const decodeSignedPermit = (b: Uint8Array) => decodeExact(b, readSignedPermit);

/** What the owner signs. The genesis is also in the body, so a permit names its chain on its own. */
export const permitMessage = (p: ViewPermit): Uint8Array => accountMessage('view-permit', fromHex(p.genesisHash), encodePermit(p));
