/**
 * The chain's address format and native token, as the chain itself declares them (`system_properties`,
 * which @polkadot/api reads on connect). The one place every layer — worker, SDK, CLI, extension,
 * demo — gets them from: nothing assumes a symbol or a number of decimals, so a chain with other
 * properties is shown as it is, and a chain that declares none is a clear error, not a silent guess.
 */
import type { ApiPromise } from '@polkadot/api';
import { ClientError } from './errors';

export interface ChainProperties {
  ss58Format: number;
  /** The native token, e.g. PHA. */
  tokenSymbol: string;
  /** Its decimals: 1 token = 10^tokenDecimals base units. */
  tokenDecimals: number;
}

function missing(what: string): ClientError {
  return new ClientError('MissingChainProperty', `The chain does not declare its ${what} (system_properties); it cannot be shown or converted safely.`);
}

export function chainProperties(api: Pick<ApiPromise, 'registry'>): ChainProperties {
  const props = api.registry.getChainProperties();
  if (!props) throw missing('properties');
  const { ss58Format, tokenSymbol, tokenDecimals } = props;
  if (ss58Format.isNone) throw missing('address format (ss58Format)');
  if (tokenSymbol.isNone || tokenSymbol.unwrap().length === 0) throw missing('token symbol');
  if (tokenDecimals.isNone || tokenDecimals.unwrap().length === 0) throw missing('token decimals');
  return {
    ss58Format: ss58Format.unwrap().toNumber(),
    tokenSymbol: tokenSymbol.unwrap()[0].toString(),
    tokenDecimals: tokenDecimals.unwrap()[0].toNumber(),
  };
}
