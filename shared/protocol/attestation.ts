/**
 * Attestation reports: evidence that an enclave with an allowed code measurement holds the given
 * identity and contract keys. `Dev` is a report signed by a development authority key named in the
 * chain's genesis — it proves nothing about hardware, and says so. `SgxDcap` and `TdxDcap` carry an
 * Intel quote whose report data binds the keys (DESIGN.md §10) and the collateral to verify it.
 * Version 2 appended the hardware kinds: a version 1 (`Dev`) report decodes unchanged. Version 3
 * (DESIGN.md §11) adds the worker's own X25519 handover key (flagged in the provider byte): a report
 * without it encodes, signs and binds its report data byte for byte as before, so older reports still verify.
 */
import { blake2b } from '@noble/hashes/blake2.js';
import { sha512 } from '@noble/hashes/sha2.js';
import type { DcapCollateral } from '../dcap';
import type { ContractId, Hash } from '../types';
import { hash32 } from '../types';
import { ProtocolError } from '../errors';
import { readHash, variants, writeHash } from './primitives';
import { ScaleReader, ScaleWriter, decodeExact, encodeWith } from './scale';
import { domainMessage } from './domain';

export const AttestationProviders = variants(['Dev', 'SgxDcap', 'TdxDcap'] as const);
export type AttestationProvider = (typeof AttestationProviders.names)[number];
export type HardwareProvider = Exclude<AttestationProvider, 'Dev'>;

export const PROVIDER_LABEL: Record<AttestationProvider, string> = {
  Dev: 'development attestation — not hardware protected',
  SgxDcap: 'Intel SGX',
  TdxDcap: 'Intel TDX',
};

export interface AttestationBody {
  provider: AttestationProvider;
  contractId: ContractId;
  /** Hash of the enclave code (allowed on chain through `AllowedMeasurements`). */
  measurement: Hash;
  /** ed25519 key that signs withdraw receipts. */
  identityPub: Uint8Array;
  /**
   * X25519 key that command and query envelopes are sealed to: the contract's key, shared by all
   * its workers. A worker joining an existing contract names the key it asks to be handed.
   */
  ecdhPub: Uint8Array;
  /** Milliseconds since the Unix epoch. */
  issuedAt: bigint;
  /** This worker's own X25519 key, which a keyholder seals the contract keys to (absent before version 3). */
  handoverPub?: Uint8Array;
}

export interface DevAttestationReport extends AttestationBody {
  provider: 'Dev';
  /** The authority's ed25519 signature over `attestationMessage`. */
  signature: Uint8Array;
}

export interface HardwareAttestationReport extends AttestationBody {
  provider: HardwareProvider;
  /** The Intel DCAP quote; its report data is `workerReportData(...)`. */
  quote: Uint8Array;
  collateral: DcapCollateral;
}

export type AttestationReport = DevAttestationReport | HardwareAttestationReport;

const MAX_EVIDENCE = 16 * 1024;
/** Limits with room over Intel's current sizes (quotes ~5 KB, PCK CRLs ~7 KB and growing, TCB info ~5 KB). */
const MAX_QUOTE = 16 * 1024;
const MAX_CHAIN = 16 * 1024;
const MAX_CRL = 256 * 1024;
const MAX_SIGNED_JSON = 64 * 1024;
const MAX_SIGNATURE = 128;

function writeCollateral(w: ScaleWriter, c: DcapCollateral): void {
  w.str(c.pckCrlIssuerChain, MAX_CHAIN).bytes(c.rootCaCrl, MAX_CRL).bytes(c.pckCrl, MAX_CRL);
  w.str(c.tcbInfoIssuerChain, MAX_CHAIN).str(c.tcbInfo, MAX_SIGNED_JSON).bytes(c.tcbInfoSignature, MAX_SIGNATURE);
  w.str(c.qeIdentityIssuerChain, MAX_CHAIN).str(c.qeIdentity, MAX_SIGNED_JSON).bytes(c.qeIdentitySignature, MAX_SIGNATURE);
}

function readCollateral(r: ScaleReader): DcapCollateral {
  return {
    pckCrlIssuerChain: r.str(MAX_CHAIN), rootCaCrl: r.bytesVec(MAX_CRL), pckCrl: r.bytesVec(MAX_CRL),
    tcbInfoIssuerChain: r.str(MAX_CHAIN), tcbInfo: r.str(MAX_SIGNED_JSON), tcbInfoSignature: r.bytesVec(MAX_SIGNATURE),
    qeIdentityIssuerChain: r.str(MAX_CHAIN), qeIdentity: r.str(MAX_SIGNED_JSON), qeIdentitySignature: r.bytesVec(MAX_SIGNATURE),
  };
}

/**
 * Version 3 sets the top bit of the provider byte and appends the handover key to the body; without
 * one the body is byte for byte what version 2 signed and bound, so older reports still verify.
 */
const HAS_HANDOVER_KEY = 0x80;

function writeBody(w: ScaleWriter, b: AttestationBody): void {
  w.u8(AttestationProviders.tagOf(b.provider) | (b.handoverPub === undefined ? 0 : HAS_HANDOVER_KEY)).u32(b.contractId);
  writeHash(w, b.measurement);
  w.fixed(b.identityPub, 32).fixed(b.ecdhPub, 32).u64(b.issuedAt);
  if (b.handoverPub !== undefined) w.fixed(b.handoverPub, 32);
}

function readBody(r: ScaleReader): AttestationBody {
  const tag = r.u8();
  const withKey = (tag & HAS_HANDOVER_KEY) !== 0;
  const provider = AttestationProviders.names[tag & ~HAS_HANDOVER_KEY];
  if (provider === undefined) throw new ProtocolError('UnknownVariant', 'Unknown variant.');
  const body: AttestationBody = {
    provider,
    contractId: r.u32() as ContractId,
    measurement: readHash(r),
    identityPub: r.fixed(32),
    ecdhPub: r.fixed(32),
    issuedAt: r.u64(),
  };
  return withKey ? { ...body, handoverPub: r.fixed(32) } : body;
}

export const encodeAttestation = (a: AttestationReport): Uint8Array =>
  encodeWith(a, (w, v) => {
    writeBody(w, v);
    if (v.provider === 'Dev') {
      w.bytes(v.signature, MAX_EVIDENCE);
    } else {
      w.bytes(v.quote, MAX_QUOTE);
      writeCollateral(w, v.collateral);
    }
  }, a.provider === 'Dev' ? 256 : 32 * 1024);

export const decodeAttestation = (b: Uint8Array): AttestationReport =>
  decodeExact(b, (r): AttestationReport => {
    const body = readBody(r);
    return body.provider === 'Dev'
      ? { ...body, provider: 'Dev', signature: r.bytesVec(MAX_EVIDENCE) }
      : { ...body, provider: body.provider, quote: r.bytesVec(MAX_QUOTE), collateral: readCollateral(r) };
  });

/**
 * The 64 bytes a hardware quote's report data must hold: SHA-512 of
 * "dark-wallet/v1/worker" | genesisHash | contractId (u32 LE) | identityPub | ecdhPub [| handoverPub].
 */
export function workerReportData(genesisHash: Uint8Array, contractId: ContractId, identityPub: Uint8Array, ecdhPub: Uint8Array, handoverPub?: Uint8Array): Uint8Array {
  const w = new ScaleWriter(100).u32(contractId).fixed(identityPub, 32).fixed(ecdhPub, 32);
  if (handoverPub !== undefined) w.fixed(handoverPub, 32);
  return sha512(domainMessage('worker', genesisHash, w.finish()));
}

/** What the attestation authority signs: domain | genesis | SCALE(body) (version 3: with the handover key). */
export const attestationMessage = (genesisHash: Uint8Array, body: AttestationBody): Uint8Array =>
  domainMessage('attestation', genesisHash, encodeWith(body, writeBody, 192));

/**
 * The code measurement of the development enclave build. Allowed in the dev chain's genesis;
 * a real deployment allows hardware measurements through `addMeasurement` governance instead.
 */
/**
 * The measurement a development enclave of build `version` reports: blake2('dark-wallet/dev-enclave/vN').
 * Other versions exist only so an upgrade (governance allows M2, removes M1) can be rehearsed without hardware.
 */
export function devMeasurement(version: number): Hash {
  if (!Number.isSafeInteger(version) || version < 1) throw new ProtocolError('OutOfRange', 'A dev enclave version is a whole number from 1.');
  return hash32(blake2b(new TextEncoder().encode(`dark-wallet/dev-enclave/v${version}`), { dkLen: 32 }));
}

export const DEV_MEASUREMENT = devMeasurement(1);
