/**
 * Fixed parameters of the dev chain: identity, runtime version, economics and genesis accounts.
 * Everything a client could reasonably assume about "the embedded dev chain" is decided here, once.
 */
import { blake2AsHex } from '@polkadot/util-crypto';

export const CHAIN_NAME = 'Dark Wallet Dev';
export const NODE_NAME = 'dark-wallet-dev-node';
export const NODE_VERSION = '0.1.0';
export const CHAIN_PROPERTIES: ChainProperties = { ss58Format: 42, tokenDecimals: 12, tokenSymbol: 'PHA' };

/** What `system_properties` declares: the address format and native token wallets show. */
export interface ChainProperties {
  ss58Format: number;
  tokenDecimals: number;
  tokenSymbol: string;
}

/**
 * Who the chain says it is (`system_chain`, `system_properties`). A second local chain can take another
 * name, address format and token symbol (`--chain-name`, `--ss58-format`, `--token-symbol`), so wallet
 * tests see two networks that differ in what people notice; amounts keep 12 decimals (UNIT).
 */
export interface ChainIdentity {
  name: string;
  properties: ChainProperties;
}

export const DEV_IDENTITY: ChainIdentity = { name: CHAIN_NAME, properties: CHAIN_PROPERTIES };

/** One PHA in planck (12 decimals). */
export const UNIT = 10n ** 12n;

/**
 * Runtime APIs we answer through `state_call`, with the versions whose encodings we follow.
 * polkadot-js decides from this list which `api.call.*` exist and how to decode them.
 */
const RUNTIME_APIS: ReadonlyArray<readonly [string, number]> = [
  ['Core', 4],
  ['Metadata', 2],
  ['AccountNonceApi', 1],
  ['TransactionPaymentApi', 4],
];

/**
 * The trie layout of the state (values of 33 bytes or more stored by hash). As a `system_version`
 * of 1 it also means the extrinsics root keeps layout 0, as Substrate's does.
 */
export const STATE_VERSION = 1;

export const RUNTIME_VERSION = {
  specName: 'dark-wallet',
  implName: NODE_NAME,
  authoringVersion: 1,
  specVersion: 1,
  implVersion: 1,
  apis: RUNTIME_APIS.map(([name, version]) => [blake2AsHex(name, 64), version] as [string, number]),
  transactionVersion: 1,
  stateVersion: STATE_VERSION,
};

/** Below this an account is reaped (and a new account is not created). */
export const EXISTENTIAL_DEPOSIT = UNIT / 100n;

/**
 * Fee = BASE_FEE + BYTE_FEE × encoded length + weight.refTime / WEIGHT_TO_FEE_DIVISOR (+ tip).
 * Large enough to be visible in a wallet, small enough that dev accounts never run dry.
 */
export const BASE_FEE = UNIT / 1000n;
export const BYTE_FEE = UNIT / 1_000_000n;
export const WEIGHT_TO_FEE_DIVISOR = 1_000n;

/** Dev accounts funded at genesis (sr25519 `//Name`), each with GENESIS_BALANCE. Alice is sudo. */
export const DEV_ACCOUNTS = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'] as const;
export const GENESIS_BALANCE = 1_000_000n * UNIT;
export const SUDO_ACCOUNT = 'Alice';

/** Mortal transactions may not name a birth block further back than this. */
export const BLOCK_HASH_COUNT = 2400;

/** File, inside the base path, holding the dev attestation authority's ed25519 seed (hex). */
export const AUTHORITY_SEED_FILE = 'dev-attestation-authority.seed';
/**
 * Directory, inside the base path, of GRANDPA authority seeds: one file `<public key hex>.seed` (hex
 * seed, mode 0600) per key. The node signs justifications with every key here that is in the set in
 * force; adding a file for a scheduled set's key lets the node sign for that set.
 */
export const GRANDPA_KEY_DIR = 'grandpa-keys';
/** File, inside the base path, naming the genesis GRANDPA authorities (one public key hex per line, weight 1). */
export const GRANDPA_GENESIS_FILE = 'grandpa-genesis-authorities';
/** File, inside the base path, holding the append-only block log. */
export const BLOCK_LOG_FILE = 'blocks.log';
/**
 * File, inside the base path, caching each logged block's storage changes, so a restart commits them
 * instead of re-executing every block. Only a cache: records are checked against the block's state
 * root, and a missing, torn or mismatching tail is rebuilt by re-executing those blocks.
 */
export const CHANGES_LOG_FILE = 'changes.log';
