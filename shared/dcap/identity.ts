/**
 * Who Intel's collateral says the trusted code beneath the quoted enclave or TD must be: the quoting
 * enclave (QE identity, for SGX and TDX alike) and, for TDX, the TDX module that runs every TD on the
 * platform (the TCB info's `tdxModule` and `tdxModuleIdentities`). Pure checks on parsed data.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import type { QeIdentity, TcbInfo, TdxModuleExpectation, TdxModuleIdentity } from './collateral';
import { DcapError } from './errors';
import type { EnclaveReport, TdReport } from './quote';
import type { TcbVerdict } from './tcb';

/** Masked bits must match, and bits outside the mask must be clear. */
const attributesMatch = (actual: Uint8Array, expected: Uint8Array, mask: Uint8Array) =>
  actual.length === expected.length && expected.every((e, i) => (e & mask[i]) === (actual[i] & mask[i]) && (actual[i] & ~mask[i]) === 0);

export function checkQeIdentity(qe: EnclaveReport, identity: QeIdentity): void {
  const maskedAttributesMatch = identity.attributes.every((a, i) => (a & identity.attributesMask[i]) === (qe.attributes[i] & identity.attributesMask[i]));
  if (bytesToHex(qe.mrSigner) !== identity.mrSigner || qe.isvProdId !== identity.isvProdId
    || ((qe.miscSelect ^ identity.miscSelect) & identity.miscSelectMask) !== 0 || !maskedAttributesMatch) {
    throw new DcapError('QeIdentityMismatch', "The quoting enclave is not the one Intel's QE identity describes.");
  }
}

/**
 * The TDX module beneath a TD: signed by the signer the TCB info names, running with the SEAM
 * attributes it names, and — when Intel lists the module's major version (`TEE_TCB_SVN[1]`, as
 * `TDX_01`, `TDX_03`, …) — at one of that version's TCB levels by module SVN (`TEE_TCB_SVN[0]`).
 * Returns that level's verdict, to be merged with the platform's; null when no levels apply.
 */
export function checkTdxModule(info: TcbInfo, report: Pick<TdReport, 'teeTcbSvn' | 'mrSignerSeam' | 'seamAttributes'>): TcbVerdict | null {
  if (!info.tdxModule) throw new DcapError('CollateralMismatch', 'The TCB info does not describe a TDX module.');
  const [moduleSvn, moduleVersion] = report.teeTcbSvn;
  let identity: TdxModuleIdentity | undefined;
  if (moduleVersion > 0 && info.tdxModuleIdentities.length > 0) {
    const id = `TDX_${moduleVersion.toString(16).padStart(2, '0').toUpperCase()}`;
    identity = info.tdxModuleIdentities.find((m) => m.id.toUpperCase() === id);
    if (!identity) throw new DcapError('TdxModuleMismatch', `Intel's TCB info lists no TDX module ${id}, the one this TD runs under.`);
  }
  const expected: TdxModuleExpectation = identity ?? info.tdxModule;
  if (bytesToHex(report.mrSignerSeam) !== expected.mrSigner) {
    throw new DcapError('TdxModuleMismatch', "The TDX module is not signed by the signer Intel's TCB info names.");
  }
  if (!attributesMatch(report.seamAttributes, expected.attributes, expected.attributesMask)) {
    throw new DcapError('TdxModuleMismatch', "The TDX module runs with other SEAM attributes than Intel's TCB info allows.");
  }
  if (!identity) return null;
  const level = identity.levels.find((l) => moduleSvn >= l.isvSvn);
  if (!level) throw new DcapError('TcbLevelNotFound', `The TDX module's SVN is below every level Intel lists for ${identity.id}.`);
  return { status: level.status, advisoryIds: level.advisoryIds };
}
