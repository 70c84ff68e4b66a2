/** The one line a user is shown about a verified hardware attestation, from the real fixtures' results. */
import { hardwareTrustLabel } from '../../../shared/client/attestation-label';
import { verifyQuote } from '../../../shared/dcap';
import { hash32 } from '../../../shared/types';
import { SGX, TDX } from '../../helpers/dcap-fixtures';

test('TDX up to date: kind, status and the governed measurement, shortened', () => {
  const v = verifyQuote(TDX.quote, TDX.collateral, TDX.inside);
  const m = hash32(v.measurement);
  expect(hardwareTrustLabel('TdxDcap', v, m)).toBe(`Intel TDX · up to date · measurement ${m.slice(0, 6)}… allowed by governance`);
});

test('SGX needing configuration: the status in words and the advisories Intel names', () => {
  const v = verifyQuote(SGX.quote, SGX.collateral, SGX.inside);
  expect(hardwareTrustLabel('SgxDcap', v, hash32(v.measurement)))
    .toMatch(/^Intel SGX · configuration and software hardening needed \(INTEL-SA-00289, INTEL-SA-00615\) · measurement 0x[0-9a-f]{4}… allowed by governance$/);
});
