/**
 * The page API of Dark Wallet: the single source of types for dApp developers, published as the
 * package `@dark-wallet/page-api` (this folder: `import type { DarkWalletInjected } from
 * '@dark-wallet/page-api'`). Self-contained on purpose — it imports nothing from this repository, only
 * `@polkadot/extension-inject`, which a dApp has anyway; test/unit/extension/page-api.test.ts holds
 * its copies of the ledger's and the wallet's code lists equal to the originals.
 *
 *   const ext = await window.injectedWeb3['dark-wallet'].enable('My dApp') as DarkWalletInjected;
 *   await ext.signer.signRaw({ address, data: '0x…', type: 'bytes' });   // standard polkadot-js API
 *   await ext.darkWallet.balances();                                     // secret assets
 *
 * Everything that `@polkadot/extension-dapp` expects is the standard `Injected` shape; `darkWallet`
 * is the extra secret-asset API. Amounts cross the page boundary as decimal strings of the asset's
 * smallest unit (JSON has no bigint); inputs may be given as bigint.
 */
import type { Injected, InjectedWindowProvider } from '@polkadot/extension-inject/types';

/** What a secret history entry records (the ledger's `HistoryKind`). */
export type HistoryKind = 'Deposit' | 'Transfer' | 'Withdraw' | 'Issue' | 'Mint' | 'Burn' | 'Invalid' | 'RevokePermit' | 'RelayFee';
export type Direction = 'In' | 'Out' | 'Self';
/** Why the confidential contract refused a command (the ledger's `LedgerErrorCode`). */
export type LedgerErrorCode =
  | 'InsufficientBalance' | 'UnknownAsset' | 'Overflow' | 'NotIssuer' | 'InvalidCommand' | 'NotNativeAsset' | 'ZeroAmount'
  | 'SymbolTaken' | 'BelowMinimum' | 'InvalidSymbol' | 'BadNonce' | 'FeeUnpaid';

/** A non-negative integer amount in the asset's smallest unit. */
export type AmountInput = bigint | string;

/**
 * Which authorized account acts. When omitted: for an operation, the user picks one of the accounts
 * shared with the site in the approval window; for `balances` and `history`, the first of them.
 */
export interface AccountOption {
  address?: string;
}

export interface SecretBalance {
  asset: number;
  symbol: string;
  name: string;
  decimals: number;
  /** Decimal string, smallest unit. */
  amount: string;
}

export interface SecretHistoryEntry {
  block: number;
  index: number;
  kind: HistoryKind;
  direction: Direction;
  asset: number;
  counterparty: string | null;
  amount: string;
  status: 'applied' | 'failed';
  /** Present when `status` is `failed`. */
  error?: LedgerErrorCode;
  /** Withdrawal receipt sequence number, for `Withdraw` entries that produced one. */
  receiptSeq?: string;
  /** blake2-256 of the pushed payload (or of the deposit event). */
  ref: string;
}

export interface HistoryOptions extends AccountOption {
  from?: number;
  limit?: number;
}

export interface SecretTransfer extends AccountOption {
  asset: number;
  to: string;
  amount: AmountInput;
}

export interface ConvertToPublic extends AccountOption {
  to: string;
  amount: AmountInput;
}

export interface IssueToken extends AccountOption {
  symbol: string;
  name: string;
  decimals: number;
  supply: AmountInput;
}

/**
 * What a secret operation resolves with: the confidential contract's verdict, not mere inclusion.
 * The promise settles once the worker has applied the command in its ledger — `applied`, or `failed`
 * with the ledger's reason (a failed command moved nothing; only its fee was paid). It rejects when
 * the user refuses, when the wallet refuses before signing (e.g. more than the balance), or when the
 * chain refuses the extrinsic.
 */
export interface SecretOperationResult {
  status: 'applied' | 'failed';
  /** Present when `status` is `failed`: the ledger's code, as in `SecretHistoryEntry.error`. */
  error?: LedgerErrorCode;
  /** Present when `status` is `failed`: the reason as a sentence people can read. */
  reason?: string;
  /** The block that carried the operation. */
  block: number;
  txHash: string;
  blockHash: string;
  /** blake2-256 of the command envelope; the matching history entry carries it as `ref`. */
  ref: string;
}

export interface DarkWalletApi {
  balances(options?: AccountOption): Promise<SecretBalance[]>;
  history(options?: HistoryOptions): Promise<SecretHistoryEntry[]>;
  transfer(request: SecretTransfer): Promise<SecretOperationResult>;
  convertToSecret(amount: AmountInput, options?: AccountOption): Promise<SecretOperationResult>;
  convertToPublic(request: ConvertToPublic): Promise<SecretOperationResult>;
  issue(request: IssueToken): Promise<SecretOperationResult>;
}

/** What `enable(originName)` resolves to. */
export interface DarkWalletInjected extends Injected {
  darkWallet: DarkWalletApi;
}

export interface DarkWalletProvider extends InjectedWindowProvider {
  enable: (originName: string) => Promise<DarkWalletInjected>;
  version: string;
}

/**
 * Errors the wallet rejects with are `Error`s carrying a `code`, e.g. `Rejected`, `Locked`,
 * `NotAuthorized`, `InvalidInput` (also: more than the balance, found before anything is signed);
 * for secret assets also `UntrustedWorker`, `WorkerUnavailable`, `RelayUnavailable` (the wallet's
 * relayer did not take the operation; nothing was sent) and `TransactionFailed`. Their
 * `message` is a sentence saying what to do.
 */
export type WalletErrorCode =
  | 'Locked' | 'WrongPassword' | 'NotAuthorized' | 'Blocked' | 'Rejected' | 'Cancelled' | 'UnknownAccount' | 'UnknownRequest'
  | 'InvalidInput' | 'TooManyRequests' | 'NotAvailable' | 'ChainUnavailable' | 'TransactionFailed' | 'WorkerUnavailable'
  | 'UntrustedWorker' | 'ContractKeyChanged' | 'MeasurementRevoked' | 'RelayUnavailable' | 'Internal';

/** A rejection from the wallet. */
export interface DarkWalletError extends Error {
  code: WalletErrorCode;
}
