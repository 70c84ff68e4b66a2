/**
 * Collateral for a quote from a PCCS (or Intel's PCS) through the v4 API, cached on disk so a
 * restart or a PCCS outage does not stop registration while the cached collateral is still fresh.
 *
 *   {base}/sgx/certification/v4/pckcrl?ca=platform|processor&encoding=der  → DER, issuer chain header
 *   {base}/sgx/certification/v4/rootcacrl                                  → root CA CRL (DER or hex)
 *   {base}/{sgx|tdx}/certification/v4/tcb?fmspc=…                          → {"tcbInfo":…,"signature":…}
 *   {base}/{sgx|tdx}/certification/v4/qe/identity                          → {"enclaveIdentity":…,"signature":…}
 *
 * TCB info and QE identity are signed as the exact text of their JSON object, so that text is cut
 * out of the body, never re-serialised.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { pckIdentity, readQuote, type DcapCollateral } from '../../../shared/dcap';
import { AttestationError } from './errors';

interface Fetched {
  body: Uint8Array;
  issuerChain: string;
  fetchedAt: number;
}

export interface PccsOptions {
  /** Base URL, e.g. https://pccs.example:8081 or https://api.trustedservices.intel.com. */
  url: string;
  cacheDir: string;
  /** A cached response younger than this is used without asking the PCCS. Default one hour. */
  maxCacheAgeMs?: number;
  now?: () => number;
}

const ISSUER_HEADERS = ['sgx-pck-crl-issuer-chain', 'tcb-info-issuer-chain', 'sgx-tcb-info-issuer-chain', 'sgx-enclave-identity-issuer-chain'];

async function fetchFresh(url: string): Promise<Omit<Fetched, 'fetchedAt'>> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const header = ISSUER_HEADERS.map((h) => res.headers.get(h)).find((v) => v !== null);
  return { body: new Uint8Array(await res.arrayBuffer()), issuerChain: header ? decodeURIComponent(header) : '' };
}

/** The exact text of the top-level JSON object under `key` (brace-balanced; Intel's values hold no braces in strings). */
export function signedObjectText(body: string, key: string): string {
  const start = body.indexOf(`"${key}":`);
  if (start < 0) throw new Error(`no ${key}`);
  const open = body.indexOf('{', start);
  let depth = 0;
  for (let i = open; i < body.length; i++) {
    if (body[i] === '{') depth++;
    else if (body[i] === '}' && --depth === 0) return body.slice(open, i + 1);
  }
  throw new Error(`unbalanced ${key}`);
}

const hexBytes = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
/** A CRL body: DER as served with encoding=der, or hex text as some PCCS versions serve it. */
const crlBytes = (b: Uint8Array) => (b[0] === 0x30 ? b : hexBytes(new TextDecoder().decode(b).trim()));

export class PccsClient {
  readonly #opts: Required<PccsOptions>;

  constructor(opts: PccsOptions) {
    this.#opts = { maxCacheAgeMs: 3_600_000, now: Date.now, ...opts, url: opts.url.replace(/\/+$/, '') };
    mkdirSync(opts.cacheDir, { recursive: true, mode: 0o700 });
  }

  async #get(path: string): Promise<Fetched> {
    const url = `${this.#opts.url}${path}`;
    const file = join(this.#opts.cacheDir, `${createHash('sha256').update(url).digest('hex').slice(0, 32)}.json`);
    let cached: Fetched | undefined;
    try {
      const c = JSON.parse(readFileSync(file, 'utf8')) as { body: string; issuerChain: string; fetchedAt: number };
      cached = { body: hexBytes(c.body), issuerChain: c.issuerChain, fetchedAt: c.fetchedAt };
    } catch {
      cached = undefined; // no cache yet, or an unreadable one: ask the PCCS
    }
    if (cached && this.#opts.now() - cached.fetchedAt < this.#opts.maxCacheAgeMs) return cached;
    try {
      const fresh = { ...(await fetchFresh(url)), fetchedAt: this.#opts.now() };
      writeFileSync(file, JSON.stringify({ body: Buffer.from(fresh.body).toString('hex'), issuerChain: fresh.issuerChain, fetchedAt: fresh.fetchedAt }), { mode: 0o600 });
      return fresh;
    } catch (e) {
      if (cached) return cached; // stale but present: the verifier decides whether it is still valid
      throw new AttestationError('CollateralUnavailable', `The PCCS at ${this.#opts.url} did not serve ${path.split('?')[0]} (${e instanceof Error ? e.message : 'no answer'}), and nothing is cached.`);
    }
  }

  /** Everything needed to verify `quote` offline. */
  async collateralFor(quote: Uint8Array): Promise<DcapCollateral> {
    const q = readQuote(quote);
    const tee = q.body.tee;
    const { fmspc, ca } = pckIdentity(q);
    const [pckCrl, rootCrl, tcb, qe] = await Promise.all([
      this.#get(`/sgx/certification/v4/pckcrl?ca=${ca}&encoding=der`),
      this.#get('/sgx/certification/v4/rootcacrl'),
      this.#get(`/${tee}/certification/v4/tcb?fmspc=${fmspc}`),
      this.#get(`/${tee}/certification/v4/qe/identity`),
    ]);
    const tcbBody = new TextDecoder().decode(tcb.body);
    const qeBody = new TextDecoder().decode(qe.body);
    const signatureOf = (body: string) => hexBytes((JSON.parse(body) as { signature: string }).signature);
    return {
      pckCrlIssuerChain: pckCrl.issuerChain, rootCaCrl: crlBytes(rootCrl.body), pckCrl: crlBytes(pckCrl.body),
      tcbInfoIssuerChain: tcb.issuerChain, tcbInfo: signedObjectText(tcbBody, 'tcbInfo'), tcbInfoSignature: signatureOf(tcbBody),
      qeIdentityIssuerChain: qe.issuerChain, qeIdentity: signedObjectText(qeBody, 'enclaveIdentity'), qeIdentitySignature: signatureOf(qeBody),
    };
  }
}
