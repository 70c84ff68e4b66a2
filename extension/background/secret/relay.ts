/**
 * The relayer of the network in use, as approvals and forms show it: where secret operations go and
 * the fee they pay it in secret PHA (its `GET /relay/quote`). A convert-to-secret is a public deposit
 * by nature and is always signed by the account itself, so it has no relayer.
 */
import { displayUnits } from '../../../shared/units';
import type { Amount } from '../../../shared/types';
import type { NetworkSettings, RelayFeeView, SecretOp } from '../../messages/types';
import type { SecretGateway } from './gateway';

export function relayFeeView(endpoint: string, fee: Amount, token: { symbol: string; decimals: number }): RelayFeeView {
  return { endpoint, fee: fee.toString(), feeText: `${displayUnits(fee, token.decimals, token.decimals)} ${token.symbol}` };
}

export const isRelayable = (op: SecretOp): boolean => op !== 'convertToSecret';

/** The relayer `op` goes through on `network`, with its fee; null when it is sent from the account. Throws `RelayUnavailable` when the relayer does not answer. */
export async function relayFor(gateway: SecretGateway, network: NetworkSettings, op: SecretOp): Promise<RelayFeeView | null> {
  const endpoint = network.relayEndpoint;
  if (endpoint === null || !isRelayable(op)) return null;
  const fee = await gateway.run((client) => client.relayFee());
  return fee === null ? null : relayFeeView(endpoint, fee, await gateway.token());
}
