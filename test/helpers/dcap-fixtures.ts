/**
 * The real Intel DCAP samples in test/fixtures/attestation (see its README): quotes, their
 * collateral, and times inside and outside the window in which the collateral is valid.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collateralFromJson, type DcapCollateral } from '../../shared/dcap';
import { ROOT } from './root';

export const FIXTURES = join(ROOT, 'test', 'fixtures', 'attestation');

export interface DcapFixture {
  name: string;
  quote: Uint8Array;
  collateral: DcapCollateral;
  /** The collateral's JSON as a PCCS client stores it. */
  collateralJson: Record<string, string>;
  /** Window in which every part of the collateral is valid (ms). */
  validFrom: number;
  validUntil: number;
  /** A time inside the window. */
  inside: number;
}

function load(name: string, from: string, until: string): DcapFixture {
  const collateralJson = JSON.parse(readFileSync(join(FIXTURES, `${name}_collateral.json`), 'utf8')) as Record<string, string>;
  const validFrom = Date.parse(from);
  const validUntil = Date.parse(until);
  return {
    name, quote: new Uint8Array(readFileSync(join(FIXTURES, name))), collateral: collateralFromJson(collateralJson), collateralJson,
    validFrom, validUntil, inside: validFrom + (validUntil - validFrom) / 2,
  };
}

/**
 * Windows: the overlap of TCB info, QE identity and PCK CRL validity, to the minute. The README's
 * TDX windows end later because they leave out the PCK CRLs' nextUpdate (2025-07-19T10:00:35Z and
 * 2026-03-20T10:41:15Z), which `@phala/dcap-qvl` does not check and this verifier does.
 */
export const SGX = load('sgx_quote', '2025-06-19T10:57:00Z', '2025-07-19T10:00:00Z');
export const TDX = load('tdx_quote', '2025-06-19T10:33:00Z', '2025-07-19T10:00:00Z');
export const TDX_OUTDATED = load('tdx_quote_outdated', '2026-02-18T10:59:00Z', '2026-03-20T10:41:00Z');

/** A TDX quote from a dstack guest agent (no collateral): hex text. */
export const DSTACK_QUOTE = new Uint8Array(Buffer.from(readFileSync(join(FIXTURES, 'quote-from-tappd.hex'), 'utf8').trim(), 'hex'));
