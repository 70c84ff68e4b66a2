/**
 * The one typed message registry: `type → [request, response, subscription?]`. Both ends are typed
 * from it (`sendMessage` overloads in the page and the popup, handler maps in the background).
 *
 * `pub(*)` come from web pages (through the content script) and are untrusted; `pri(*)` come from our
 * own popup. The background routes by port name and sender URL and refuses any other combination.
 */
import type { InjectedAccount, InjectedMetadataKnown, MetadataDef } from '@polkadot/extension-inject/types';
import type { SignerPayloadJSON, SignerPayloadRaw } from '@polkadot/types/types';
import type {
  AccountOption, HistoryOptions, SecretBalance, SecretHistoryEntry, SecretOperationResult,
} from '../page/types';
import type {
  AccountView, AddressBookView, BalancesView, BatchImportResult, KeypairKind, RequestView, SecretActivityView, SecretAssetView, SecretBalanceView,
  PermitGrantInput, PermitListView, PermitView, SecretOperationView, SecretStatusView, Settings, SettingsInput, SiteView, NetworkView, NetworksView,
  TransferResult, WalletState,
} from './types';

/** What a signature request resolves to on the wire; the page adds its own numeric id. */
export interface SignatureResponse {
  id: string;
  signature: string;
  /**
   * The whole signed transaction, when the wallet signed another payload than the site sent (mode 1
   * and the metadata hash, only if the site asked `withSignedTransaction`): the site submits this.
   */
  signedTransaction?: string;
}

/** A wire amount: a decimal string of the smallest unit. */
type WireAmount = { amount: string };

export interface RequestSignatures {
  // ── from web pages ───────────────────────────────────────────────────────────────
  /** Resolves once the user approved the origin (at once when it already was). `origin` is the dApp's label. */
  'pub(authorize.tab)': [{ origin: string }, boolean];
  'pub(accounts.list)': [{ anyType?: boolean }, InjectedAccount[]];
  /** Resolves to the subscription id to unsubscribe with; pushes the account list on every change. */
  'pub(accounts.subscribe)': [null, string, InjectedAccount[]];
  'pub(accounts.unsubscribe)': [{ id: string }, boolean];
  'pub(bytes.sign)': [SignerPayloadRaw, SignatureResponse];
  'pub(extrinsic.sign)': [SignerPayloadJSON, SignatureResponse];
  'pub(metadata.list)': [null, InjectedMetadataKnown[]];
  'pub(metadata.provide)': [MetadataDef, boolean];
  'pub(dark.balances)': [AccountOption, SecretBalance[]];
  'pub(dark.history)': [HistoryOptions, SecretHistoryEntry[]];
  'pub(dark.transfer)': [AccountOption & WireAmount & { asset: number; to: string }, SecretOperationResult];
  'pub(dark.convertToSecret)': [AccountOption & WireAmount, SecretOperationResult];
  'pub(dark.convertToPublic)': [AccountOption & WireAmount & { to: string }, SecretOperationResult];
  'pub(dark.issue)': [
    AccountOption & { symbol: string; name: string; decimals: number; supply: string },
    SecretOperationResult,
  ];

  // ── from the popup ───────────────────────────────────────────────────────────────
  'pri(wallet.subscribe)': [null, WalletState, WalletState];
  'pri(wallet.unlock)': [{ password: string }, boolean];
  'pri(wallet.lock)': [null, boolean];
  /** A fresh 12-word mnemonic. The background does not keep it: the popup shows it once. */
  'pri(mnemonic.generate)': [null, { mnemonic: string }];
  /** The address a suri would give, to preview an import before asking for the password. */
  'pri(accounts.validateUri)': [{ suri: string; type: KeypairKind }, { address: string }];
  'pri(accounts.createFromUri)': [{ suri: string; type: KeypairKind; name: string; password: string }, AccountView];
  'pri(accounts.importJson)': [{ json: string; jsonPassword: string; name?: string; password: string }, AccountView];
  'pri(accounts.exportJson)': [{ address: string; password: string }, { json: string }];
  /** Every account as one polkadot-js batch JSON, sealed with the wallet password. */
  'pri(accounts.exportAll)': [{ password: string }, { json: string }];
  /** Restores a batch JSON: `jsonPassword` opens the file, `accountsPassword` accounts sealed differently. */
  'pri(accounts.importBatch)': [{ json: string; jsonPassword: string; accountsPassword?: string; password: string }, BatchImportResult];
  'pri(accounts.rename)': [{ address: string; name: string }, boolean];
  'pri(accounts.forget)': [{ address: string }, boolean];
  'pri(requests.get)': [{ id: string }, RequestView];
  /**
   * Approves a signature, metadata or secret-operation request. `address` chooses the acting account
   * of a secret operation the site left to the user (one of the accounts the site was granted).
   */
  'pri(requests.approve)': [{ id: string; address?: string }, boolean];
  /** Approves a site with the accounts the user chose. */
  'pri(requests.approveAuthorize)': [{ id: string; addresses: string[] }, boolean];
  /** For `authorize` the block is remembered; other kinds end with a `Rejected` error to the dApp. */
  'pri(requests.reject)': [{ id: string }, boolean];
  /** Ends a request without remembering anything; the dApp gets a `Cancelled` error. */
  'pri(requests.cancel)': [{ id: string }, boolean];
  'pri(sites.list)': [null, SiteView[]];
  'pri(sites.setAccounts)': [{ origin: string; addresses: string[] }, boolean];
  /** Forgets the origin entirely (its access, or its block). */
  'pri(sites.remove)': [{ origin: string }, boolean];
  'pri(settings.get)': [null, Settings];
  /** Saves the active network's endpoints and contract, and the auto-lock time; a chain endpoint of another chain adds that network and switches to it. */
  'pri(settings.save)': [SettingsInput, Settings];
  'pri(networks.list)': [null, NetworksView];
  /** Connects to `chainEndpoint` and reads the network from the chain; a known genesis gets the new endpoint. */
  'pri(networks.add)': [{ chainEndpoint: string; workerEndpoint?: string }, NetworkView];
  'pri(networks.switch)': [{ genesisHash: string }, NetworksView];
  /** Refused for the active network. */
  'pri(networks.remove)': [{ genesisHash: string }, NetworksView];
  'pri(addressBook.get)': [null, AddressBookView];
  /** Adds a contact, or renames the one with that address. */
  'pri(addressBook.save)': [{ name: string; address: string }, AddressBookView];
  'pri(addressBook.remove)': [{ address: string }, AddressBookView];
  'pri(chain.balances)': [null, BalancesView];
  'pri(chain.transfer)': [{ from: string; to: string; amount: string }, TransferResult];

  // ── secret assets, from the popup (amounts are decimal text as typed, e.g. "1.5") ──
  /** Can the confidential worker be used: attestation label, worker block, or why not. */
  'pri(dark.status)': [null, SecretStatusView];
  /** Every secret asset (public metadata). */
  'pri(dark.assets)': [null, SecretAssetView[]];
  /** The account's secret balance of every known asset (zero included), through its query session. */
  'pri(dark.balances)': [{ address: string }, SecretBalanceView[]];
  /** The account's secret history, newest first, with its operations still under way on top. */
  'pri(dark.history)': [{ address: string }, SecretActivityView[]];
  /** The operations this wallet is following; pushes the list on every status change. */
  'pri(dark.operations)': [null, SecretOperationView[], SecretOperationView[]];
  /** Follows an `unconfirmed` operation again (its automatic attempts ran out); answers it as it is now. */
  'pri(dark.retry)': [{ id: string }, SecretOperationView];
  /** The user accepts the new contract key shown in the changed-key warning (`ecdhPub` as shown). */
  'pri(dark.acceptContractKey)': [{ ecdhPub: string }, null];
  'pri(dark.convertToSecret)': [{ address: string; amount: string }, SecretOperationView];
  'pri(dark.convertToPublic)': [{ address: string; to: string; amount: string }, SecretOperationView];
  'pri(dark.transfer)': [{ address: string; asset: number; to: string; amount: string }, SecretOperationView];
  /** View permits an account issued (status against the worker's block), granted, revoked (a secret command). */
  'pri(permits.list)': [{ address: string }, PermitListView];
  'pri(permits.grant)': [PermitGrantInput, PermitView];
  'pri(permits.revoke)': [{ id: string }, PermitView];
  'pri(dark.issue)': [{ address: string; symbol: string; name: string; decimals: number; supply: string }, SecretOperationView];
}

export type MessageType = keyof RequestSignatures;
export type PubMessageType = Extract<MessageType, `pub(${string})`>;
export type PriMessageType = Extract<MessageType, `pri(${string})`>;

export type RequestOf<T extends MessageType> = RequestSignatures[T][0];
export type ResponseOf<T extends MessageType> = RequestSignatures[T][1];
/** `never` for messages without subscription pushes. */
export type SubscriptionOf<T extends MessageType> = RequestSignatures[T] extends [unknown, unknown, infer S] ? S : never;

export const isPubMessage = (t: string): t is PubMessageType => t.startsWith('pub(') && t.endsWith(')');
export const isPriMessage = (t: string): t is PriMessageType => t.startsWith('pri(') && t.endsWith(')');

/**
 * Requests whose payloads carry secrets or private data. Nothing ever logs a request body, but any
 * diagnostic that is added later must check this list first.
 */
export const NEVER_LOG: ReadonlySet<MessageType> = new Set<MessageType>([
  'pri(wallet.unlock)', 'pri(mnemonic.generate)', 'pri(accounts.validateUri)', 'pri(accounts.createFromUri)',
  'pri(accounts.importJson)', 'pri(accounts.exportJson)', 'pri(accounts.exportAll)', 'pri(accounts.importBatch)',
  'pub(dark.balances)', 'pub(dark.history)', 'pub(dark.transfer)', 'pub(dark.convertToSecret)',
  'pub(dark.convertToPublic)', 'pub(dark.issue)',
  // Secret balances, history, recipients and amounts: private to the account, whichever way they go.
  'pri(dark.balances)', 'pri(dark.history)', 'pri(dark.operations)', 'pri(dark.retry)', 'pri(dark.convertToSecret)',
  'pri(dark.convertToPublic)', 'pri(dark.transfer)', 'pri(dark.issue)', 'pri(requests.get)',
  // Whom an account lets read which assets: as private as the balances themselves.
  'pri(permits.list)', 'pri(permits.grant)', 'pri(permits.revoke)',
]);
