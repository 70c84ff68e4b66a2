/**
 * The one mapping from typed failures to sentences people read, for every front end (the CLI, the
 * extension, scripts): ledger failure codes, chain dispatch errors and transaction-pool refusals. No
 * sentence quotes an amount, an address or raw chain JSON; each says what happened and what to do.
 */
import type { ApiPromise } from '@polkadot/api';
import type { DispatchError } from '@polkadot/types/interfaces';
import type { LedgerErrorCode } from '../protocol/ledger';
import { SYMBOL_RULE_TEXT } from '../protocol/rules';

const LEDGER_REASON: Record<LedgerErrorCode, string> = {
  InsufficientBalance: 'Not enough secret balance.',
  UnknownAsset: 'This secret asset does not exist.',
  Overflow: 'The amount is too large for this asset.',
  NotIssuer: 'Only the issuer of this token may do that.',
  InvalidCommand: 'The confidential contract could not read this operation, so it did nothing.',
  NotNativeAsset: 'Only the secret native token can be converted to public.',
  ZeroAmount: 'The amount must be greater than zero.',
  SymbolTaken: 'Another secret token already uses this symbol. Choose another symbol.',
  BelowMinimum: 'The amount is below the smallest public transfer the chain allows, so nothing was converted. Convert a larger amount.',
  InvalidSymbol: `A token symbol is ${SYMBOL_RULE_TEXT}. Choose another symbol.`,
  BadNonce: 'The relayer delivered this operation out of order or twice, so it did nothing and cost no fee. Send it again.',
  FeeUnpaid: "The secret balance could not pay the relayer's fee, so the operation did nothing.",
};

/** The sentence for a ledger failure code (unknown codes from a newer worker still read well). */
export function ledgerReason(code: string): string {
  return (LEDGER_REASON as Record<string, string>)[code] ?? 'The confidential contract refused this operation.';
}

/** Dispatch errors people can act on, by `Variant.Name` (`Token.FundsUnavailable`) or `section.name`. */
const CHAIN_REASON: Record<string, string> = {
  'Token.FundsUnavailable': 'The public balance is too low for this amount. Send or convert less.',
  'Token.NotExpendable': 'The account must keep its existential deposit, and this would take it below. Send or convert less.',
  'Token.BelowMinimum': 'The recipient would hold less than the existential deposit. Send more.',
  'balances.InsufficientBalance': 'The public balance is too low for this amount. Send or convert less.',
  'balances.Expendability': 'The account must keep its existential deposit, and this would take it below. Send or convert less.',
  'balances.ExistentialDeposit': 'The recipient would hold less than the existential deposit. Send more.',
};

/** `Token.FundsUnavailable`, `balances.InsufficientBalance`, `BadOrigin`: a stable name for a dispatch error. */
export function dispatchErrorName(api: ApiPromise, e: DispatchError): string {
  if (e.isModule) {
    const { section, name } = api.registry.findMetaError(e.asModule);
    return `${section}.${name}`;
  }
  const inner = (e.value as { type?: unknown } | undefined)?.type;
  return typeof inner === 'string' ? `${e.type}.${inner}` : e.type;
}

/** The sentence for a transaction the chain included but failed. */
export function chainRefusal(name: string): string {
  return CHAIN_REASON[name] ?? `The chain refused the transaction (${name}), so nothing moved.`;
}

/** The sentence for a transaction the node would not accept into its pool (`1010: Invalid Transaction: …`). */
export function poolRefusal(message: string): string {
  if (/Inability to pay some fees/i.test(message)) return 'The public balance cannot pay the network fee, so nothing was sent. Add funds to the account first.';
  if (/bad signature/i.test(message)) return 'The chain refused the signature, so nothing was sent.';
  if (/(Stale|Future)/.test(message)) return 'The chain refused the transaction because another one from this account went first. Try again.';
  return 'The chain refused the transaction as invalid, so nothing was sent.';
}
