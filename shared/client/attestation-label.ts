/** What a user is shown about a contract's verified attestation, in one line. */
import type { TcbStatus, VerifiedQuote } from '../dcap';
import { PROVIDER_LABEL, type HardwareProvider } from '../protocol/attestation';
import type { Hash } from '../types';

const STATUS_TEXT: Record<TcbStatus, string> = {
  UpToDate: 'up to date',
  SWHardeningNeeded: 'software hardening needed',
  ConfigurationNeeded: 'configuration needed',
  ConfigurationAndSWHardeningNeeded: 'configuration and software hardening needed',
  OutOfDate: 'out of date',
  OutOfDateConfigurationNeeded: 'out of date, configuration needed',
  Revoked: 'revoked',
};

/** e.g. "Intel TDX · up to date · measurement 0xab12… allowed by governance". */
export function hardwareTrustLabel(provider: HardwareProvider, verified: Pick<VerifiedQuote, 'status' | 'advisoryIds'>, measurement: Hash): string {
  const advisories = verified.advisoryIds.length ? ` (${verified.advisoryIds.join(', ')})` : '';
  return `${PROVIDER_LABEL[provider]} · ${STATUS_TEXT[verified.status]}${advisories} · measurement ${measurement.slice(0, 6)}… allowed by governance`;
}
