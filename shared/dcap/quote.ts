/**
 * Intel DCAP quotes: SGX quote v3 (enclave report) and TDX quote v4 (TD report 1.0), both signed by
 * an ECDSA P-256 attestation key that the quoting enclave's report vouches for. Layouts follow
 * Intel's "SGX ECDSA Quote Library API" and "TDX DCAP Quoting Library API" documents.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { pemCertificates } from './pem';

export const TEE_SGX = 0x00000000;
export const TEE_TDX = 0x00000081;
const ATTESTATION_KEY_P256 = 2;
const CERT_PCK_CHAIN = 5;
const CERT_QE_REPORT = 6;
const ENCLAVE_REPORT_LEN = 384;
const TD_REPORT10_LEN = 584;
const TD_REPORT15_LEN = 648;
const BODY_TD10 = 2;
const BODY_TD15 = 3;
const INTEL_QE_VENDOR_ID = '939a7233f79c4ca9940a0db3957f0607';

/** SGX REPORT body: the application enclave's, or the quoting enclave's. */
export interface EnclaveReport {
  raw: Uint8Array;
  cpuSvn: Uint8Array;
  miscSelect: number;
  attributes: Uint8Array;
  mrEnclave: Uint8Array;
  mrSigner: Uint8Array;
  isvProdId: number;
  isvSvn: number;
  reportData: Uint8Array;
}

/** TD report 1.0: the trust domain's measurements. */
export interface TdReport {
  /** Byte 0: the TDX module's SVN; byte 1: its major version (selects Intel's module identity). */
  teeTcbSvn: Uint8Array;
  mrSeam: Uint8Array;
  /** Who signed the TDX module: all zero for Intel's. */
  mrSignerSeam: Uint8Array;
  seamAttributes: Uint8Array;
  /** TDATTRIBUTES, a little-endian u64: TUD bits 0-7 (bit 0 DEBUG), SEC bits 8-31 (bit 28 SEPT_VE_DISABLE), OTHER bits 32-63. */
  tdAttributes: Uint8Array;
  xfam: Uint8Array;
  mrTd: Uint8Array;
  mrConfigId: Uint8Array;
  mrOwner: Uint8Array;
  mrOwnerConfig: Uint8Array;
  rtmr: [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  reportData: Uint8Array;
  /** TD report 1.5 (quote v5) only: the service TD bound to this TD, all zero when none. */
  mrServiceTd?: Uint8Array;
}

export type QuoteBody = { tee: 'sgx'; report: EnclaveReport } | { tee: 'tdx'; report: TdReport };

export interface Quote {
  version: number;
  /** Header and body: what the attestation key signs. */
  signed: Uint8Array;
  body: QuoteBody;
  signature: Uint8Array;
  /** Raw (x, y) of the P-256 attestation key. */
  attestationKey: Uint8Array;
  qeReport: EnclaveReport;
  qeReportSignature: Uint8Array;
  qeAuthData: Uint8Array;
  /** PCK certificate chain, leaf first (DER). */
  pckChain: Uint8Array[];
}

class Bytes {
  pos = 0;
  readonly #view: DataView;
  constructor(readonly b: Uint8Array) {
    this.#view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }

  take(n: number): Uint8Array {
    if (this.pos + n > this.b.length) throw new RangeError('quote: truncated');
    return this.b.subarray(this.pos, (this.pos += n));
  }

  u16(): number {
    const at = this.pos;
    this.take(2);
    return this.#view.getUint16(at, true);
  }

  u32(): number {
    const at = this.pos;
    this.take(4);
    return this.#view.getUint32(at, true);
  }

  /** A u16- or u32-length-prefixed field, read as its own reader that must be used up. */
  sized(lengthBytes: 2 | 4): Bytes {
    return new Bytes(this.take(lengthBytes === 2 ? this.u16() : this.u32()));
  }

  end(): void {
    if (this.pos !== this.b.length) throw new RangeError('quote: bytes left inside a field');
  }
}

export function parseEnclaveReport(raw: Uint8Array): EnclaveReport {
  if (raw.length !== ENCLAVE_REPORT_LEN) throw new RangeError('quote: an enclave report is 384 bytes');
  const at = (o: number, n: number) => raw.subarray(o, o + n);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return {
    raw,
    cpuSvn: at(0, 16),
    miscSelect: view.getUint32(16, true),
    attributes: at(48, 16),
    mrEnclave: at(64, 32),
    mrSigner: at(128, 32),
    isvProdId: view.getUint16(256, true),
    isvSvn: view.getUint16(258, true),
    reportData: at(320, 64),
  };
}

export function parseTdReport(raw: Uint8Array): TdReport {
  if (raw.length !== TD_REPORT10_LEN && raw.length !== TD_REPORT15_LEN) throw new RangeError('quote: a TD report is 584 or 648 bytes');
  const at = (o: number, n: number) => raw.subarray(o, o + n);
  return {
    teeTcbSvn: at(0, 16),
    mrSeam: at(16, 48),
    mrSignerSeam: at(64, 48),
    seamAttributes: at(112, 8),
    tdAttributes: at(120, 8),
    xfam: at(128, 8),
    mrTd: at(136, 48),
    mrConfigId: at(184, 48),
    mrOwner: at(232, 48),
    mrOwnerConfig: at(280, 48),
    rtmr: [at(328, 48), at(376, 48), at(424, 48), at(472, 48)],
    reportData: at(520, 64),
    ...(raw.length === TD_REPORT15_LEN ? { mrServiceTd: at(600, 48) } : {}),
  };
}

/** TDX v4 carries a TD report 1.0; v5 a typed body (TD report 1.0 or 1.5). */
function readTdBody(r: Bytes, version: number): TdReport {
  if (version === 4) return parseTdReport(r.take(TD_REPORT10_LEN));
  const type = r.u16();
  const body = r.sized(4);
  if ((type !== BODY_TD10 || body.b.length !== TD_REPORT10_LEN) && (type !== BODY_TD15 || body.b.length !== TD_REPORT15_LEN)) {
    throw new UnsupportedQuote(`quote v5 body type ${type}`);
  }
  return parseTdReport(body.b);
}

/** The quoting enclave's part: its report, that report's PCK signature, and the PCK chain. */
function readQeCertification(r: Bytes): Pick<Quote, 'qeReport' | 'qeReportSignature' | 'qeAuthData' | 'pckChain'> {
  const qeReport = parseEnclaveReport(r.take(ENCLAVE_REPORT_LEN));
  const qeReportSignature = r.take(64);
  const auth = r.sized(2);
  const qeAuthData = auth.take(auth.b.length);
  const certType = r.u16();
  if (certType !== CERT_PCK_CHAIN) throw new UnsupportedQuote(`certification data type ${certType} (only a PCK certificate chain is handled)`);
  const chain = r.sized(4);
  const pckChain = pemCertificates(new TextDecoder('utf-8', { fatal: true }).decode(chain.take(chain.b.length)));
  return { qeReport, qeReportSignature, qeAuthData, pckChain };
}

/** A well-formed quote this verifier does not handle (another version, TEE or key type). */
export class UnsupportedQuote extends Error {}

export function parseQuote(quote: Uint8Array): Quote {
  const r = new Bytes(quote);
  const version = r.u16();
  const keyType = r.u16();
  const teeType = r.u32();
  r.take(4); // QE SVN and PCE SVN as the QE saw them; the PCK certificate's values are the ones trusted
  const vendor = r.take(16);
  r.take(20); // user data
  const tee = teeType === TEE_SGX && version === 3 ? 'sgx' : teeType === TEE_TDX && (version === 4 || version === 5) ? 'tdx' : undefined;
  if (!tee) throw new UnsupportedQuote(`quote version ${version} for TEE type 0x${teeType.toString(16)}`);
  if (keyType !== ATTESTATION_KEY_P256) throw new UnsupportedQuote(`attestation key type ${keyType}`);
  if (bytesToHex(vendor) !== INTEL_QE_VENDOR_ID) throw new UnsupportedQuote('a quoting enclave not from Intel');
  const body: QuoteBody = tee === 'sgx'
    ? { tee, report: parseEnclaveReport(r.take(ENCLAVE_REPORT_LEN)) }
    : { tee, report: readTdBody(r, version) };
  const signed = quote.subarray(0, r.pos);

  const auth = r.sized(4);
  const signature = auth.take(64);
  const attestationKey = auth.take(64);
  let qe: ReturnType<typeof readQeCertification>;
  if (tee === 'sgx') {
    qe = readQeCertification(auth);
  } else {
    const certType = auth.u16();
    if (certType !== CERT_QE_REPORT) throw new UnsupportedQuote(`TDX certification data type ${certType}`);
    const inner = auth.sized(4);
    qe = readQeCertification(inner);
    inner.end();
  }
  auth.end();
  // Quote generators pad to a fixed buffer size; only zeros may follow, so no byte goes unchecked.
  if (!r.take(quote.length - r.pos).every((x) => x === 0)) throw new RangeError('quote: data after the quote');
  return { version, signed, body, signature, attestationKey, ...qe };
}
