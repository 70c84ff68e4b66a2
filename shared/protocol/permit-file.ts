/**
 * The view permit as the file an owner hands an auditor (JSON, version 1). Every field is the signed
 * permit's own (shared/protocol/permit.ts) in readable form; nothing in the file is outside the
 * signature, so changing any field, adding one or dropping one makes the permit read nothing.
 *
 * {
 *   "format": "dark-wallet-view-permit", "version": 1,
 *   "id": "0x<16 bytes>", "name": "Tax 2026",
 *   "genesisHash": "0x<32 bytes>", "contractId": 1,
 *   "owner": "<SS58 or 0x public key>", "auditor": "<SS58 or 0x public key>",
 *   "assets": [0, 3], "fields": ["balances", "history"], "expiresAtBlock": 120000,
 *   "signature": { "scheme": "Sr25519" | "Ed25519", "bytes": "0x<64 bytes>" }
 * }
 */
import { DarkWalletError, ProtocolError } from '../errors';
import { accountId, accountIdToAddress, assetId, contractId, fromHex, hash32, toHex } from '../types';
import { encodeSignedPermit, permitId, type PermitFields, type SignedPermit } from './permit';
import { SignatureSchemes, type SignatureScheme } from './signature';

export const PERMIT_FILE_FORMAT = 'dark-wallet-view-permit';
export const PERMIT_FILE_VERSION = 1;

const KEYS = ['format', 'version', 'id', 'name', 'genesisHash', 'contractId', 'owner', 'auditor', 'assets', 'fields', 'expiresAtBlock', 'signature'];

export interface PermitFile {
  format: typeof PERMIT_FILE_FORMAT;
  version: typeof PERMIT_FILE_VERSION;
  id: string;
  name: string;
  genesisHash: string;
  contractId: number;
  owner: string;
  auditor: string;
  assets: number[];
  fields: ('balances' | 'history')[];
  expiresAtBlock: number;
  signature: { scheme: SignatureScheme; bytes: string };
}

export class PermitFileError extends DarkWalletError {
  constructor(message: string) {
    super('InvalidPermitFile', message);
  }
}

const fieldNames = (f: PermitFields): PermitFile['fields'] => [...(f.balances ? ['balances' as const] : []), ...(f.history ? ['history' as const] : [])];

export function permitToFile({ permit: p, signature }: SignedPermit, ss58Format = 42): PermitFile {
  return {
    format: PERMIT_FILE_FORMAT, version: PERMIT_FILE_VERSION,
    id: p.id, name: p.name, genesisHash: p.genesisHash, contractId: p.contractId,
    owner: accountIdToAddress(p.owner, ss58Format), auditor: accountIdToAddress(p.auditor, ss58Format),
    assets: [...p.assets], fields: fieldNames(p.fields), expiresAtBlock: p.expiresAtBlock,
    signature: { scheme: signature.scheme, bytes: toHex(signature.bytes) },
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function field<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch {
    throw new PermitFileError(`This permit's ${what} is not valid: the file is damaged or was not made by a Dark Wallet.`);
  }
}

function parseFields(v: unknown): PermitFields {
  if (!Array.isArray(v) || v.length === 0 || v.some((x) => x !== 'balances' && x !== 'history') || new Set(v).size !== v.length) throw new Error();
  return { balances: v.includes('balances'), history: v.includes('history') };
}

/** Parses a permit file (its JSON text, or the parsed value) into a SignedPermit; refuses anything else with PermitFileError. */
export function permitFromFile(input: unknown): SignedPermit {
  let v = input;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      throw new PermitFileError('This is not a view permit file (it is not JSON).');
    }
  }
  if (!isRecord(v) || v.format !== PERMIT_FILE_FORMAT) throw new PermitFileError('This is not a Dark Wallet view permit file.');
  if (v.version !== PERMIT_FILE_VERSION) throw new PermitFileError('This view permit was made by a newer Dark Wallet: update to read it.');
  const extra = Object.keys(v).filter((k) => !KEYS.includes(k));
  if (extra.length > 0) throw new PermitFileError(`This permit has fields no permit has (${extra.join(', ')}): it was changed after signing.`);
  const sig = field('signature', () => {
    if (!isRecord(v.signature) || !(SignatureSchemes.names as readonly unknown[]).includes(v.signature.scheme)) throw new Error();
    const bytes = fromHex(v.signature.bytes as string);
    if (bytes.length !== 64) throw new Error();
    return { scheme: v.signature.scheme as SignatureScheme, bytes };
  });
  const signed: SignedPermit = {
    permit: {
      id: field('id', () => permitId(v.id as string)),
      name: field('name', () => { if (typeof v.name !== 'string' || v.name === '') throw new Error(); return v.name; }),
      genesisHash: field('chain', () => hash32(fromHex(v.genesisHash as string))),
      contractId: field('contract', () => contractId(v.contractId as number)),
      owner: field('owner', () => accountId(v.owner as string)),
      auditor: field('auditor', () => accountId(v.auditor as string)),
      assets: field('asset list', () => { if (!Array.isArray(v.assets)) throw new Error(); return v.assets.map((a) => assetId(a as number)); }),
      fields: field('granted fields', () => parseFields(v.fields)),
      expiresAtBlock: field('expiry', () => { const n = v.expiresAtBlock; if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 0xffff_ffff) throw new Error(); return n; }),
    },
    signature: sig,
  };
  // The encoder's own rules (name length, ascending assets, at most 16): one definition of a valid permit.
  try {
    encodeSignedPermit(signed);
  } catch (e) {
    throw new PermitFileError(`This permit is not valid: ${e instanceof ProtocolError ? e.message : 'it does not encode'}`);
  }
  return signed;
}
