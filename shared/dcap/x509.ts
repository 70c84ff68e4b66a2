/**
 * X.509 certificates and CRLs as Intel's PCS issues them: ECDSA P-256 with SHA-256 only. Parsing
 * keeps the signed bytes and the raw names; signature checks use @noble/curves (pure JS, runs in
 * the extension's service worker and in Node alike).
 */
import { p256 } from '@noble/curves/nist.js';
import { children, derBits, derDocument, derOid, derTime, derUint, TAG, type DerElement, type DerReader } from './der';

const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const OID_P256 = '1.2.840.10045.3.1.7';
const OID_ECDSA_SHA256 = '1.2.840.10045.4.3.2';
const OID_BASIC_CONSTRAINTS = '2.5.29.19';

export interface Signed {
  /** The DER bytes the issuer signed. */
  tbs: Uint8Array;
  /** DER ECDSA-Sig-Value. */
  signature: Uint8Array;
  /** Raw DER Name of the issuer. */
  issuer: Uint8Array;
}

export interface Certificate extends Signed {
  der: Uint8Array;
  serial: bigint;
  subject: Uint8Array;
  notBefore: number;
  notAfter: number;
  /** Uncompressed SEC1 P-256 point (65 bytes). */
  publicKey: Uint8Array;
  isCa: boolean;
  /** Extension values (the OCTET STRING's content) by OID. */
  extensions: Map<string, Uint8Array>;
}

export interface Crl extends Signed {
  thisUpdate: number;
  nextUpdate: number;
  revoked: Set<bigint>;
}

/** The algorithm must be exactly ecdsa-with-SHA256 with absent parameters. */
function readSignatureAlgorithm(r: DerReader): void {
  const alg = children(r.next(TAG.SEQUENCE));
  if (derOid(alg.next(TAG.OID)) !== OID_ECDSA_SHA256) throw new RangeError('X.509: only ecdsa-with-SHA256 is used by Intel');
  alg.end();
}

/** Certificate and CertificateList share their outer shape: SEQUENCE { tbs, algorithm, BIT STRING }. */
function readSignedDocument(der: Uint8Array): { tbs: DerElement; signature: Uint8Array } {
  const outer = children(derDocument(der, TAG.SEQUENCE));
  const tbs = outer.next(TAG.SEQUENCE);
  readSignatureAlgorithm(outer);
  const signature = derBits(outer.next(TAG.BIT_STRING));
  outer.end();
  return { tbs, signature };
}

function readTime(r: DerReader): number {
  const tag = r.peekTag();
  return derTime(r.next(tag === TAG.GENERALIZED_TIME ? TAG.GENERALIZED_TIME : TAG.UTC_TIME));
}

function readPublicKey(spki: DerElement): Uint8Array {
  const r = children(spki);
  const alg = children(r.next(TAG.SEQUENCE));
  if (derOid(alg.next(TAG.OID)) !== OID_EC_PUBLIC_KEY || derOid(alg.next(TAG.OID)) !== OID_P256) throw new RangeError('X.509: not a P-256 key');
  alg.end();
  const key = derBits(r.next(TAG.BIT_STRING));
  r.end();
  if (key.length !== 65 || key[0] !== 4) throw new RangeError('X.509: not an uncompressed P-256 point');
  return key;
}

function readExtensions(el: DerElement | undefined): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  if (!el) return out;
  const list = children(el);
  const seq = children(list.next(TAG.SEQUENCE));
  list.end();
  while (!seq.done) {
    const ext = children(seq.next(TAG.SEQUENCE));
    const oid = derOid(ext.next(TAG.OID));
    ext.optional(TAG.BOOLEAN);
    const value = ext.next(TAG.OCTET_STRING).body;
    ext.end();
    if (out.has(oid)) throw new RangeError('X.509: repeated extension');
    out.set(oid, value);
  }
  return out;
}

function isCaCertificate(extensions: Map<string, Uint8Array>): boolean {
  const bc = extensions.get(OID_BASIC_CONSTRAINTS);
  if (!bc) return false;
  const r = children(derDocument(bc, TAG.SEQUENCE));
  const ca = r.optional(TAG.BOOLEAN);
  return ca !== undefined && ca.body.length === 1 && ca.body[0] === 0xff;
}

export function parseCertificate(der: Uint8Array): Certificate {
  const { tbs, signature } = readSignedDocument(der);
  const r = children(tbs);
  const version = children(r.next(0xa0));
  if (derUint(version.next(TAG.INTEGER)) !== 2n) throw new RangeError('X.509: not a v3 certificate');
  version.end();
  const serial = derUint(r.next(TAG.INTEGER));
  readSignatureAlgorithm(r);
  const issuer = r.next(TAG.SEQUENCE).raw;
  const validity = children(r.next(TAG.SEQUENCE));
  const notBefore = readTime(validity);
  const notAfter = readTime(validity);
  validity.end();
  const subject = r.next(TAG.SEQUENCE).raw;
  const publicKey = readPublicKey(r.next(TAG.SEQUENCE));
  const extensions = readExtensions(r.optional(0xa3));
  r.end();
  return {
    der, tbs: tbs.raw, signature, issuer, serial, subject, notBefore, notAfter, publicKey,
    isCa: isCaCertificate(extensions), extensions,
  };
}

export function parseCrl(der: Uint8Array): Crl {
  const { tbs, signature } = readSignedDocument(der);
  const r = children(tbs);
  const version = r.optional(TAG.INTEGER);
  if (version && derUint(version) !== 1n) throw new RangeError('CRL: not a v2 CRL');
  readSignatureAlgorithm(r);
  const issuer = r.next(TAG.SEQUENCE).raw;
  const thisUpdate = readTime(r);
  const nextUpdate = readTime(r); // optional in X.509, always present in Intel's CRLs and required here
  const revoked = new Set<bigint>();
  const list = r.optional(TAG.SEQUENCE);
  if (list) {
    const entries = children(list);
    while (!entries.done) {
      const entry = children(entries.next(TAG.SEQUENCE));
      revoked.add(derUint(entry.next(TAG.INTEGER)));
      readTime(entry);
      entry.optional(TAG.SEQUENCE);
      entry.end();
    }
  }
  r.optional(0xa0);
  r.end();
  return { tbs: tbs.raw, signature, issuer, thisUpdate, nextUpdate, revoked };
}

/** ECDSA P-256 / SHA-256 over `message`; malformed signatures are simply invalid. */
export function verifyP256(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, format: 'der' | 'compact'): boolean {
  try {
    return p256.verify(signature, message, publicKey, { format, lowS: false });
  } catch {
    return false;
  }
}

