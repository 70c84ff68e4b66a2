/**
 * Attestation reports: evidence that an enclave with an allowed code measurement holds the given
 * identity and contract keys. Providers are pluggable; `Dev` is a report signed by a development
 * authority key named in the chain's genesis — it proves nothing about hardware, and says so.
 */
import { blake2b } from '@noble/hashes/blake2.js';
import type { ContractId, Hash } from '../types';
import { hash32 } from '../types';
import { readHash, variants, writeHash } from './primitives';
import { ScaleReader, ScaleWriter, decodeExact, encodeWith } from './scale';
import { domainMessage } from './domain';

export const AttestationProviders = variants(['Dev'] as const);
export type AttestationProvider = (typeof AttestationProviders.names)[number];

export const PROVIDER_LABEL: Record<AttestationProvider, string> = {
  Dev: 'development attestation — not hardware protected',
};

export interface AttestationBody {
  provider: AttestationProvider;
  contractId: ContractId;
  /** Hash of the enclave code (allowed on chain through `AllowedMeasurements`). */
  measurement: Hash;
  /** ed25519 key that signs withdraw receipts. */
  identityPub: Uint8Array;
  /** X25519 key that command and query envelopes are sealed to. */
  ecdhPub: Uint8Array;
  /** Milliseconds since the Unix epoch. */
  issuedAt: bigint;
}

export interface AttestationReport extends AttestationBody {
  /** Provider evidence; for `Dev`, the authority's ed25519 signature over `attestationMessage`. */
  signature: Uint8Array;
}

const MAX_EVIDENCE = 16 * 1024;

function writeBody(w: ScaleWriter, b: AttestationBody): void {
  w.u8(AttestationProviders.tagOf(b.provider)).u32(b.contractId);
  writeHash(w, b.measurement);
  w.fixed(b.identityPub, 32).fixed(b.ecdhPub, 32).u64(b.issuedAt);
}

function readBody(r: ScaleReader): AttestationBody {
  return {
    provider: AttestationProviders.read(r),
    contractId: r.u32() as ContractId,
    measurement: readHash(r),
    identityPub: r.fixed(32),
    ecdhPub: r.fixed(32),
    issuedAt: r.u64(),
  };
}

export const encodeAttestation = (a: AttestationReport): Uint8Array =>
  encodeWith(a, (w, v) => {
    writeBody(w, v);
    w.bytes(v.signature, MAX_EVIDENCE);
  }, 256);

export const decodeAttestation = (b: Uint8Array): AttestationReport =>
  decodeExact(b, (r) => ({ ...readBody(r), signature: r.bytesVec(MAX_EVIDENCE) }));

/** What the attestation authority signs: domain | genesis | SCALE(body). */
export const attestationMessage = (genesisHash: Uint8Array, body: AttestationBody): Uint8Array =>
  domainMessage('attestation', genesisHash, encodeWith(body, writeBody, 160));

/**
 * The code measurement of the development enclave build. Allowed in the dev chain's genesis;
 * a real deployment allows hardware measurements through `addMeasurement` governance instead.
 */
export const DEV_MEASUREMENT = hash32(blake2b(new TextEncoder().encode('dark-wallet/dev-enclave/v1'), { dkLen: 32 }));
