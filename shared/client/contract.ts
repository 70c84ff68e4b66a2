/**
 * Reads a contract's key and attestation from chain storage and checks them before anything is
 * sealed to that key: an unregistered key, an unknown measurement or a bad report is refused.
 */
import type { ApiPromise } from '@polkadot/api';
import type { Codec } from '@polkadot/types/types';
import { u8aToHex } from '@polkadot/util';
import { verifyDevAttestation, verifyHardwareAttestation, type TcbPolicy } from '../crypto/attestation';
import { isDcapError, isTcbStatus } from '../dcap';
import { hardwareTrustLabel } from './attestation-label';
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

const bytesOf = (c: Codec): Uint8Array => c.toU8a(true);

function untrusted(why: string): ClientError {
  return new ClientError('UntrustedWorker', `The contract's key cannot be trusted: ${why}`);
}

export async function loadTrustedContract(api: ApiPromise, id: number): Promise<TrustedContract> {
  const contractId = toContractId(id);
  const pallet = api.query.phalaModule;
  const [keys, rawReport, authority] = await Promise.all([
    pallet.contractKeys(contractId), pallet.contractAttestation(contractId), pallet.devAttestationAuthority(),
  ]);
  const entry = keys as unknown as { isSome: boolean; unwrap(): { toArray(): Codec[] } };
  if (!entry.isSome) throw untrusted(`no worker is registered for contract ${contractId}.`);
  const [ecdhPub, identityPub, measurement] = entry.unwrap().toArray().map(bytesOf); // (ecdhPub, identityPub, measurement)

  let report: AttestationReport;
  try {
    report = decodeAttestation(bytesOf(rawReport as Codec));
  } catch {
    throw untrusted('its attestation report is malformed.');
  }
  const genesisHash = api.genesisHash.toU8a();
  const same = (a: Uint8Array, b: Uint8Array) => u8aToHex(a) === u8aToHex(b);
  if (!same(report.ecdhPub, ecdhPub) || !same(report.identityPub, identityPub) || report.contractId !== contractId) {
    throw untrusted('the attestation report is for another key.');
  }
  if (!same(fromHex(report.measurement), measurement)) throw untrusted('the attestation report is for other code.');
  const allowed = await pallet.allowedMeasurements(report.measurement);
  if (!isTruthy(allowed)) throw untrusted('its code measurement is no longer allowed on chain.');
  const trusted = { genesisHash, contractId, contractPub: ecdhPub, identityPub, report };
  if (report.provider === 'Dev') {
    if (!verifyDevAttestation(report, genesisHash, bytesOf(authority as Codec))) throw untrusted('its attestation signature does not verify.');
    return { ...trusted, attestationLabel: PROVIDER_LABEL.Dev, hardwareProtected: false };
  }
  // Checked here, with this device's clock and the chain's current policy, not taken from the chain's word.
  const [statuses, maxAge] = await Promise.all([pallet.acceptedTcbStatuses(), pallet.maxCollateralAge()]);
  const names = statuses.toJSON();
  if (!Array.isArray(names) || !names.every(isTcbStatus)) throw untrusted("the chain's TCB policy does not decode.");
  const policy: TcbPolicy = { acceptedStatuses: names, maxCollateralAgeMs: Number(maxAge.toString()) };
  try {
    const verified = verifyHardwareAttestation(report, genesisHash, Date.now(), policy);
    return { ...trusted, attestationLabel: hardwareTrustLabel(report.provider, verified, report.measurement), hardwareProtected: true };
  } catch (e) {
    if (isDcapError(e)) throw untrusted(`its ${PROVIDER_LABEL[report.provider]} attestation does not hold: ${e.message}`);
    throw e;
  }
}

/** Storage values may be `bool`, `Option<()>` or `()` presence depending on the pallet's declaration. */
function isTruthy(c: Codec): boolean {
  const v = c as unknown as { isSome?: boolean; isTrue?: boolean; isEmpty: boolean };
  if (typeof v.isSome === 'boolean') return v.isSome;
  if (typeof v.isTrue === 'boolean') return v.isTrue;
  return !v.isEmpty;
}
