/**
 * The workers serving a contract, as the chain names them, and which of them a client may use. Each
 * is checked on its own, pure, with the same attestation verifier as the contract key
 * (`verifyAttestationReport`): registered for this contract and its key, a measurement still on the
 * allow-list, its own report verifying for its own identity, and an endpoint its identity key signed
 * (so a lying RPC node cannot point the client at another host). A worker failing any check is left
 * out with the reason, never used.
 */
import { verifyIdentitySignature } from '../crypto/identity';
import { workerEndpointMessage, workerEndpointProblem } from '../protocol/worker-endpoint';
import { judgeWorkerAttestation, type ContractState, type TrustedContract } from './contract';

/** One registered worker of the contract, as an RPC endpoint reported its storage (believed by nobody yet). */
export interface WorkerRecord {
  identityPub: Uint8Array;
  /** `Workers(identityPub)`. */
  info: { contractId: number; ecdhPub: Uint8Array; measurement: Uint8Array } | null;
  /** `AllowedMeasurements(info.measurement)`. */
  measurementAllowed: boolean;
  /** `WorkerAttestation(identityPub)`: the SCALE report it registered with. */
  attestation: Uint8Array | null;
  /** `WorkerEndpoint(identityPub)`: the URL bytes and the identity key's signature over them. */
  endpoint: { url: Uint8Array; signature: Uint8Array } | null;
}

/** A worker every check passed: its endpoint may be asked. */
export interface TrustedWorker {
  identityPub: Uint8Array;
  url: string;
  measurement: string;
  attestationLabel: string;
  hardwareProtected: boolean;
}

export interface WorkerSet {
  trusted: TrustedWorker[];
  /** Workers left out, each with a sentence saying why. */
  excluded: { identityPub: Uint8Array; why: string }[];
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUrl(bytes: Uint8Array): string | null {
  try {
    const url = strictUtf8.decode(bytes);
    return workerEndpointProblem(url) === null ? url : null;
  } catch {
    return null;
  }
}

/** `record` trusted for `contract`, or the sentence saying why it cannot be used. */
function trustWorker(record: WorkerRecord, contract: TrustedContract, state: ContractState, now: number): TrustedWorker | string {
  const judged = judgeWorkerAttestation(record, state, contract.contractPub, now);
  if (typeof judged === 'string') return judged;
  const { identityPub } = record;
  const { report, ...verified } = judged;
  if (!record.endpoint) return 'it has published no endpoint.';
  const url = decodeUrl(record.endpoint.url);
  if (url === null) return 'its endpoint is not a valid URL.';
  if (!verifyIdentitySignature(record.endpoint.signature, workerEndpointMessage(state.genesisHash, identityPub, url), identityPub)) {
    return 'its endpoint is not signed by its identity key.';
  }
  return { identityPub, url, measurement: report.measurement, ...verified };
}

/** Judges each worker `state` names for `contract` (already trusted): pure, `now` is this device's clock. */
export function trustWorkers(state: ContractState, contract: TrustedContract, now: number = Date.now()): WorkerSet {
  const out: WorkerSet = { trusted: [], excluded: [] };
  for (const record of state.workers) {
    const judged = trustWorker(record, contract, state, now);
    if (typeof judged === 'string') out.excluded.push({ identityPub: record.identityPub, why: judged });
    else out.trusted.push(judged);
  }
  return out;
}
