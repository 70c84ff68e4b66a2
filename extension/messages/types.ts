/** Data shapes carried by messages. Plain JSON: no bigint, no Uint8Array, no class instances. */
import type { CheckpointStatus } from '../../shared/client/checkpoint-status';
import type { Direction, HistoryKind } from '../../shared/protocol/ledger';
import type { SecretOperation } from '../../shared/protocol/operations';
import type { AutoLockMinutes } from './constants';

export type KeypairKind = 'sr25519' | 'ed25519' | 'ecdsa';
export const KEYPAIR_KINDS: readonly KeypairKind[] = ['sr25519', 'ed25519', 'ecdsa'];

/** An account as the popup sees it: never any key material. */
export interface AccountView {
  address: string;
  name: string;
  type: KeypairKind;
  createdAt: number;
}

/** What restoring an "all accounts" backup did. */
export interface BatchImportResult {
  imported: AccountView[];
  /** Accounts of the file that were already in Dark Wallet (left as they were). */
  alreadyThere: number;
  /** Watch-only or hardware accounts of the file: no key to import. */
  withoutKey: number;
}

export type WalletStatus = 'onboarding' | 'locked' | 'unlocked';

/** Pushed to the popup whenever anything in it changes. */
export interface WalletState {
  status: WalletStatus;
  accounts: AccountView[];
  requests: RequestSummary[];
  /** The network balances, addresses and secret assets are shown for; null until its chain first answered. */
  network: NetworkView | null;
}

/**
 * Kinds of requests that wait for the user. Ids are `${kind}.${uuid}`; the approval view of each is
 * `popup.html#/${kind}/${id}`.
 */
export type RequestKind = 'authorize' | 'signRaw' | 'signPayload' | 'metadata' | SecretRequestKind;

/**
 * The secret operations the extension offers, named as in shared/protocol/operations.ts (the SDK's,
 * page API's and messages' name). A site asks for one through an approval request of kind `dark<Op>`.
 */
export const SECRET_OPS = ['transfer', 'convertToSecret', 'convertToPublic', 'issue'] as const satisfies readonly SecretOperation[];
export type SecretOp = (typeof SECRET_OPS)[number];
export type SecretRequestKind = `dark${Capitalize<SecretOp>}`;
export const secretRequestKind = (op: SecretOp): SecretRequestKind => `dark${op[0].toUpperCase()}${op.slice(1)}` as SecretRequestKind;
export const SECRET_REQUEST_KINDS: readonly SecretRequestKind[] = SECRET_OPS.map(secretRequestKind);
export const isSecretRequestKind = (kind: string): kind is SecretRequestKind => (SECRET_REQUEST_KINDS as readonly string[]).includes(kind);
/** The operation an approval request of `kind` asks for. */
export const secretOpOf = (kind: SecretRequestKind): SecretOp => SECRET_OPS[SECRET_REQUEST_KINDS.indexOf(kind)];

export interface RequestSummary {
  id: string;
  kind: RequestKind;
  origin: string;
  createdAt: number;
}

interface ViewBase extends RequestSummary {
  /** The label the dApp gave itself; untrusted, shown beside the origin, never instead of it. */
  originName: string;
}

export interface AuthorizeView extends ViewBase {
  kind: 'authorize';
  url: string;
}

export interface SignRawView extends ViewBase {
  kind: 'signRaw';
  address: string;
  accountName: string;
  /** The bytes as the dApp sent them (hex). */
  data: string;
  /** The bytes as UTF-8 text when they are printable, so people can read what they sign. */
  text: string | null;
}

export interface DecodedCall {
  section: string;
  method: string;
  /** Named arguments in order; amounts already in the chain's units ("1.2345 PHA"). */
  args: { name: string; value: string }[];
}

/**
 * CheckMetadataHash (RFC-78) as the transaction will be signed. Mode 1: the signature commits to the
 * chain's metadata hash `hash`, so the chain refuses it unless the metadata the call was decoded with
 * is the chain's; `byWallet` when Dark Wallet set it (the site takes back the signed transaction).
 * Mode 0: nothing ties the signature to the metadata; `reason` says why not.
 */
export type MetadataHashView =
  | { mode: 1; hash: `0x${string}`; byWallet: boolean }
  | { mode: 0; reason: string };

export interface SignPayloadView extends ViewBase {
  kind: 'signPayload';
  address: string;
  accountName: string;
  /** The chain's name (only payloads of chains whose metadata we know are queued). */
  chain: string;
  genesisHash: string;
  specVersion: number;
  nonce: string;
  tip: string;
  /** "immortal" or "mortal, from block N for P blocks". */
  lifetime: string;
  /** A call that does not decode is refused before it is queued, so there is always one. */
  call: DecodedCall;
  callHex: string;
  metadataHash: MetadataHashView;
  /** Set when the balances show the transaction must fail (fee included); it cannot then be approved. */
  refusal: string | null;
}

export interface MetadataView extends ViewBase {
  kind: 'metadata';
  chain: string;
  genesisHash: string;
  specVersion: number;
  tokenSymbol: string;
  tokenDecimals: number;
  ss58Format: number;
  /** The spec version we already hold for this chain, if any. */
  knownSpecVersion: number | null;
}

/** A secret asset as people see it: public metadata only (supplies stay hidden). */
export interface SecretAssetView {
  id: number;
  symbol: string;
  name: string;
  decimals: number;
  /**
   * The issuer's address, only in an account's own balances and only for the tokens that account
   * issued: the worker names an issuer to nobody else. null otherwise, and for the native asset.
   */
  issuer: string | null;
}

/**
 * What a site asks to do with secret assets, in plaintext, exactly as it will be sealed. Amounts are
 * decimal strings of the asset's smallest unit.
 */
export type SecretIntent =
  | { op: 'convertToSecret'; amount: string }
  | { op: 'convertToPublic'; to: string; amount: string }
  | { op: 'transfer'; asset: number; to: string; amount: string }
  | { op: 'issue'; symbol: string; name: string; decimals: number; supply: string };

/** A secret operation waiting for approval: everything is shown before anything is encrypted. */
export interface SecretRequestView extends ViewBase {
  kind: SecretRequestKind;
  /** The acting account; null when the site let the user choose among `accounts`. */
  address: string | null;
  /** The accounts this site was granted, to choose from when `address` is null. */
  accounts: { address: string; name: string }[];
  intent: SecretIntent;
  /** The asset moved (null for `issue`, or when the worker could not be asked). */
  asset: { id: number; symbol: string; decimals: number } | null;
  /** "30 PHA", "1,000 GOLD": the amount (or the issued supply) with its symbol and decimals applied. */
  amountText: string;
  /** For transfers and conversions to public: the recipient, and its name when it is one of ours. */
  to: string | null;
  toName: string | null;
  /** "development attestation — not hardware protected", or null when the worker cannot be checked. */
  attestationLabel: string | null;
  /** A sentence when something is wrong (unknown asset, untrusted or unreachable worker). */
  warning: string | null;
  /**
   * Why the operation must fail, when the balances show it (more than the secret balance, a public
   * balance that cannot pay the amount and the fee): the view says so and cannot approve.
   */
  refusal: string | null;
  /** The network's relayer and its fee when the operation goes through one; null: sent from the account. */
  relay: RelayFeeView | null;
}

/** A command relayer and what it charges per operation, paid from the secret native token. */
export interface RelayFeeView {
  endpoint: string;
  /** Smallest units of secret asset 0. */
  fee: string;
  /** "0.01 PHA". */
  feeText: string;
}

export type RequestView = AuthorizeView | SignRawView | SignPayloadView | MetadataView | SecretRequestView;

/**
 * pending (being submitted) → included (in block #N) → applied / failed. `unconfirmed`: included, but
 * the worker's verdict could not be read after every automatic attempt; `reason` says why, and the
 * user can retry (`pri(dark.retry)`), which makes it `included` again.
 */
export type SecretOperationStatus = 'pending' | 'included' | 'unconfirmed' | 'applied' | 'failed';

/**
 * A secret operation this wallet sent, followed from submission to the worker's verdict. Kept in
 * session storage so the status survives a closed popup and a restarted service worker.
 */
export interface SecretOperationView {
  id: string;
  /** The sending account. */
  address: string;
  op: SecretOp;
  status: SecretOperationStatus;
  createdAt: number;
  /** The site that asked for it; null when it came from the popup. */
  origin: string | null;
  /** The asset moved; for `issue`, the new asset's id once applied (null before). */
  asset: number | null;
  symbol: string;
  decimals: number;
  /** Smallest units (the supply for `issue`). */
  amount: string;
  /** Recipient (transfer, convert to public). */
  to: string | null;
  /** Token name (issue). */
  name: string | null;
  block: number | null;
  blockHash: string | null;
  txHash: string | null;
  /** Payload hash; the ledger's history entry carries the same ref. */
  ref: string | null;
  /** Why it failed (or, when unconfirmed, why its verdict could not be read), as a sentence. */
  reason: string | null;
  /** The worker's last block when it was started (null: unknown): where it sits in the history if it never reaches a block. */
  atBlock: number | null;
}

export interface SecretBalanceView extends SecretAssetView {
  /** Smallest units. */
  amount: string;
}

/** One line of the secret history: the worker's entries merged with operations still under way. */
export interface SecretActivityView {
  id: string;
  kind: HistoryKind;
  direction: Direction;
  status: SecretOperationStatus;
  block: number | null;
  asset: number | null;
  symbol: string;
  decimals: number;
  amount: string;
  counterparty: string | null;
  /** The counterparty's name when it is one of our accounts. */
  counterpartyName: string | null;
  reason: string | null;
  ref: string | null;
  /** The site that asked for it, when known. */
  origin: string | null;
  /** Its place in time, in blocks (null: under way, newer than everything): the history is ordered by it. */
  at: number | null;
}

/**
 * `verified`: the contract key on chain is the one pinned on first use, carries a valid attestation,
 * and the worker serves that key. `keyChanged` / `revoked`: stopped by the pin (see `pin`).
 */
export type WorkerTrustState = 'verified' | 'untrusted' | 'unreachable' | 'chainUnavailable' | 'keyChanged' | 'revoked';

/** What the blocking warning shows when the pin stopped secret operations. */
export interface ContractPinWarningView {
  reason: 'keyChanged' | 'revoked';
  /** The key verified and pinned on first use (or last accepted), and when. */
  pinned: { ecdhPub: string; measurement: string; pinnedAt: number };
  /** The key the chain endpoint names now (`keyChanged` only). */
  seen: { ecdhPub: string; measurement: string } | null;
}

/** Whether the confidential worker can be used, and why not. */
export interface SecretStatusView {
  state: WorkerTrustState;
  /** A sentence when `state` is not `verified`. */
  message: string | null;
  chainEndpoint: string;
  workerEndpoint: string;
  contractId: number;
  /** Shown plainly, e.g. "development attestation — not hardware protected". */
  attestationLabel: string | null;
  hardwareProtected: boolean;
  /** The last block the worker has processed (its health endpoint). */
  workerBlock: number | null;
  /** The worker that answered the status check (the pinned one, or one the chain names). */
  answeredBy: string | null;
  /** How many attested workers the chain names for the contract (null until the contract is trusted). */
  workers: number | null;
  /** Whether the workers' checkpoints agree, as the chain records them (null: unknown). */
  checkpoints: CheckpointStatus | null;
  /** Set when the contract pin stopped secret operations. */
  pin: ContractPinWarningView | null;
  /** The network's relayer (null: operations are sent from the account). */
  relayEndpoint: string | null;
  /** Its fee, when it answered. */
  relay: RelayFeeView | null;
  /** Why the relayer cannot be used now (it did not answer), as a sentence. */
  relayMessage: string | null;
}

export interface SiteView {
  origin: string;
  url: string;
  addresses: string[];
  connectedAt: number;
  blocked: boolean;
}

/** What is set per network (per genesis hash): switching networks switches all of it. */
export interface NetworkSettings {
  /** ws:// or wss:// endpoint of the chain node. */
  chainEndpoint: string;
  /** http:// or https:// endpoint of the one confidential worker to use; '' (the default): every attested worker the chain names. */
  workerEndpoint: string;
  /** The confidential asset contract on that chain. */
  contractId: number;
  /**
   * http:// or https:// command relayer (`POST /relay`): secret operations go through it, paid in
   * secret PHA, so the account never appears on chain. Null: they are signed and pushed by the account.
   */
  relayEndpoint: string | null;
}

/** The active network's settings and the wallet's own. */
export interface Settings extends NetworkSettings {
  /** 0 = never. */
  autoLockMinutes: AutoLockMinutes;
}

/** `pri(settings.save)`: a missing `contractId` or `relayEndpoint` keeps the current one; `relayEndpoint: ''` or null sends directly. */
export type SettingsInput = Omit<Settings, 'contractId' | 'relayEndpoint'> & { contractId?: number; relayEndpoint?: string | null };

/** What a chain says about itself (`system_chain`, `system_properties`, block 0's hash), never assumed. */
export interface ChainInfo {
  genesisHash: string;
  name: string;
  tokenSymbol: string;
  tokenDecimals: number;
  ss58Format: number;
}

/** A network the wallet knows, keyed by genesis hash. */
export interface NetworkView extends ChainInfo, NetworkSettings {}

export interface NetworksView {
  /** Genesis hash of the network in use; null before the first chain answered. */
  active: string | null;
  /** By name. */
  networks: NetworkView[];
}

/** A named address the user keeps (storage.local, like polkadot-js's address book). */
export interface Contact {
  name: string;
  address: string;
}

export interface AddressBookView {
  /** Sorted by name. */
  contacts: Contact[];
  /** Recipients of the last public sends, newest first. */
  recent: string[];
}

export interface AccountBalance {
  /** Decimal strings in the token's smallest unit. */
  free: string;
  reserved: string;
  frozen: string;
}

export interface BalancesView {
  chain: string;
  token: { symbol: string; decimals: number };
  balances: Record<string, AccountBalance>;
}

export interface TransferResult {
  txHash: string;
  blockHash: string;
}

/**
 * A view permit this wallet issued (shared/protocol/permit.ts): `active` until its expiry block or
 * the owner's revocation; `revoking` while the RevokePermit command is on its way.
 */
export type PermitStatus = 'active' | 'expired' | 'revoking' | 'revoked';

export interface PermitView {
  id: string;
  name: string;
  /** The owner (one of this wallet's accounts) and the auditor, as SS58 addresses. */
  owner: string;
  auditor: string;
  assets: { id: number; symbol: string }[];
  fields: { balances: boolean; history: boolean };
  expiresAtBlock: number;
  status: PermitStatus;
  /** The block whose RevokePermit the worker applied. */
  revokedAtBlock: number | null;
  /** Why the last revocation did not go through, as a sentence. */
  reason: string | null;
  /** The permit file (JSON) to hand the auditor. */
  file: string;
}

export interface PermitListView {
  permits: PermitView[];
  /** The worker's last block (expiry is counted in blocks); null when it cannot be asked. */
  block: number | null;
}

export interface PermitGrantInput {
  address: string;
  name: string;
  auditor: string;
  assets: number[];
  balances: boolean;
  history: boolean;
  /** Blocks from the worker's current one until the permit stops reading, as typed. */
  blocks: string;
}
