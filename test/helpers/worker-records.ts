/**
 * A contract's worker as chain storage describes it (`WorkerRecord`), really signed: its dev
 * attestation by `authority`, its endpoint by its own identity key. Tests change one field to make
 * it untrustworthy in one way.
 */
import type { WorkerRecord } from '../../shared/client/worker-set';
import { signDevAttestation } from '../../shared/crypto/attestation';
import { identityFromSeed, type IdentityKey } from '../../shared/crypto/identity';
import { DEV_MEASUREMENT, encodeAttestation } from '../../shared/protocol/attestation';
import { workerEndpointMessage } from '../../shared/protocol/worker-endpoint';
import { contractId, fromHex, type Hash } from '../../shared/types';

export interface WorkerSpec {
  authority: IdentityKey;
  genesisHash: Uint8Array;
  contract: number;
  ecdhPub: Uint8Array;
  identitySeed: number;
  url: string;
  /** The code it was attested for; DEV_MEASUREMENT (dev build 1) when absent. */
  measurement?: Hash;
}

export function attestedWorker(w: WorkerSpec): WorkerRecord {
  const identity = identityFromSeed(new Uint8Array(32).fill(w.identitySeed));
  const measurement = w.measurement ?? DEV_MEASUREMENT;
  const report = signDevAttestation(w.authority, w.genesisHash, {
    provider: 'Dev', contractId: contractId(w.contract), measurement, identityPub: identity.publicKey, ecdhPub: w.ecdhPub, issuedAt: 1n,
  });
  return {
    identityPub: identity.publicKey,
    info: { contractId: w.contract, ecdhPub: w.ecdhPub, measurement: fromHex(measurement) },
    measurementAllowed: true,
    attestation: encodeAttestation(report),
    endpoint: { url: new TextEncoder().encode(w.url), signature: identity.sign(workerEndpointMessage(w.genesisHash, identity.publicKey, w.url)) },
  };
}
