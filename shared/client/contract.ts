/**
 * Reads a contract's key and attestation from chain storage and checks them before anything is
 * sealed to that key: an unregistered key, an unknown measurement or a bad report is refused.
 */
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { verifyDevAttestation, verifyHardwareAttestation, type TcbPolicy } from '../crypto/attestation';
import { isDcapError, isTcbStatus } from '../dcap';
import { hardwareTrustLabel } from './attestation-label';
import { decodeAttestation, PROVIDER_LABEL, type AttestationReport } from '../protocol/attestation';
import type {} from '../protocol/phala-augment';
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

function untrusted(why: string): ClientError {
  return new ClientError('UntrustedWorker', `The contract's key cannot be trusted: ${why}`);
}

export async function loadTrustedContract(api: ApiPromise, id: number): Promise<TrustedContract> {
  const contractId = toContractId(id);
  const pallet = api.query.phalaModule;
  const [keys, rawReport, authority] = await Promise.all([
    pallet.contractKeys(contractId), pallet.contractAttestation(contractId), pallet.devAttestationAuthority(),
  ]);
  if (keys.isNone) throw untrusted(`no worker is registered for contract ${contractId}.`);
  const key = keys.unwrap();
  const [ecdhPub, identityPub, measurement] = [key.ecdhPub.toU8a(), key.identityPub.toU8a(), key.measurement.toU8a()];

  let report: AttestationReport;
  try {
    report = decodeAttestation(rawReport.unwrap().toU8a(true));
  } catch {
    throw untrusted('its attestation report is malformed.');
  }
  const genesisHash = api.genesisHash.toU8a();
  const same = (a: Uint8Array, b: Uint8Array) => u8aToHex(a) === u8aToHex(b);
  if (!same(report.ecdhPub, ecdhPub) || !same(report.identityPub, identityPub) || report.contractId !== contractId) {
    throw untrusted('the attestation report is for another key.');
  }
  if (!same(fromHex(report.measurement), measurement)) throw untrusted('the attestation report is for other code.');
  if (!(await pallet.allowedMeasurements(report.measurement)).isTrue) throw untrusted('its code measurement is no longer allowed on chain.');
  const trusted = { genesisHash, contractId, contractPub: ecdhPub, identityPub, report };
  if (report.provider === 'Dev') {
    if (authority.isNone || !verifyDevAttestation(report, genesisHash, authority.unwrap().toU8a())) throw untrusted('its attestation signature does not verify.');
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
