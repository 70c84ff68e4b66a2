/** What a connected chain says about itself, as the wallet records a network: never assumed. */
import type { ApiPromise } from '@polkadot/api';
import { chainProperties } from '../../../shared/client/chain-properties';
import { ClientError } from '../../../shared/client/errors';
import { WalletError } from '../../messages/errors';
import type { ChainInfo } from '../../messages/types';

/** Names and symbols are shown in the popup; longer ones are cut, not refused. */
export const MAX_CHAIN_NAME = 64;
export const MAX_TOKEN_SYMBOL = 32;
/** What amounts (u128 with decimals) and SS58 addresses can carry. */
const MAX_DECIMALS = 38;
const MAX_SS58_FORMAT = 16383;

/** Throws `InvalidInput` when the chain does not declare its address format or token. */
export function readChainInfo(api: ApiPromise, endpoint: string): ChainInfo {
  let properties;
  try {
    properties = chainProperties(api);
  } catch (e) {
    if (e instanceof ClientError) throw new WalletError('InvalidInput', `Dark Wallet cannot use the chain at ${endpoint}: ${e.message}`);
    throw e;
  }
  const { ss58Format, tokenDecimals } = properties;
  if (tokenDecimals > MAX_DECIMALS || ss58Format > MAX_SS58_FORMAT) {
    throw new WalletError('InvalidInput', `Dark Wallet cannot use the chain at ${endpoint}: it declares ${tokenDecimals} decimals and address format ${ss58Format}, beyond what addresses and amounts can carry.`);
  }
  const genesisHash = api.genesisHash.toHex();
  const name = api.runtimeChain.toString().trim().slice(0, MAX_CHAIN_NAME) || `Chain ${genesisHash.slice(0, 10)}`;
  return { genesisHash, name, tokenSymbol: properties.tokenSymbol.slice(0, MAX_TOKEN_SYMBOL), tokenDecimals, ss58Format };
}
