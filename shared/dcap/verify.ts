/**
 * DCAP quote verification (Intel SGX v3 and TDX v4 quotes, ECDSA P-256), pure and offline: the
 * caller supplies the collateral and the time. One piece of code for the pallet (chain time), a
 * keyholder and the extension (wall clock). Throws a `DcapError` naming the first check that failed.
 */
import { equalBytes } from '@noble/curves/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { parseQeIdentity, parseTcbInfo, type DcapCollateral, type QeIdentity, type TcbInfo, type TcbStatus } from './collateral';
import { DcapError, parsing } from './errors';
import { INTEL_SGX_ROOT_CA_DER } from './intel-root';
import { pemCertificates } from './pem';
import { readPckExtension } from './pck-extension';
import { parseQuote, UnsupportedQuote, type Quote, type QuoteBody } from './quote';
import { mergeTcb, platformTcb, qeTcb } from './tcb';
import { checkQeIdentity, checkTdxModule } from './identity';
import { checkTeeAttributes } from './attributes';
import { parseCertificate, parseCrl, verifyP256, type Certificate, type Crl } from './x509';

export interface VerifiedQuote {
  tee: 'sgx' | 'tdx';
  status: TcbStatus;
  advisoryIds: string[];
  /** MRENCLAVE (SGX) or SHA-256(MRTD ‖ RTMR0 ‖ RTMR1 ‖ RTMR2) (TDX). */
  measurement: Uint8Array;
  reportData: Uint8Array;
  /** The older of the TCB info's and QE identity's issue dates (ms): how fresh the collateral is. */
  collateralIssuedAt: number;
  body: QuoteBody;
}

export interface VerifyOptions {
  /** Trust anchor; Intel SGX Root CA unless a test says otherwise. */
  rootCaDer?: Uint8Array;
}

/** What a quote's measurement is: the enclave's code, or the TD's firmware, kernel and boot configuration. */
export function quoteMeasurement(body: QuoteBody): Uint8Array {
  if (body.tee === 'sgx') return body.report.mrEnclave.slice();
  const [rtmr0, rtmr1, rtmr2] = body.report.rtmr;
  const h = sha256.create();
  for (const part of [body.report.mrTd, rtmr0, rtmr1, rtmr2]) h.update(part);
  return h.digest();
}

export function readQuote(quote: Uint8Array): Quote {
  return parsing('MalformedQuote', 'The quote', () => {
    try {
      return parseQuote(quote);
    } catch (e) {
      if (e instanceof UnsupportedQuote) throw new DcapError('UnsupportedQuote', `The quote is not supported: ${e.message}.`);
      throw e;
    }
  });
}

/**
 * One verification's state: the time, the anchor and its CRL, and certificate signatures already
 * checked (the TCB signing and PCK CA certificates appear in two chains each).
 */
class Checker {
  readonly #verified = new Set<string>();
  ecdsaVerifies = 0;
  /** The root's CRL, checked before any chain. */
  rootCrl: Crl | undefined;

  constructor(readonly now: number, readonly root: Certificate) {}

  ecdsa(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, format: 'der' | 'compact'): boolean {
    this.ecdsaVerifies++;
    return verifyP256(publicKey, message, signature, format);
  }

  validAt(what: string, from: number, to: number): void {
    if (this.now < from) throw new DcapError('Expired', `${what} is not valid yet at the verification time.`);
    if (this.now > to) throw new DcapError('Expired', `${what} has expired at the verification time.`);
  }

  issuedBy(child: Certificate, issuer: Certificate, what: string): void {
    const key = `${latin1(child.der)}|${latin1(issuer.publicKey)}`;
    if (this.#verified.has(key)) return;
    if (!issuer.isCa || !equalBytes(child.issuer, issuer.subject) || !this.ecdsa(issuer.publicKey, child.tbs, child.signature, 'der')) {
      throw new DcapError('UntrustedChain', `${what} is not signed by its issuer.`);
    }
    this.#verified.add(key);
  }

  /** A PEM chain, leaf first, up to the pinned root; CA certificates under the root must not be on its CRL. Returns the leaf and its issuer. */
  chain(pem: string | Uint8Array[], what: string): { leaf: Certificate; issuer: Certificate } {
    const ders = typeof pem === 'string' ? parsing('MalformedCollateral', what, () => pemCertificates(pem)) : pem;
    // A chain may carry the root itself at its end; the pinned copy is the one trusted.
    const below = equalBytes(ders[ders.length - 1], this.root.der) ? ders.slice(0, -1) : ders;
    const certs = below.map((d) => parsing(typeof pem === 'string' ? 'MalformedCollateral' : 'MalformedQuote', what, () => parseCertificate(d)));
    if (certs.length === 0) throw new DcapError('UntrustedChain', `${what} has no certificate below the root.`);
    const full = [...certs, this.root];
    for (let i = 0; i < certs.length; i++) {
      this.validAt(`A certificate of ${what}`, certs[i].notBefore, certs[i].notAfter);
      this.issuedBy(certs[i], full[i + 1], `A certificate of ${what}`);
    }
    const top = certs[certs.length - 1];
    if (!this.rootCrl || this.rootCrl.revoked.has(top.serial)) throw new DcapError('Revoked', `A CA certificate of ${what} is revoked by Intel.`);
    return { leaf: certs[0], issuer: full[1] };
  }

  crl(der: Uint8Array, issuer: Certificate, what: string): Crl {
    const crl = parsing('MalformedCollateral', what, () => parseCrl(der));
    if (!equalBytes(crl.issuer, issuer.subject) || !this.ecdsa(issuer.publicKey, crl.tbs, crl.signature, 'der')) {
      throw new DcapError('BadCrl', `${what} is not signed by its issuer.`);
    }
    this.validAt(what, crl.thisUpdate, crl.nextUpdate);
    return crl;
  }

  /** Signed JSON (TCB info, QE identity): chain, then the signature over the exact text, then the parse. */
  signedJson<T extends { issueDate: number; nextUpdate: number }>(
    chainPem: string, text: string, signature: Uint8Array, what: string, parse: (t: string) => T,
  ): T {
    const { leaf } = this.chain(chainPem, `the ${what} issuer chain`);
    if (signature.length !== 64 || !this.ecdsa(leaf.publicKey, new TextEncoder().encode(text), signature, 'compact')) {
      throw new DcapError('BadCollateralSignature', `The ${what} is not signed by Intel's TCB signing key.`);
    }
    const value = parsing('MalformedCollateral', `The ${what}`, () => parse(text));
    this.validAt(`The ${what}`, value.issueDate, value.nextUpdate);
    return value;
  }
}

const latin1 = (b: Uint8Array) => String.fromCharCode(...b);

export interface VerifyOutcome extends VerifiedQuote {
  /** ECDSA P-256 verifications performed (for the benchmark's bound). */
  ecdsaVerifies: number;
}

export function verifyQuote(rawQuote: Uint8Array, collateral: DcapCollateral, nowMs: number, opts: VerifyOptions = {}): VerifyOutcome {
  const quote = readQuote(rawQuote);
  const root = parseCertificate(opts.rootCaDer ?? INTEL_SGX_ROOT_CA_DER);
  const c = new Checker(nowMs, root);
  c.rootCrl = c.crl(collateral.rootCaCrl, root, 'The root CA CRL');

  // Intel's signed statements about platforms and quoting enclaves.
  const tcbInfo: TcbInfo = c.signedJson(collateral.tcbInfoIssuerChain, collateral.tcbInfo, collateral.tcbInfoSignature, 'TCB info', parseTcbInfo);
  const qeIdentity: QeIdentity = c.signedJson(collateral.qeIdentityIssuerChain, collateral.qeIdentity, collateral.qeIdentitySignature, 'QE identity', parseQeIdentity);

  // The PCK certificate: certified by Intel, not revoked.
  const pck = c.chain(quote.pckChain, "the quote's PCK certificate chain");
  const crlIssuer = c.chain(collateral.pckCrlIssuerChain, 'the PCK CRL issuer chain');
  // Same name and key: the CA whose CRL this is issued the PCK certificate.
  if (!equalBytes(crlIssuer.leaf.subject, pck.issuer.subject) || !equalBytes(crlIssuer.leaf.publicKey, pck.issuer.publicKey)) {
    throw new DcapError('BadCrl', 'The PCK CRL is from another CA than the PCK certificate.');
  }
  const pckCrl = c.crl(collateral.pckCrl, crlIssuer.leaf, 'The PCK CRL');
  if (pckCrl.revoked.has(pck.leaf.serial)) throw new DcapError('Revoked', 'The PCK certificate is revoked by Intel.');
  const pckTcb = parsing('MalformedQuote', 'The PCK certificate', () => readPckExtension(pck.leaf));

  // The quoting enclave vouches for the attestation key; the attestation key signs the quote.
  if (!c.ecdsa(pck.leaf.publicKey, quote.qeReport.raw, quote.qeReportSignature, 'compact')) {
    throw new DcapError('BadQeReportSignature', "The quoting enclave's report is not signed by the PCK key.");
  }
  const binding = sha256(new Uint8Array([...quote.attestationKey, ...quote.qeAuthData]));
  if (!equalBytes(quote.qeReport.reportData.subarray(0, 32), binding) || quote.qeReport.reportData.subarray(32).some((x) => x !== 0)) {
    throw new DcapError('AttestationKeyNotBound', "The quoting enclave's report does not vouch for the quote's attestation key.");
  }
  if (!c.ecdsa(new Uint8Array([4, ...quote.attestationKey]), quote.signed, quote.signature, 'compact')) {
    throw new DcapError('BadQuoteSignature', 'The quote is not signed by its attestation key.');
  }

  // The collateral must describe this platform and this kind of TEE.
  const tee = quote.body.tee;
  if (tcbInfo.id !== (tee === 'sgx' ? 'SGX' : 'TDX') || qeIdentity.id !== (tee === 'sgx' ? 'QE' : 'TD_QE')) {
    throw new DcapError('CollateralMismatch', `The collateral is not for an ${tee.toUpperCase()} quote.`);
  }
  if (bytesToHex(pckTcb.fmspc) !== tcbInfo.fmspc || bytesToHex(pckTcb.pceId) !== tcbInfo.pceId) {
    throw new DcapError('CollateralMismatch', 'The TCB info is for another platform (FMSPC or PCE id differ).');
  }
  checkQeIdentity(quote.qeReport, qeIdentity);

  const tdReport = quote.body.tee === 'tdx' ? quote.body.report : undefined;
  const platform = platformTcb(tcbInfo, pckTcb.cpuSvnComponents, pckTcb.pceSvn, tdReport?.teeTcbSvn);
  // Intel folds the TDX module's own TCB level into the platform's, then the quoting enclave's.
  const tdxModule = tdReport ? checkTdxModule(tcbInfo, tdReport) : null;
  const verdict = mergeTcb(tdxModule ? mergeTcb(platform, tdxModule) : platform, qeTcb(qeIdentity, quote.qeReport.isvSvn));
  if (verdict.status === 'Revoked') throw new DcapError('TcbRevoked', "The platform's TCB level is revoked.");
  checkTeeAttributes(quote.body);
  if (tee === 'tdx' && quote.body.report.mrServiceTd?.some((x) => x !== 0)) {
    throw new DcapError('UnsupportedQuote', 'The TD is bound to a service TD, which this verifier does not evaluate.');
  }

  return {
    tee, status: verdict.status, advisoryIds: verdict.advisoryIds,
    measurement: quoteMeasurement(quote.body), reportData: quote.body.report.reportData.slice(),
    collateralIssuedAt: Math.min(tcbInfo.issueDate, qeIdentity.issueDate), body: quote.body,
    ecdsaVerifies: c.ecdsaVerifies,
  };
}

/** What a collateral request needs from a quote: the platform's FMSPC and which PCK CA issued its key. */
export function pckIdentity(quote: Quote): { fmspc: string; ca: 'platform' | 'processor' } {
  const leaf = parsing('MalformedQuote', "The quote's PCK certificate", () => parseCertificate(quote.pckChain[0]));
  const fmspc = bytesToHex(parsing('MalformedQuote', "The quote's PCK certificate", () => readPckExtension(leaf)).fmspc);
  // Intel's two PCK CAs differ by name: "Intel SGX PCK Platform CA" and "Intel SGX PCK Processor CA".
  const issuer = new TextDecoder().decode(leaf.issuer);
  return { fmspc, ca: issuer.includes('Platform') ? 'platform' : 'processor' };
}
