/**
 * A contract's key and attestation: read from chain storage (`readContractState`, the only I/O here)
 * and checked before anything is sealed to that key (`trustContract`, pure): an unregistered key, an
 * unknown measurement or a bad report is refused. The extension runs `trustContract` itself on every
 * state it observes, before comparing it with the key it pinned.
 */
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { verifyDevAttestation, verifyHardwareAttestation, type TcbPolicy } from '../crypto/attestation';
import { isDcapError, isTcbStatus } from '../dcap';
import { hardwareTrustLabel } from './attestation-label';
import { decodeAttestation, PROVIDER_LABEL, type AttestationReport } from '../protocol/attestation';
import type {} from '../protocol/phala-augment';
import type { QueryTarget } from '../protocol/query';
import { contractId as toContractId, fromHex, toHex, type ContractId } from '../types';
import { ClientError } from './errors';
import type { WorkerRecord } from './worker-set';

export interface TrustedContract extends QueryTarget {
  contractId: ContractId;
  identityPub: Uint8Array;
  report: AttestationReport;
  /** What the user is shown, e.g. "development attestation — not hardware protected". */
  attestationLabel: string;
  hardwareProtected: boolean;
}

/** `PhalaModule` storage about one contract, as an RPC endpoint answered it (believed by nobody yet). */
export interface ContractState {
  genesisHash: Uint8Array;
  contractId: ContractId;
  /** `ContractKeys`: null when no worker registered the contract. */
  key: { ecdhPub: Uint8Array; identityPub: Uint8Array; measurement: Uint8Array } | null;
  /** `ContractAttestation`: the SCALE report of the first registration. */
  attestation: Uint8Array | null;
  devAuthority: Uint8Array | null;
  /** `AllowedMeasurements(key.measurement)`. */
  measurementAllowed: boolean;
  /** `ContractWorkers`, each with its registration, attestation and endpoint (judged by worker-set.ts). */
  workers: WorkerRecord[];
  /** `AcceptedTcbStatuses` and `MaxCollateralAge`: governance's policy for hardware quotes. */
  tcbPolicy: TcbPolicy;
}

const same = (a: Uint8Array, b: Uint8Array) => u8aToHex(a) === u8aToHex(b);

/** `reason`: the bare clause, for lists that name each worker (worker-set.ts). */
function untrusted(why: string): ClientError {
  return new ClientError('UntrustedWorker', `The contract's key cannot be trusted: ${why}`, why);
}

export async function readContractState(api: ApiPromise, id: number): Promise<ContractState> {
  const contractId = toContractId(id);
  const pallet = api.query.phalaModule;
  const [keys, rawReport, authority, workers, statuses, maxAge] = await Promise.all([
    pallet.contractKeys(contractId), pallet.contractAttestation(contractId), pallet.devAttestationAuthority(),
    pallet.contractWorkers(contractId), pallet.acceptedTcbStatuses(), pallet.maxCollateralAge(),
  ]);
  const entry = keys.isSome ? keys.unwrap() : null;
  const key = entry ? { ecdhPub: entry.ecdhPub.toU8a(), identityPub: entry.identityPub.toU8a(), measurement: entry.measurement.toU8a() } : null;
  const names = statuses.map((s) => s.type);
  if (!names.every(isTcbStatus)) throw untrusted("the chain's TCB policy does not decode.");
  const attestation = rawReport.isSome ? rawReport.unwrap().toU8a(true) : null;
  const first = key && attestation && { identityPub: key.identityPub, attestation };
  return {
    genesisHash: api.genesisHash.toU8a(),
    contractId,
    key,
    attestation,
    devAuthority: authority.isSome ? authority.unwrap().toU8a() : null,
    measurementAllowed: key !== null && (await pallet.allowedMeasurements(u8aToHex(key.measurement))).isTrue,
    workers: await readWorkerRecords(api, workers.map((w) => w.toU8a()), first),
    tcbPolicy: { acceptedStatuses: names, maxCollateralAgeMs: Number(maxAge.toBigInt()) },
  };
}

/**
 * The one attestation check every client runs: a `Dev` report's signature by the chain's dev
 * authority, or a hardware quote verified here — with this device's clock (`now`) and governance's
 * policy, not taken from the chain's word. Returns what the user is shown; throws `UntrustedWorker`.
 */
export function verifyAttestationReport(
  report: AttestationReport, ctx: Pick<ContractState, 'genesisHash' | 'devAuthority' | 'tcbPolicy'>, now: number,
): { attestationLabel: string; hardwareProtected: boolean } {
  if (report.provider === 'Dev') {
    if (ctx.devAuthority === null || !verifyDevAttestation(report, ctx.genesisHash, ctx.devAuthority)) {
      throw untrusted('its attestation signature does not verify.');
    }
    return { attestationLabel: PROVIDER_LABEL.Dev, hardwareProtected: false };
  }
  try {
    const verified = verifyHardwareAttestation(report, ctx.genesisHash, now, ctx.tcbPolicy);
    return { attestationLabel: hardwareTrustLabel(report.provider, verified, report.measurement), hardwareProtected: true };
  } catch (e) {
    if (isDcapError(e)) throw untrusted(`its ${PROVIDER_LABEL[report.provider]} attestation does not hold: ${e.message}`);
    throw e;
  }
}

/** The contract key `state` names, once its attestation verifies at `now`; throws `ClientError('UntrustedWorker')`. */
export function trustContract(state: ContractState, now: number = Date.now()): TrustedContract {
  const { genesisHash, contractId, key } = state;
  if (!key) throw untrusted(`no worker is registered for contract ${contractId}.`);
  if (!state.attestation) throw untrusted('it has no attestation report on chain.');
  let report: AttestationReport;
  try {
    report = decodeAttestation(state.attestation);
  } catch {
    throw untrusted('its attestation report is malformed.');
  }
  if (!same(report.ecdhPub, key.ecdhPub) || !same(report.identityPub, key.identityPub) || report.contractId !== contractId) {
    throw untrusted('the attestation report is for another key.');
  }
  if (!same(fromHex(report.measurement), key.measurement)) throw untrusted('the attestation report is for other code.');
  if (!contractKeyAllowed(state, now)) throw untrusted('its code measurement is no longer allowed on chain.');
  return { genesisHash, contractId, contractPub: key.ecdhPub, identityPub: key.identityPub, report, ...verifyAttestationReport(report, state, now) };
}

/**
 * One registered worker judged as a holder of the contract key `ecdhPub`: registered for this
 * contract and key, a measurement still on the allow-list, its own report verifying (at `now`) for
 * its own identity, key and code. Returns what its report earns, or the sentence saying why not.
 */
export function judgeWorkerAttestation(
  record: WorkerRecord, state: ContractState, ecdhPub: Uint8Array, now: number,
): { report: AttestationReport; attestationLabel: string; hardwareProtected: boolean } | string {
  const { identityPub, info } = record;
  if (!info || info.contractId !== state.contractId) return 'it is not registered for this contract.';
  if (!same(info.ecdhPub, ecdhPub)) return 'it holds another contract key.';
  if (!record.measurementAllowed) return 'its code measurement is no longer allowed on chain.';
  if (!record.attestation) return 'it has no attestation report on chain.';
  let report: AttestationReport;
  try {
    report = decodeAttestation(record.attestation);
  } catch {
    return 'its attestation report is malformed.';
  }
  if (!same(report.identityPub, identityPub) || !same(report.ecdhPub, ecdhPub) || report.contractId !== state.contractId
    || !same(fromHex(report.measurement), info.measurement)) {
    return 'its attestation report is for other keys or code.';
  }
  try {
    return { report, ...verifyAttestationReport(report, state, now) };
  } catch (e) {
    if (e instanceof ClientError && e.reason) return e.reason;
    throw e;
  }
}

/**
 * Whether code governance still allows holds the contract key: the first registration's measurement
 * (`ContractKeys`), or — after an upgrade removed it — some registered worker of the contract whose
 * own attestation verifies for that key with a measurement still allowed. With every such
 * measurement removed, nothing may be sealed to the key any more.
 */
export function contractKeyAllowed(state: ContractState, now: number = Date.now()): boolean {
  const { key } = state;
  if (!key) return false;
  return state.measurementAllowed || state.workers.some((w) => typeof judgeWorkerAttestation(w, state, key.ecdhPub, now) !== 'string');
}

export async function loadTrustedContract(api: ApiPromise, id: number): Promise<TrustedContract> {
  return trustContract(await readContractState(api, id));
}

/** `PhalaModule` storage about each identity in `ContractWorkers`; `legacy`: the contract's first registration. */
async function readWorkerRecords(api: ApiPromise, identities: Uint8Array[], legacy: { identityPub: Uint8Array; attestation: Uint8Array } | null): Promise<WorkerRecord[]> {
  const pallet = api.query.phalaModule;
  return Promise.all(identities.map(async (identityPub): Promise<WorkerRecord> => {
    const id = toHex(identityPub);
    const [info, attestation, endpoint] = await Promise.all([pallet.workers(id), pallet.workerAttestation(id), pallet.workerEndpoint(id)]);
    const i = info.isSome ? info.unwrap() : null;
    const measurementAllowed = i !== null && (await pallet.allowedMeasurements(i.measurement.toHex())).isTrue;
    const e = endpoint.isSome ? endpoint.unwrap() : null;
    return {
      identityPub,
      info: i && { contractId: i.contractId.toNumber(), ecdhPub: i.ecdhPub.toU8a(), measurement: i.measurement.toU8a() },
      measurementAllowed,
      // A chain from before per-worker attestations kept only the first worker's, as the contract's.
      attestation: attestation.isSome ? attestation.unwrap().toU8a(true) : legacy && u8aToHex(legacy.identityPub) === id ? legacy.attestation : null,
      endpoint: e && { url: e.url.toU8a(true), signature: e.signature.toU8a() },
    };
  }));
}
