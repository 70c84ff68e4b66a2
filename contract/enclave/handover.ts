/**
 * Attested key handover, the enclave's side (DESIGN.md §11). Everything decided here comes from
 * PhalaModule storage proven by the light client at its last finalized block, never from the host:
 *
 * - a keyholder hands the contract keys only to a worker registered for this contract, whose
 *   measurement is still allowed, whose stored attestation verifies with the shared verifier (dev
 *   authority or DCAP quote with the chain's TCB policy at chain time) and names that worker's
 *   identity, contract and measurement and its X25519 handover key;
 * - a recipient opens only a handover stored on chain for its own identity, and takes the keys only
 *   if they are the contract's key on chain (secret.ts `acceptHandover`).
 */
import { verifyDevAttestation, verifyHardwareAttestation, DEFAULT_TCB_POLICY, type TcbPolicy } from '../../shared/crypto/attestation';
import { TCB_STATUSES, DcapError } from '../../shared/dcap';
import { decodeAttestation, type AttestationReport } from '../../shared/protocol/attestation';
import { ScaleReader, decodeExact } from '../../shared/protocol/scale';
import type { ProvenValues } from '../../shared/trie';
import { toHex, type ContractId } from '../../shared/types';
import { EnclaveError } from './errors';
import { mapKey, plainKey } from './light-client';

export type HandoverRefusalReason =
  | 'NotRegistered' // no Workers entry for the recipient
  | 'OtherContract' // registered for another contract
  | 'MeasurementNotAllowed' // its measurement is not (or no longer) on the allow-list
  | 'AttestationInvalid' // no stored attestation, or one that does not verify or is not about this worker
  | 'NoHandoverKey' // an attestation from before handover keys: nothing to seal to
  | 'AlreadyHandedOver' // the chain keeps one handover per recipient
  | 'WrongKeys'; // (recipient) the sealed keys do not open, or are not the contract's

export class HandoverRefused extends EnclaveError {
  constructor(readonly reason: HandoverRefusalReason, message: string) {
    super('HandoverRefused', message);
  }
}

const PHALA = 'PhalaModule';
const u32le = (n: number) => new Uint8Array(new Uint32Array([n]).buffer);

/** The storage keys a keyholder's check reads, besides the recipient's AllowedMeasurements entry. */
export function recipientKeys(recipient: Uint8Array): { worker: string; attestation: string; handedOver: string; devAuthority: string; tcbStatuses: string; collateralAge: string; now: string } {
  return {
    worker: mapKey(PHALA, 'Workers', 'Blake2_128Concat', recipient),
    attestation: mapKey(PHALA, 'WorkerAttestation', 'Blake2_128Concat', recipient),
    handedOver: mapKey(PHALA, 'HandedOverKeys', 'Blake2_128Concat', recipient),
    devAuthority: plainKey(PHALA, 'DevAttestationAuthority'),
    tcbStatuses: plainKey(PHALA, 'AcceptedTcbStatuses'),
    collateralAge: plainKey(PHALA, 'MaxCollateralAge'),
    now: plainKey('Timestamp', 'Now'),
  };
}

export const allowedMeasurementKey = (measurement: Uint8Array): string => mapKey(PHALA, 'AllowedMeasurements', 'Blake2_128Concat', measurement);
export const contractKeysKey = (contractId: ContractId): string => mapKey(PHALA, 'ContractKeys', 'Twox64Concat', u32le(contractId));
export const handedOverKey = (recipient: Uint8Array): string => mapKey(PHALA, 'HandedOverKeys', 'Blake2_128Concat', recipient);

/** `pallet_phala::types::WorkerInfo`: contract_id u32 | ecdh_pub 32 | measurement 32. */
export interface ProvenWorker {
  contractId: number;
  measurement: Uint8Array;
}

export function decodeWorker(bytes: Uint8Array): ProvenWorker {
  return decodeExact(bytes, (r) => {
    const contractId = r.u32();
    r.fixed(32);
    return { contractId, measurement: r.fixed(32) };
  });
}

/** `ContractKeys`: ecdh_pub 32 | identity_pub 32 | measurement 32; the contract's envelope key. */
export const contractPubOf = (bytes: Uint8Array): Uint8Array => decodeExact(bytes, (r) => {
  const ecdh = r.fixed(32);
  r.fixed(64);
  return ecdh;
});

const decodeBytes = (v: Uint8Array) => decodeExact(v, (r) => r.bytesVec(1 << 20));

function tcbPolicyOf(statuses: Uint8Array | null, age: Uint8Array | null): TcbPolicy {
  return {
    acceptedStatuses: statuses ? decodeExact(statuses, (r) => r.vec(TCB_STATUSES.length, (x) => TCB_STATUSES[x.tag(TCB_STATUSES.length)])) : DEFAULT_TCB_POLICY.acceptedStatuses,
    maxCollateralAgeMs: age ? Number(new ScaleReader(age).u64()) : DEFAULT_TCB_POLICY.maxCollateralAgeMs,
  };
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

export interface RecipientCheck {
  genesisHash: Uint8Array;
  contractId: ContractId;
  recipient: Uint8Array;
  /** Proven values of `recipientKeys(...)`. */
  values: ProvenValues;
  /** Whether the recipient's measurement is allowed, proven by a second lookup once the measurement is known. */
  allowed: (measurement: Uint8Array) => boolean;
}

/**
 * The recipient's attested handover key, once every check passed; otherwise a `HandoverRefused`
 * naming the first that failed (the pallet refuses the same cases).
 */
export function attestedRecipient(c: RecipientCheck): Uint8Array {
  const keys = recipientKeys(c.recipient);
  const get = (k: string) => c.values.get(k) ?? null;
  const workerBytes = get(keys.worker);
  if (!workerBytes) throw new HandoverRefused('NotRegistered', 'The recipient is not a registered worker on chain.');
  const worker = decodeWorker(workerBytes);
  if (worker.contractId !== c.contractId) throw new HandoverRefused('OtherContract', 'The recipient is registered for another contract.');
  if (!c.allowed(worker.measurement)) throw new HandoverRefused('MeasurementNotAllowed', "The recipient's measurement is not allowed on chain.");
  if (get(keys.handedOver)) throw new HandoverRefused('AlreadyHandedOver', 'The recipient already received the contract keys.');
  const report = verifiedReport(c, get(keys.attestation), get);
  if (!report.handoverPub) throw new HandoverRefused('NoHandoverKey', "The recipient's attestation names no handover key.");
  return report.handoverPub;
}

function verifiedReport(c: RecipientCheck, stored: Uint8Array | null, get: (k: string) => Uint8Array | null): AttestationReport {
  const invalid = (why: string) => new HandoverRefused('AttestationInvalid', `The recipient's attestation ${why}.`);
  if (!stored) throw invalid('is not on chain');
  let report: AttestationReport;
  try {
    report = decodeAttestation(decodeBytes(stored));
  } catch {
    throw invalid('does not decode');
  }
  const keys = recipientKeys(c.recipient);
  const worker = decodeWorker(get(keys.worker)!);
  if (report.contractId !== c.contractId || !same(report.identityPub, c.recipient) || report.measurement !== toHex(worker.measurement)) {
    throw invalid('is about another worker, contract or measurement');
  }
  if (report.provider === 'Dev') {
    const authority = get(keys.devAuthority);
    if (!authority || !verifyDevAttestation(report, c.genesisHash, authority)) throw invalid('is not signed by this chain\'s dev authority');
    return report;
  }
  const now = get(keys.now);
  if (!now) throw invalid('cannot be checked without the chain time');
  try {
    verifyHardwareAttestation(report, c.genesisHash, Number(new ScaleReader(now).u64()), tcbPolicyOf(get(keys.tcbStatuses), get(keys.collateralAge)));
  } catch (e) {
    if (e instanceof DcapError) throw invalid(`quote does not verify (${e.reason})`);
    throw e;
  }
  return report;
}
