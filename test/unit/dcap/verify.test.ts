/**
 * DCAP quote verification against real Intel SGX and TDX quotes and their collateral: the results
 * Intel's data gives, expiry outside the collateral's window, and refusal of any changed byte.
 */
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  INTEL_SGX_ROOT_CA_DER, isDcapError, readQuote, verifyQuote, type DcapCollateral, type DcapFailure,
} from '../../../shared/dcap';
import { DSTACK_QUOTE, SGX, TDX, TDX_OUTDATED } from '../../helpers/dcap-fixtures';
import { thrown } from '../protocol/expect-error';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const HOUR = 3_600_000;

function failure(fn: () => unknown, what = ''): DcapFailure {
  const e = thrown(fn);
  if (!isDcapError(e)) throw new Error(`${what}expected a DcapError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  return e.reason;
}

describe('real quotes verify with the results Intel\'s collateral gives', () => {
  test('SGX: configuration and SW hardening needed, INTEL-SA-00289 and INTEL-SA-00615; measurement is MRENCLAVE', () => {
    const r = verifyQuote(SGX.quote, SGX.collateral, SGX.inside);
    expect(r).toMatchObject({ tee: 'sgx', status: 'ConfigurationAndSWHardeningNeeded', advisoryIds: ['INTEL-SA-00289', 'INTEL-SA-00615'] });
    const q = readQuote(SGX.quote);
    if (q.body.tee !== 'sgx') throw new Error('not an SGX quote');
    expect(hex(r.measurement)).toBe(hex(q.body.report.mrEnclave));
    expect(hex(r.reportData)).toBe(hex(SGX.quote.subarray(48 + 320, 48 + 384)));
  });

  test('TDX: up to date, no advisories; measurement is SHA-256(MRTD | RTMR0 | RTMR1 | RTMR2)', () => {
    const r = verifyQuote(TDX.quote, TDX.collateral, TDX.inside);
    expect(r).toMatchObject({ tee: 'tdx', status: 'UpToDate', advisoryIds: [] });
    const at = (o: number) => TDX.quote.subarray(48 + o, 48 + o + 48);
    expect(hex(r.measurement)).toBe(hex(sha256(Buffer.concat([at(136), at(328), at(376), at(424)]))));
    expect(r.collateralIssuedAt).toBe(Date.parse('2025-06-19T10:16:03Z'));
  });

  test('the first and last minute of each window still verify', () => {
    for (const f of [SGX, TDX]) {
      expect(verifyQuote(f.quote, f.collateral, f.validFrom + 60_000).tee).toBeDefined();
      expect(verifyQuote(f.quote, f.collateral, f.validUntil - 60_000).tee).toBeDefined();
    }
  });

  test('the outdated TDX platform is refused: its TCB is below every level Intel lists', () => {
    expect(failure(() => verifyQuote(TDX_OUTDATED.quote, TDX_OUTDATED.collateral, TDX_OUTDATED.inside))).toBe('TcbLevelNotFound');
  });
});

describe('outside the collateral window', () => {
  test.each([SGX, TDX, TDX_OUTDATED])('$name fails as expired a day before and a day after', (f) => {
    expect(failure(() => verifyQuote(f.quote, f.collateral, f.validFrom - 24 * HOUR))).toBe('Expired');
    expect(failure(() => verifyQuote(f.quote, f.collateral, f.validUntil + 24 * HOUR))).toBe('Expired');
  });

  test('a stale PCK CRL alone makes the TDX quote expired (TCB info still current until 10:16)', () => {
    expect(failure(() => verifyQuote(TDX.quote, TDX.collateral, Date.parse('2025-07-19T10:10:00Z')))).toBe('Expired');
  });

  test('years later (certificates still valid, collateral long stale): expired', () => {
    expect(failure(() => verifyQuote(TDX.quote, TDX.collateral, Date.parse('2030-01-01T00:00:00Z')))).toBe('Expired');
  });
});

/** Evenly spread positions plus both ends of every region, so each part of the quote is hit. */
function samplePositions(length: number, count: number): number[] {
  const step = length / count;
  return [...new Set([0, length - 1, ...Array.from({ length: count }, (_, i) => Math.floor(i * step + step / 2))])];
}

const flipAt = (b: Uint8Array, i: number) => {
  const c = b.slice();
  c[i] ^= 0x01;
  return c;
};

describe('a flipped byte anywhere fails with a typed reason', () => {
  test.each([SGX, TDX])('$name: positions across the whole quote', (f) => {
    // The regions: header, body, quote signature, attestation key, QE report and signature, QE auth data, PCK chain, padding.
    for (const i of samplePositions(f.quote.length, 48)) {
      failure(() => verifyQuote(flipAt(f.quote, i), f.collateral, f.inside), `byte ${i}: `);
    }
  });

  const fields = Object.keys(TDX.collateral) as (keyof DcapCollateral)[];
  test.each(fields)('TDX collateral field %s', (field) => {
    const value = TDX.collateral[field];
    const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value;
    for (const i of samplePositions(bytes.length, 6)) {
      const flipped = flipAt(bytes, i);
      const changed = { ...TDX.collateral, [field]: typeof value === 'string' ? new TextDecoder().decode(flipped) : flipped };
      failure(() => verifyQuote(TDX.quote, changed, TDX.inside), `${field} byte ${i}: `);
    }
  });
});

/** A self-signed impostor: the Intel root's name and fields, another key. */
function impostorRoot(): Uint8Array {
  const sk = p256.utils.randomSecretKey();
  const der = Buffer.from(INTEL_SGX_ROOT_CA_DER);
  const tbs = Buffer.from(der.subarray(4, 8 + ((der[6] << 8) | der[7]))); // Certificate ::= 30 82 LL LL, then TBSCertificate 30 82 LL LL
  const keyAt = tbs.indexOf(Buffer.from([0x03, 0x42, 0x00, 0x04])) + 3; // BIT STRING holding the uncompressed point
  Buffer.from(p256.getPublicKey(sk, false)).copy(tbs, keyAt);
  const sig = Buffer.from(p256.sign(tbs, sk, { format: 'der' }));
  const body = Buffer.concat([tbs, Buffer.from('300a06082a8648ce3d040302', 'hex'), Buffer.from([0x03, sig.length + 1, 0x00]), sig]);
  return Buffer.concat([Buffer.from([0x30, 0x82, body.length >> 8, body.length & 0xff]), body]);
}

test('another root CA (same name as Intel\'s, another key) is not trusted', () => {
  const reason = failure(() => verifyQuote(TDX.quote, TDX.collateral, TDX.inside, { rootCaDer: impostorRoot() }));
  expect(['BadCrl', 'UntrustedChain']).toContain(reason);
});

test('the dstack quote parses: its MRTD, RTMR0-3 and report data are read', () => {
  const q = readQuote(DSTACK_QUOTE);
  if (q.body.tee !== 'tdx') throw new Error('not a TDX quote');
  expect(hex(q.body.report.mrTd)).toBe('c68518a0ebb42136c12b2275164f8c72f25fa9a34392228687ed6e9caeb9c0f1dbd895e9cf475121c029dc47e70e91fd');
  expect(q.body.report.rtmr.map((r) => hex(r).slice(0, 16))).toEqual(['274c2344116db7c6', '918fbd97108e0545', '0000000000000000', 'a2d25bc888a93009']);
  expect(hex(q.body.report.reportData).slice(0, 32)).toBe('7668c6b4eafb62301c72714ecc7d90ce');
});
