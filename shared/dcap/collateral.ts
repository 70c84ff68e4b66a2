/**
 * Quote collateral as Intel's PCS / a PCCS serves it: PCK CRL and its issuer chain, the root CA CRL,
 * TCB info and QE identity (signed JSON) with their issuer chains. The JSON is parsed only after its
 * signature is checked, and parsed into exactly the fields the verifier uses.
 */
import { hexToBytes } from '@noble/hashes/utils.js';

export interface DcapCollateral {
  /** PEM chain of the PCK CRL's issuer (PCK Platform or Processor CA, then the root). */
  pckCrlIssuerChain: string;
  /** DER CRL of the Intel SGX Root CA. */
  rootCaCrl: Uint8Array;
  /** DER CRL of the PCK CA that issued the quote's PCK certificate. */
  pckCrl: Uint8Array;
  tcbInfoIssuerChain: string;
  /** The `tcbInfo` JSON object's exact text, as signed. */
  tcbInfo: string;
  /** Raw r ‖ s (64 bytes). */
  tcbInfoSignature: Uint8Array;
  qeIdentityIssuerChain: string;
  /** The `enclaveIdentity` JSON object's exact text, as signed. */
  qeIdentity: string;
  qeIdentitySignature: Uint8Array;
}

export const TCB_STATUSES = [
  'UpToDate', 'SWHardeningNeeded', 'ConfigurationNeeded', 'ConfigurationAndSWHardeningNeeded',
  'OutOfDate', 'OutOfDateConfigurationNeeded', 'Revoked',
] as const;
/** Intel's TCB statuses, in order of increasing severity. */
export type TcbStatus = (typeof TCB_STATUSES)[number];

export const isTcbStatus = (v: unknown): v is TcbStatus => typeof v === 'string' && (TCB_STATUSES as readonly string[]).includes(v);

export interface TcbLevel {
  sgxComponents: number[];
  /** Empty for SGX TCB info. */
  tdxComponents: number[];
  pceSvn: number;
  status: TcbStatus;
  advisoryIds: string[];
}

/** Who may have signed the TDX module, and the SEAM attributes it must run with. */
export interface TdxModuleExpectation {
  /** 48 bytes, lowercase hex (all zero: Intel). */
  mrSigner: string;
  attributes: Uint8Array;
  attributesMask: Uint8Array;
}

/** One major version of the TDX module (`TDX_01`, `TDX_03`, …) with its own TCB levels by module SVN. */
export interface TdxModuleIdentity extends TdxModuleExpectation {
  id: string;
  levels: { isvSvn: number; status: TcbStatus; advisoryIds: string[] }[];
}

export interface TcbInfo {
  id: 'SGX' | 'TDX';
  issueDate: number;
  nextUpdate: number;
  fmspc: string;
  pceId: string;
  levels: TcbLevel[];
  /** TDX only: the module every TD on this platform runs under. */
  tdxModule?: TdxModuleExpectation;
  /** TDX only; may be empty. */
  tdxModuleIdentities: TdxModuleIdentity[];
}

export interface QeIdentity {
  id: 'QE' | 'TD_QE';
  issueDate: number;
  nextUpdate: number;
  miscSelect: number;
  miscSelectMask: number;
  attributes: Uint8Array;
  attributesMask: Uint8Array;
  mrSigner: string;
  isvProdId: number;
  levels: { isvSvn: number; status: TcbStatus; advisoryIds: string[] }[];
}

type Json = Record<string, unknown>;

function obj(v: unknown): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new RangeError('collateral: expected an object');
  return v as Json;
}
function arr(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw new RangeError('collateral: expected an array');
  return v;
}
function uint(v: unknown, max = 0xffff): number {
  if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > max) throw new RangeError('collateral: expected a small unsigned integer');
  return v as number;
}
function str(v: unknown): string {
  if (typeof v !== 'string') throw new RangeError('collateral: expected a string');
  return v;
}
function hexOf(v: unknown, bytes: number): string {
  const s = str(v).toLowerCase();
  if (!new RegExp(`^[0-9a-f]{${bytes * 2}}$`).test(s)) throw new RangeError(`collateral: expected ${bytes} bytes of hex`);
  return s;
}
function date(v: unknown): number {
  const s = str(v);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/.test(s)) throw new RangeError('collateral: expected an ISO date');
  return Date.parse(s);
}
function status(v: unknown): TcbStatus {
  if (!isTcbStatus(v)) throw new RangeError('collateral: unknown TCB status');
  return v;
}
const advisories = (v: unknown): string[] => (v === undefined ? [] : arr(v).map(str));
const isvSvnLevels = (v: unknown) => arr(v).map((l) => {
  const level = obj(l);
  return { isvSvn: uint(obj(level.tcb).isvsvn), status: status(level.tcbStatus), advisoryIds: advisories(level.advisoryIDs) };
});
function moduleExpectation(v: unknown): TdxModuleExpectation {
  const m = obj(v);
  return { mrSigner: hexOf(m.mrsigner, 48), attributes: hexToBytes(hexOf(m.attributes, 8)), attributesMask: hexToBytes(hexOf(m.attributesMask, 8)) };
}
const svns = (v: unknown): number[] => arr(v).map((c) => uint(obj(c).svn, 0xff));

export function parseTcbInfo(text: string): TcbInfo {
  const j = obj(JSON.parse(text));
  const id = str(j.id);
  if (id !== 'SGX' && id !== 'TDX') throw new RangeError('collateral: TCB info for an unknown TEE');
  if (uint(j.version) !== 3) throw new RangeError('collateral: only TCB info v3 is handled');
  return {
    id,
    issueDate: date(j.issueDate),
    nextUpdate: date(j.nextUpdate),
    fmspc: hexOf(j.fmspc, 6),
    pceId: hexOf(j.pceId, 2),
    levels: arr(j.tcbLevels).map((l) => {
      const level = obj(l);
      const tcb = obj(level.tcb);
      const sgxComponents = svns(tcb.sgxtcbcomponents);
      const tdxComponents = tcb.tdxtcbcomponents === undefined ? [] : svns(tcb.tdxtcbcomponents);
      if (sgxComponents.length !== 16 || (id === 'TDX' && tdxComponents.length !== 16)) throw new RangeError('collateral: a TCB level needs 16 components');
      return { sgxComponents, tdxComponents, pceSvn: uint(tcb.pcesvn), status: status(level.tcbStatus), advisoryIds: advisories(level.advisoryIDs) };
    }),
    // Intel's TDX TCB info always names the module; without it the module could not be checked.
    ...(id === 'TDX' ? { tdxModule: moduleExpectation(j.tdxModule) } : {}),
    tdxModuleIdentities: id === 'TDX' && j.tdxModuleIdentities !== undefined
      ? arr(j.tdxModuleIdentities).map((m) => ({ id: str(obj(m).id), ...moduleExpectation(m), levels: isvSvnLevels(obj(m).tcbLevels) }))
      : [],
  };
}

export function parseQeIdentity(text: string): QeIdentity {
  const j = obj(JSON.parse(text));
  const id = str(j.id);
  if (id !== 'QE' && id !== 'TD_QE') throw new RangeError('collateral: identity of an enclave other than a quoting enclave');
  if (uint(j.version) !== 2) throw new RangeError('collateral: only QE identity v2 is handled');
  const u32le = (h: string) => new DataView(hexToBytes(h).buffer).getUint32(0, true);
  return {
    id,
    issueDate: date(j.issueDate),
    nextUpdate: date(j.nextUpdate),
    miscSelect: u32le(hexOf(j.miscselect, 4)),
    miscSelectMask: u32le(hexOf(j.miscselectMask, 4)),
    attributes: hexToBytes(hexOf(j.attributes, 16)),
    attributesMask: hexToBytes(hexOf(j.attributesMask, 16)),
    mrSigner: hexOf(j.mrsigner, 32),
    isvProdId: uint(j.isvprodid),
    levels: isvSvnLevels(j.tcbLevels),
  };
}

/** The JSON form `dcap-qvl` and PCCS clients use (snake_case, hex CRLs and signatures). */
export function collateralFromJson(json: unknown): DcapCollateral {
  const j = obj(json);
  const bytes = (k: string) => {
    const s = str(j[k]);
    if (s.length % 2 !== 0) throw new RangeError(`collateral: ${k} is not hex`);
    return hexToBytes(s);
  };
  return {
    pckCrlIssuerChain: str(j.pck_crl_issuer_chain),
    rootCaCrl: bytes('root_ca_crl'),
    pckCrl: bytes('pck_crl'),
    tcbInfoIssuerChain: str(j.tcb_info_issuer_chain),
    tcbInfo: str(j.tcb_info),
    tcbInfoSignature: bytes('tcb_info_signature'),
    qeIdentityIssuerChain: str(j.qe_identity_issuer_chain),
    qeIdentity: str(j.qe_identity),
    qeIdentitySignature: bytes('qe_identity_signature'),
  };
}
