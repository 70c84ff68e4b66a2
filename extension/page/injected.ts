/** The objects `enable()` hands to a dApp: the standard polkadot-js `Injected` plus `darkWallet`. */
import type { InjectedAccount, InjectedAccounts, InjectedMetadata, InjectedMetadataKnown, MetadataDef, Unsubcall } from '@polkadot/extension-inject/types';
import type { Signer, SignerResult } from '@polkadot/api/types';
import type { SignerPayloadJSON, SignerPayloadRaw } from '@polkadot/types/types';
import { WalletError } from '../messages/errors';
import { forget, sendMessage, subscribe } from './messaging';
import type {
  AccountOption, AmountInput, ConvertToPublic, DarkWalletApi, DarkWalletInjected, HistoryOptions, IssueToken,
  SecretBalance, SecretHistoryEntry, SecretOperationResult, SecretTransfer,
} from './types';

class Accounts implements InjectedAccounts {
  get(anyType?: boolean): Promise<InjectedAccount[]> {
    return sendMessage('pub(accounts.list)', { anyType });
  }

  subscribe(cb: (accounts: InjectedAccount[]) => void | Promise<void>): Unsubcall {
    const { id, ready } = subscribe('pub(accounts.subscribe)', null, (accounts) => void cb(accounts));
    ready.catch((e: Error) => console.error(`Dark Wallet: ${e.message}`));
    return () => {
      forget(id);
      sendMessage('pub(accounts.unsubscribe)', { id }).catch(() => undefined);
    };
  }
}

/** polkadot-js numbers signer results per page; the background's request id is a string. */
let nextSignerId = 0;

class PageSigner implements Signer {
  async signPayload(payload: SignerPayloadJSON): Promise<SignerResult> {
    const { signature, signedTransaction } = await sendMessage('pub(extrinsic.sign)', payload);
    return { id: ++nextSignerId, signature: signature as `0x${string}`, ...(signedTransaction ? { signedTransaction: signedTransaction as `0x${string}` } : {}) };
  }

  async signRaw(raw: SignerPayloadRaw): Promise<SignerResult> {
    const { signature } = await sendMessage('pub(bytes.sign)', raw);
    return { id: ++nextSignerId, signature: signature as `0x${string}` };
  }
}

class Metadata implements InjectedMetadata {
  get(): Promise<InjectedMetadataKnown[]> {
    return sendMessage('pub(metadata.list)', null);
  }

  provide(definition: MetadataDef): Promise<boolean> {
    return sendMessage('pub(metadata.provide)', definition);
  }
}

/** Amounts travel as decimal strings: JSON has no bigint, and floats would lose units. */
function wireAmount(value: AmountInput, field: string): string {
  if (typeof value === 'bigint' && value >= 0n) return value.toString();
  if (typeof value === 'string' && /^\d{1,40}$/.test(value)) return value;
  throw new WalletError('InvalidInput', `Pass "${field}" as a non-negative bigint or a string of digits in the smallest unit.`);
}

class DarkWallet implements DarkWalletApi {
  balances(options: AccountOption = {}): Promise<SecretBalance[]> {
    return sendMessage('pub(dark.balances)', { address: options.address });
  }

  history({ address, from, limit }: HistoryOptions = {}): Promise<SecretHistoryEntry[]> {
    return sendMessage('pub(dark.history)', { address, from, limit });
  }

  async transfer({ address, asset, to, amount }: SecretTransfer): Promise<SecretOperationResult> {
    return sendMessage('pub(dark.transfer)', { address, asset, to, amount: wireAmount(amount, 'amount') });
  }

  async convertToSecret(amount: AmountInput, options: AccountOption = {}): Promise<SecretOperationResult> {
    return sendMessage('pub(dark.convertToSecret)', { address: options.address, amount: wireAmount(amount, 'amount') });
  }

  async convertToPublic({ address, to, amount }: ConvertToPublic): Promise<SecretOperationResult> {
    return sendMessage('pub(dark.convertToPublic)', { address, to, amount: wireAmount(amount, 'amount') });
  }

  async issue({ address, symbol, name, decimals, supply }: IssueToken): Promise<SecretOperationResult> {
    return sendMessage('pub(dark.issue)', { address, symbol, name, decimals, supply: wireAmount(supply, 'supply') });
  }
}

export function createInjected(): DarkWalletInjected {
  return { accounts: new Accounts(), metadata: new Metadata(), signer: new PageSigner(), darkWallet: new DarkWallet() };
}
