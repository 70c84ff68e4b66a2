/**
 * Building an operation before anything is signed: the popup's typed input as a validated intent, and
 * the facts of an intent (asset, symbol, decimals) resolved against the worker's asset list — so an
 * unknown asset, a taken symbol or a transfer to oneself is refused before a fee is paid.
 */
import type { KeyringPair } from '@polkadot/keyring/types';
import type { Operation } from '../../../shared/client/dark-client';
import { symbolKey } from '../../../shared/protocol/rules';
import { accountId, amount as toAmount, assetId } from '../../../shared/types';
import type { SecretIntent, SecretOperationView } from '../../messages/types';
import { invalid } from '../validate';
import type { SecretGateway } from './gateway';
import { tokenName, tokenSymbol, typedAmount, typedDecimals, typedRecipient } from './intent';

/** What an operation moves, resolved before anything is sent. */
export type Facts = Pick<SecretOperationView, 'asset' | 'symbol' | 'decimals' | 'amount' | 'to' | 'name'>;

/** An operation from the popup, amounts as typed ("1.5"). */
export type PopupIntentInput =
  | { op: 'convertToSecret'; amount: string }
  | { op: 'convertToPublic'; to: string; amount: string }
  | { op: 'transfer'; asset: number; to: string; amount: string }
  | { op: 'issue'; symbol: string; name: string; decimals: number; supply: string };

export function notToSelf(address: string, intent: SecretIntent): void {
  if (intent.op === 'transfer' && intent.to === address) {
    throw invalid('The recipient is the sending account. Choose another recipient.');
  }
}

/** The popup's input as an intent: amounts scaled by the asset's decimals, an empty recipient is the sender. */
export async function popupIntent(gateway: SecretGateway, address: string, input: PopupIntentInput): Promise<SecretIntent> {
  switch (input.op) {
    case 'convertToSecret':
    case 'convertToPublic': {
      const { symbol, decimals } = await gateway.token();
      const amount = typedAmount(input.amount, decimals, symbol);
      if (input.op === 'convertToSecret') return { op: input.op, amount };
      return { op: input.op, to: input.to.trim() ? typedRecipient(input.to) : address, amount };
    }
    case 'transfer': {
      const asset = (await gateway.assets()).find((a) => a.id === input.asset);
      if (!asset) throw invalid('Choose one of the secret assets in the list.');
      return { op: 'transfer', asset: asset.id, to: typedRecipient(input.to), amount: typedAmount(input.amount, asset.decimals, asset.symbol) };
    }
    case 'issue': {
      const decimals = typedDecimals(input.decimals);
      const symbol = tokenSymbol(input.symbol);
      return { op: 'issue', symbol, name: tokenName(input.name), decimals, supply: typedAmount(input.supply, decimals, symbol, 'a supply') };
    }
  }
}

/** Symbol, decimals and asset of an intent; refuses unknown assets and taken symbols before any fee. */
export async function operationFacts(gateway: SecretGateway, intent: SecretIntent): Promise<Facts> {
  switch (intent.op) {
    case 'convertToSecret':
    case 'convertToPublic': {
      const { symbol, decimals } = await gateway.token();
      return { asset: 0, symbol, decimals, amount: intent.amount, to: intent.op === 'convertToPublic' ? intent.to : null, name: null };
    }
    case 'transfer': {
      const asset = (await gateway.assets()).find((a) => a.id === intent.asset);
      if (!asset) throw invalid(`There is no secret asset #${intent.asset}. Choose an existing asset.`);
      return { asset: asset.id, symbol: asset.symbol, decimals: asset.decimals, amount: intent.amount, to: intent.to, name: null };
    }
    case 'issue': {
      const key = symbolKey(intent.symbol);
      if ((await gateway.assets()).some((a) => symbolKey(a.symbol) === key)) {
        throw invalid(`Another secret token already uses the symbol ${intent.symbol}. Choose another symbol.`);
      }
      return { asset: null, symbol: intent.symbol, decimals: intent.decimals, amount: intent.supply, to: null, name: intent.name };
    }
  }
}

/** An intent as the SDK's balance checks see it. */
function operationOf(intent: SecretIntent): Operation {
  switch (intent.op) {
    case 'convertToSecret':
      return { kind: 'Deposit', amount: toAmount(intent.amount) };
    case 'convertToPublic':
      return { kind: 'Withdraw', dest: accountId(intent.to), amount: toAmount(intent.amount) };
    case 'transfer':
      return { kind: 'Transfer', asset: assetId(intent.asset), dest: accountId(intent.to), amount: toAmount(intent.amount) };
    case 'issue':
      return { kind: 'Issue', symbol: intent.symbol, name: intent.name, decimals: intent.decimals, supply: toAmount(intent.supply) };
  }
}

/**
 * Refuses (InvalidInput, a sentence) what the balances show must fail — more than the secret balance,
 * a public balance that cannot pay the amount and the real fee, a withdrawal the chain could never
 * pay — before it is recorded, signed or paid for.
 */
export function ensureAffordable(gateway: SecretGateway, pair: KeyringPair, intent: SecretIntent): Promise<void> {
  return gateway.run((client) => client.ensureAffordable(pair, operationOf(intent)));
}
