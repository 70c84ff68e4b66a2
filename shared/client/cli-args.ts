/** The CLI's arguments as typed values: an asset by symbol or id, an account address. Pure. */
import { DarkWalletError } from '../errors';
import { symbolKey } from '../protocol/rules';
import { accountId, type AccountId, type AssetId } from '../types';
import { ClientError } from './errors';

export interface CliAsset {
  id: AssetId;
  symbol: string;
  decimals: number;
}

/**
 * `--asset GOLD` or `--asset 1` among `known` (the native token first). A symbol matches ignoring
 * case, as the ledger keeps symbols unique; an id must exist, so a typo never moves another token.
 */
export function resolveAsset(text: string, known: readonly CliAsset[]): CliAsset {
  const wanted = text.trim();
  const found = /^\d+$/.test(wanted)
    ? known.find((a) => a.id === Number(wanted))
    : known.find((a) => symbolKey(a.symbol) === symbolKey(wanted));
  if (!found) {
    throw new ClientError('UnknownAsset', `There is no secret asset ${/^\d+$/.test(wanted) ? `with id ${wanted}` : `with the symbol ${wanted}`}. \`npm run dark -- assets\` lists them.`);
  }
  return found;
}

/** An SS58 address or 0x public key given as `--flag`. */
export function cliAccount(text: string, flag: string): AccountId {
  try {
    return accountId(text.trim());
  } catch {
    throw new DarkWalletError('Usage', `--${flag} is not a valid address: give an SS58 address or a 0x-prefixed 32-byte public key.`);
  }
}
