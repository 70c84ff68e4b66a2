/**
 * Runtime shape checks for values that cross into the ledger. TypeScript brands say what a value should
 * be; these make sure it is, because anything stored must later encode, and encode identically on
 * every worker.
 */
import type { AccountId, Amount, Hash } from '../../shared/types';
import { U128_MAX, U32_MAX } from '../../shared/types';
import type { SecretCommand } from '../../shared/protocol/command';
import type { PermitId } from '../../shared/protocol/permit';
import { MAX_DECIMALS, MAX_NAME_BYTES, MAX_SYMBOL_BYTES } from '../../shared/protocol/rules';
import { ScaleReader, ScaleWriter } from '../../shared/protocol/scale';

const HEX32 = /^0x[0-9a-f]{64}$/;
const HEX16 = /^0x[0-9a-f]{32}$/;

export const isAccountId = (v: unknown): v is AccountId => typeof v === 'string' && HEX32.test(v);
export const isHash = (v: unknown): v is Hash => typeof v === 'string' && HEX32.test(v);
export const isPermitId = (v: unknown): v is PermitId => typeof v === 'string' && HEX16.test(v);
export const isU32 = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= U32_MAX;
export const isAmount = (v: unknown): v is Amount => typeof v === 'bigint' && v >= 0n && v <= U128_MAX;

/**
 * A string is storable when it survives the shared SCALE string codec unchanged within `max` bytes:
 * whatever the ledger keeps must decode back to itself after sealing, or the state root would move.
 */
function storableString(s: unknown, max: number): boolean {
  if (typeof s !== 'string' || s.length === 0) return false;
  try {
    const bytes = new ScaleWriter().str(s, max).finish();
    return new ScaleReader(bytes).str(max) === s;
  } catch {
    return false;
  }
}

/**
 * Metadata the ledger can store. Deliberately wider than the symbol rule of Issue (isIssuableSymbol):
 * the native asset's symbol is the chain's own, and sealed states hold assets issued before that rule.
 */
export const validMetadata = (symbol: unknown, name: unknown, decimals: unknown): boolean =>
  storableString(symbol, MAX_SYMBOL_BYTES) &&
  storableString(name, MAX_NAME_BYTES) &&
  typeof decimals === 'number' && Number.isInteger(decimals) && decimals >= 0 && decimals <= MAX_DECIMALS;

/** Commands normally come from `decodeCommand` and always pass; anything else is treated as undecodable. */
export function wellFormed(c: SecretCommand): boolean {
  switch (c.kind) {
    case 'Transfer':
      return isU32(c.asset) && isAccountId(c.dest) && isAmount(c.amount);
    case 'Withdraw':
      return isAccountId(c.dest) && isAmount(c.amount);
    case 'Issue':
      return validMetadata(c.symbol, c.name, c.decimals) && isAmount(c.supply);
    case 'Mint':
    case 'Burn':
      return isU32(c.asset) && isAmount(c.amount);
    case 'RevokePermit':
      return isPermitId(c.permit);
    default:
      return false;
  }
}
