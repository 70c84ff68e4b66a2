/** Data shapes carried by messages. Plain JSON: no bigint, no Uint8Array, no class instances. */
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

export type WalletStatus = 'onboarding' | 'locked' | 'unlocked';

/** Pushed to the popup whenever anything in it changes. */
export interface WalletState {
  status: WalletStatus;
  accounts: AccountView[];
  requests: RequestSummary[];
}

/**
 * Kinds of requests that wait for the user. Ids are `${kind}.${uuid}`; the approval view of each is
 * `popup.html#/${kind}/${id}`. Secret operations add their kinds here.
 */
export type RequestKind = 'authorize' | 'signRaw' | 'signPayload' | 'metadata';

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
  /** Arguments as readable JSON text. */
  args: string;
}

export interface SignPayloadView extends ViewBase {
  kind: 'signPayload';
  address: string;
  accountName: string;
  /** The chain's name when we know its metadata (connected chain or provided by a dApp). */
  chain: string | null;
  genesisHash: string;
  specVersion: number;
  nonce: string;
  tip: string;
  /** "immortal" or "mortal, from block N for P blocks". */
  lifetime: string;
  /** Null when the call could not be decoded (no metadata for this chain): `callHex` is all we know. */
  call: DecodedCall | null;
  callHex: string;
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

export type RequestView = AuthorizeView | SignRawView | SignPayloadView | MetadataView;

export interface SiteView {
  origin: string;
  url: string;
  addresses: string[];
  connectedAt: number;
  blocked: boolean;
}

export interface Settings {
  /** ws:// or wss:// endpoint of the chain node. */
  chainEndpoint: string;
  /** http:// or https:// endpoint of the confidential worker. */
  workerEndpoint: string;
  /** 0 = never. */
  autoLockMinutes: AutoLockMinutes;
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
