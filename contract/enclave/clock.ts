/** The host's clock readings (ms since the epoch) as the enclave accepts them. */
import { ProtocolError } from '../../shared/errors';

export function hostMillis(now: number): number {
  if (typeof now !== 'number' || !Number.isFinite(now) || now < 0) throw new ProtocolError('OutOfRange', 'The host clock reading is not a time.');
  return Math.floor(now);
}
