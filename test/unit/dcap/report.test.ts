/**
 * Hardware attestation reports around the real fixture quotes: the report's kind, measurement,
 * TCB policy and key binding are each checked, with a reason of their own.
 */
import {
  checkReportData, checkTcbPolicy, DEFAULT_TCB_POLICY, verifyHardwareAttestation, verifyHardwareQuote,
} from '../../../shared/crypto/attestation';
import { isDcapError, verifyQuote, type DcapFailure } from '../../../shared/dcap';
import { decodeAttestation, encodeAttestation, type HardwareAttestationReport } from '../../../shared/protocol/attestation';
import { contractId, hash32 } from '../../../shared/types';
import { SGX, TDX, TDX_OUTDATED, type DcapFixture } from '../../helpers/dcap-fixtures';
import { thrown } from '../protocol/expect-error';

const genesis = new Uint8Array(32).fill(7);

function reportAround(f: DcapFixture, provider: HardwareAttestationReport['provider']): HardwareAttestationReport {
  const measurement = f === TDX_OUTDATED ? hash32(new Uint8Array(32)) : hash32(verifyQuote(f.quote, f.collateral, f.inside).measurement);
  return {
    provider, contractId: contractId(0), measurement, identityPub: new Uint8Array(32).fill(1), ecdhPub: new Uint8Array(32).fill(2),
    issuedAt: BigInt(f.inside), quote: f.quote, collateral: f.collateral,
  };
}

function reason(fn: () => unknown): DcapFailure {
  const e = thrown(fn);
  if (!isDcapError(e)) throw new Error(`expected a DcapError, got ${String(e)}`);
  return e.reason;
}

test('a hardware report with its quote and collateral survives SCALE encode/decode byte for byte', () => {
  const report = reportAround(TDX, 'TdxDcap');
  const decoded = decodeAttestation(encodeAttestation(report));
  expect(decoded).toEqual(report);
  if (decoded.provider === 'Dev') throw new Error('decoded as Dev');
  expect(verifyHardwareQuote(decoded, TDX.inside).status).toBe('UpToDate');
});

test('the quote and kind agree, the measurement is the quote\'s: verifies', () => {
  expect(verifyHardwareQuote(reportAround(SGX, 'SgxDcap'), SGX.inside).tee).toBe('sgx');
  expect(verifyHardwareQuote(reportAround(TDX, 'TdxDcap'), TDX.inside).tee).toBe('tdx');
});

test('a TDX quote in an SGX report, or another measurement: refused', () => {
  expect(reason(() => verifyHardwareQuote(reportAround(TDX, 'SgxDcap'), TDX.inside))).toBe('CollateralMismatch');
  const other = { ...reportAround(TDX, 'TdxDcap'), measurement: hash32(new Uint8Array(32).fill(9)) };
  expect(reason(() => verifyHardwareQuote(other, TDX.inside))).toBe('MeasurementMismatch');
});

test('report data for other keys (these fixtures were quoted for someone else\'s keys): ReportDataMismatch', () => {
  for (const [f, kind] of [[SGX, 'SgxDcap'], [TDX, 'TdxDcap']] as const) {
    const report = reportAround(f, kind);
    const verified = verifyHardwareQuote(report, f.inside);
    expect(reason(() => checkReportData(report, verified, genesis))).toBe('ReportDataMismatch');
  }
});

test('default policy: TDX up to date passes; SGX needing configuration is outside it; stale collateral is too old', () => {
  const tdx = verifyHardwareQuote(reportAround(TDX, 'TdxDcap'), TDX.inside);
  expect(() => checkTcbPolicy(tdx, DEFAULT_TCB_POLICY, TDX.inside)).not.toThrow();
  const sgx = verifyHardwareQuote(reportAround(SGX, 'SgxDcap'), SGX.inside);
  expect(reason(() => checkTcbPolicy(sgx, DEFAULT_TCB_POLICY, SGX.inside))).toBe('TcbStatusNotAccepted');
  const wider = { ...DEFAULT_TCB_POLICY, acceptedStatuses: [...DEFAULT_TCB_POLICY.acceptedStatuses, 'ConfigurationAndSWHardeningNeeded' as const] };
  expect(() => checkTcbPolicy(sgx, wider, SGX.inside)).not.toThrow();
  expect(reason(() => checkTcbPolicy(tdx, { ...DEFAULT_TCB_POLICY, maxCollateralAgeMs: 3_600_000 }, TDX.inside))).toBe('CollateralTooOld');
});

test('the outdated TDX platform is not accepted under the default policy', () => {
  expect(reason(() => verifyHardwareAttestation(reportAround(TDX_OUTDATED, 'TdxDcap'), genesis, TDX_OUTDATED.inside, DEFAULT_TCB_POLICY)))
    .toBe('TcbLevelNotFound');
});
