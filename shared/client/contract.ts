/**
 * A contract's key and attestation: read from chain storage (`readContractState`, the only I/O here)
 * and checked before anything is sealed to that key (`trustContract`, pure): an unregistered key, an
 * unknown measurement or a bad report is refused. The extension runs `trustContract` itself on every
 * state it observes, before comparing it with the key it pinned.
 */
import type { ApiPromise } from '@polkadot/api';
import type { Codec } from '@polkadot/types/types';
import { u8aToHex } from '@polkadot/util';
import { verifyDevAttestation } from '../crypto/attestation';
import { decodeAttestation, PROVIDER_LABEL, type AttestationReport } from '../protocol/attestation';
import type { QueryTarget } from '../protocol/query';
import { contractId as toContractId, fromHex, type ContractId } from '../types';
import { ClientError } from './errors';

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
  /** `ContractWorkers`: identity keys of the contract's workers. */
  workers: Uint8Array[];
}

const bytesOf = (c: Codec): Uint8Array => c.toU8a(true);

function untrusted(why: string): ClientError {
  return new ClientError('UntrustedWorker', `The contract's key cannot be trusted: ${why}`);
}

type MaybeOption = Codec & { isSome?: boolean; unwrap?(): Codec };

/** The value of a storage entry declared optional or with a default (empty means absent either way). */
function present(c: Codec): Codec | null {
  const o = c as MaybeOption;
  if (typeof o.isSome === 'boolean') return o.isSome && o.unwrap ? o.unwrap() : null;
  return c.isEmpty ? null : c;
}

export async function readContractState(api: ApiPromise, id: number): Promise<ContractState> {
  const contractId = toContractId(id);
  const pallet = api.query.phalaModule;
  const [keys, rawReport, authority, workers] = await Promise.all([
    pallet.contractKeys(contractId), pallet.contractAttestation(contractId), pallet.devAttestationAuthority(), pallet.contractWorkers(contractId),
  ]);
  const entry = present(keys) as (Codec & { toArray(): Codec[] }) | null;
  const [ecdhPub, identityPub, measurement] = entry ? entry.toArray().map(bytesOf) : []; // (ecdhPub, identityPub, measurement)
  const key = ecdhPub && identityPub && measurement ? { ecdhPub, identityPub, measurement } : null;
  const report = present(rawReport);
  const dev = present(authority);
  const workerList = present(workers) as (Codec & { toArray(): Codec[] }) | null;
  return {
    genesisHash: api.genesisHash.toU8a(),
    contractId,
    key,
    attestation: report ? bytesOf(report) : null,
    devAuthority: dev ? bytesOf(dev) : null,
    measurementAllowed: key !== null && isTruthy(await pallet.allowedMeasurements(u8aToHex(key.measurement))),
    workers: workerList ? workerList.toArray().map(bytesOf) : [],
  };
}

/**
 * The one attestation check every client runs (today `Dev` reports; the hardware kinds plug in here).
 * True when `report` is valid evidence for this chain.
 */
export function verifyAttestationReport(report: AttestationReport, ctx: { genesisHash: Uint8Array; devAuthority: Uint8Array | null }): boolean {
  return ctx.devAuthority !== null && verifyDevAttestation(report, ctx.genesisHash, ctx.devAuthority);
}

/** The contract key `state` names, once its attestation verifies; throws `ClientError('UntrustedWorker')`. */
export function trustContract(state: ContractState): TrustedContract {
  const { genesisHash, contractId, key } = state;
  if (!key) throw untrusted(`no worker is registered for contract ${contractId}.`);
  if (!state.attestation) throw untrusted('it has no attestation report on chain.');
  let report: AttestationReport;
  try {
    report = decodeAttestation(state.attestation);
  } catch {
    throw untrusted('its attestation report is malformed.');
  }
  const same = (a: Uint8Array, b: Uint8Array) => u8aToHex(a) === u8aToHex(b);
  if (!same(report.ecdhPub, key.ecdhPub) || !same(report.identityPub, key.identityPub) || report.contractId !== contractId) {
    throw untrusted('the attestation report is for another key.');
  }
  if (!same(fromHex(report.measurement), key.measurement)) throw untrusted('the attestation report is for other code.');
  if (!state.measurementAllowed) throw untrusted('its code measurement is no longer allowed on chain.');
  if (!verifyAttestationReport(report, state)) throw untrusted('its attestation signature does not verify.');
  return {
    genesisHash, contractId, contractPub: key.ecdhPub, identityPub: key.identityPub, report,
    attestationLabel: PROVIDER_LABEL[report.provider], hardwareProtected: false,
  };
}

export async function loadTrustedContract(api: ApiPromise, id: number): Promise<TrustedContract> {
  return trustContract(await readContractState(api, id));
}

/** Storage values may be `bool`, `Option<()>` or `()` presence depending on the pallet's declaration. */
function isTruthy(c: Codec): boolean {
  const v = c as unknown as { isSome?: boolean; isTrue?: boolean; isEmpty: boolean };
  if (typeof v.isSome === 'boolean') return v.isSome;
  if (typeof v.isTrue === 'boolean') return v.isTrue;
  return !v.isEmpty;
}
