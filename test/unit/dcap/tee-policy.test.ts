/**
 * What lies beneath the quoted code, judged on the real fixture quotes once parsed: the attributes
 * the enclave or TD was started with (debug refused, SEPT_VE_DISABLE required, reserved bits
 * refused), the TDX module Intel's TCB info lists, and the quoting enclave Intel's QE identity
 * describes. A changed bit cannot be re-signed, so each check runs on the parsed body with that
 * bit changed; the unchanged fixtures pass the same checks (and verify end to end in verify.test.ts).
 */
import { checkTeeAttributes } from '../../../shared/dcap/attributes';
import { parseQeIdentity, parseTcbInfo, type TcbInfo } from '../../../shared/dcap/collateral';
import { checkQeIdentity, checkTdxModule } from '../../../shared/dcap/identity';
import { mergeTcb } from '../../../shared/dcap/tcb';
import { isDcapError, readQuote, verifyQuote, type DcapFailure, type QuoteBody, type TdReport } from '../../../shared/dcap';
import { DSTACK_QUOTE, SGX, TDX, TDX_OUTDATED } from '../../helpers/dcap-fixtures';
import { thrown } from '../protocol/expect-error';

function reason(fn: () => unknown): DcapFailure {
  const e = thrown(fn);
  if (!isDcapError(e)) throw new Error(`expected a DcapError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  return e.reason;
}

const tdBody = (quote: Uint8Array): Extract<QuoteBody, { tee: 'tdx' }> => {
  const { body } = readQuote(quote);
  if (body.tee !== 'tdx') throw new Error('not a TDX quote');
  return body;
};

/** The body with TDATTRIBUTES bit `bit` (little-endian u64) set or cleared. */
function withTdAttribute(body: Extract<QuoteBody, { tee: 'tdx' }>, bit: number, on: boolean): QuoteBody {
  const tdAttributes = body.report.tdAttributes.slice();
  if (on) tdAttributes[bit >> 3] |= 1 << (bit & 7);
  else tdAttributes[bit >> 3] &= ~(1 << (bit & 7));
  return { tee: 'tdx', report: { ...body.report, tdAttributes } };
}

describe('the attributes the enclave or TD was started with', () => {
  test('the real SGX, TDX (v4 and v5) and dstack quotes pass: not debug, and the TDs have SEPT_VE_DISABLE', () => {
    for (const q of [SGX.quote, TDX.quote, TDX_OUTDATED.quote, DSTACK_QUOTE]) expect(() => checkTeeAttributes(readQuote(q).body)).not.toThrow();
  });

  test('SGX ATTRIBUTES.DEBUG set: DebugEnclave', () => {
    const { body } = readQuote(SGX.quote);
    if (body.tee !== 'sgx') throw new Error('not an SGX quote');
    const attributes = body.report.attributes.slice();
    attributes[0] |= 0x02;
    expect(reason(() => checkTeeAttributes({ tee: 'sgx', report: { ...body.report, attributes } }))).toBe('DebugEnclave');
  });

  test('TDATTRIBUTES.DEBUG (bit 0) set: DebugEnclave', () => {
    expect(reason(() => checkTeeAttributes(withTdAttribute(tdBody(TDX.quote), 0, true)))).toBe('DebugEnclave');
  });

  test('SEPT_VE_DISABLE (bit 28) cleared: SeptVeNotDisabled', () => {
    for (const q of [TDX.quote, TDX_OUTDATED.quote, DSTACK_QUOTE]) {
      expect(reason(() => checkTeeAttributes(withTdAttribute(tdBody(q), 28, false)))).toBe('SeptVeNotDisabled');
    }
  });

  test.each([1, 7, 8, 27, 29, 32, 62])('reserved TDATTRIBUTES bit %i set: ReservedAttributeSet', (bit) => {
    expect(reason(() => checkTeeAttributes(withTdAttribute(tdBody(TDX.quote), bit, true)))).toBe('ReservedAttributeSet');
  });

  test.each([30, 31, 63])('PKS, KL or PERFMON (bit %i) is the TD\'s own business: accepted', (bit) => {
    expect(() => checkTeeAttributes(withTdAttribute(tdBody(TDX.quote), bit, true))).not.toThrow();
  });
});

describe('the TDX module, as Intel\'s TCB info lists it', () => {
  const info: TcbInfo = parseTcbInfo(TDX.collateral.tcbInfo);
  const report = tdBody(TDX.quote).report;
  /** The report with TEE_TCB_SVN byte 0 (module SVN) and byte 1 (module major version) replaced. */
  const module = (svn: number, version: number, more: Partial<TdReport> = {}) => {
    const teeTcbSvn = report.teeTcbSvn.slice();
    teeTcbSvn[0] = svn;
    teeTcbSvn[1] = version;
    return { ...report, teeTcbSvn, ...more };
  };

  test('the real quote runs TDX_01 at SVN 6, at or above its up-to-date level (4)', () => {
    expect([report.teeTcbSvn[0], report.teeTcbSvn[1]]).toEqual([6, 1]);
    expect(checkTdxModule(info, report)).toEqual({ status: 'UpToDate', advisoryIds: [] });
  });

  test('an older module SVN gets that level\'s status, and it is folded into the platform\'s', () => {
    expect(checkTdxModule(info, module(3, 1))).toEqual({ status: 'OutOfDate', advisoryIds: [] });
    expect(mergeTcb({ status: 'UpToDate', advisoryIds: [] }, checkTdxModule(info, module(3, 1))!).status).toBe('OutOfDate');
    const later = parseTcbInfo(TDX_OUTDATED.collateral.tcbInfo); // Intel's later data names the advisories
    expect(checkTdxModule(later, module(5, 1))).toEqual({ status: 'OutOfDate', advisoryIds: ['INTEL-SA-01036', 'INTEL-SA-01099'] });
  });

  test('a module SVN below every level: TcbLevelNotFound', () => {
    expect(reason(() => checkTdxModule(info, module(1, 1)))).toBe('TcbLevelNotFound');
  });

  test('a module version Intel does not list (TDX_02): TdxModuleMismatch; TDX_03 has its own levels', () => {
    expect(reason(() => checkTdxModule(info, module(6, 2)))).toBe('TdxModuleMismatch');
    expect(checkTdxModule(info, module(3, 3))).toEqual({ status: 'UpToDate', advisoryIds: [] });
    expect(reason(() => checkTdxModule(info, module(2, 3)))).toBe('TcbLevelNotFound');
  });

  test('a module not signed by Intel (MRSIGNERSEAM not zero): TdxModuleMismatch, with or without a listed version', () => {
    const mrSignerSeam = report.mrSignerSeam.slice();
    mrSignerSeam[47] = 1;
    expect(reason(() => checkTdxModule(info, module(6, 1, { mrSignerSeam })))).toBe('TdxModuleMismatch');
    expect(reason(() => checkTdxModule(info, module(6, 0, { mrSignerSeam })))).toBe('TdxModuleMismatch');
    // Version 0 has no levels of its own: only the signer and attributes of `tdxModule` apply.
    expect(checkTdxModule(info, module(6, 0))).toBeNull();
  });

  test('a module with other SEAM attributes: TdxModuleMismatch', () => {
    const seamAttributes = report.seamAttributes.slice();
    seamAttributes[7] = 0x80;
    expect(reason(() => checkTdxModule(info, module(6, 1, { seamAttributes })))).toBe('TdxModuleMismatch');
  });

  test('TDX TCB info that does not describe the module does not parse; SGX TCB info cannot judge one', () => {
    const { tdxModule: _dropped, ...rest } = JSON.parse(TDX.collateral.tcbInfo) as Record<string, unknown>;
    expect(() => parseTcbInfo(JSON.stringify(rest))).toThrow(RangeError); // MalformedCollateral inside verifyQuote
    expect(reason(() => checkTdxModule(parseTcbInfo(SGX.collateral.tcbInfo), report))).toBe('CollateralMismatch');
  });

  test('the outdated platform\'s v5 quote runs TDX_01 at SVN 7: its module is up to date, its platform is not', () => {
    const outdated = tdBody(TDX_OUTDATED.quote).report;
    expect(checkTdxModule(parseTcbInfo(TDX_OUTDATED.collateral.tcbInfo), outdated)).toEqual({ status: 'UpToDate', advisoryIds: [] });
    expect(reason(() => verifyQuote(TDX_OUTDATED.quote, TDX_OUTDATED.collateral, TDX_OUTDATED.inside))).toBe('TcbLevelNotFound');
  });
});

describe('the quoting enclave, as Intel\'s QE identity describes it', () => {
  test.each([SGX, TDX])('$name: the real QE report matches its identity (QE for SGX, TD_QE for TDX)', (f) => {
    const identity = parseQeIdentity(f.collateral.qeIdentity);
    expect(identity.id).toBe(f === SGX ? 'QE' : 'TD_QE');
    expect(() => checkQeIdentity(readQuote(f.quote).qeReport, identity)).not.toThrow();
  });

  test('TDX: another MRSIGNER, product id, or a masked attribute bit: QeIdentityMismatch; an unmasked bit is ignored', () => {
    const identity = parseQeIdentity(TDX.collateral.qeIdentity);
    const qe = readQuote(TDX.quote).qeReport;
    const mrSigner = qe.mrSigner.slice();
    mrSigner[0] ^= 1;
    expect(reason(() => checkQeIdentity({ ...qe, mrSigner }, identity))).toBe('QeIdentityMismatch');
    expect(reason(() => checkQeIdentity({ ...qe, isvProdId: qe.isvProdId + 1 }, identity))).toBe('QeIdentityMismatch');
    const maskedByte = identity.attributesMask.findIndex((m) => m !== 0);
    const unmaskedByte = identity.attributesMask.findIndex((m) => m === 0);
    const flip = (i: number) => {
      const attributes = qe.attributes.slice();
      attributes[i] ^= identity.attributesMask[i] || 0xff;
      return { ...qe, attributes };
    };
    expect(reason(() => checkQeIdentity(flip(maskedByte), identity))).toBe('QeIdentityMismatch');
    expect(() => checkQeIdentity(flip(unmaskedByte), identity)).not.toThrow();
  });
});
