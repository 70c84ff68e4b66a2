/**
 * Public chain access for the popup, done here so the popup bundle stays small: balances and public
 * transfers through @polkadot/api over the active network's endpoint (signed with CheckMetadataHash
 * mode 1 when the chain has a metadata hash). One connection, opened on first use and replaced when the
 * endpoint changes; each new connection is shown to the `ChainSource`, which adopts or refuses the
 * chain it reached (its genesis must be the network's).
 */
import type {} from '@polkadot/api-augment';
import { ApiPromise, WsProvider } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { Registry } from '@polkadot/types/types';
import { chainProperties } from '../../../shared/client/chain-properties';
import { ClientError } from '../../../shared/client/errors';
import { ensurePublicFunds, publicSpend } from '../../../shared/client/funds';
import { chainRefusal, dispatchErrorName, poolRefusal } from '../../../shared/client/reasons';
import { WalletError } from '../../messages/errors';
import type { BalancesView, ChainInfo, TransferResult } from '../../messages/types';
import { readChainInfo } from './info';
import { metadataHashOf, metadataHashOptions } from './metadata-hash';

/** What the handlers need from a chain; tests substitute a fake. */
export interface ChainAccess {
  balances(addresses: string[]): Promise<BalancesView>;
  /** `amount` in the token's smallest unit. */
  transfer(pair: KeyringPair, to: string, amount: bigint): Promise<TransferResult>;
  token(): Promise<{ symbol: string; decimals: number }>;
  /** The connected chain's registry when it is the chain with `genesisHash`. */
  registryFor(genesisHash: string): Promise<{ registry: Registry; chain: string } | null>;
  /** The RFC-78 metadata hash of the connected chain when it is `genesisHash` at `specVersion`; else null. */
  metadataHash(genesisHash: string, specVersion: number): Promise<`0x${string}` | null>;
  /**
   * Why `address` signing call `method` on the connected chain (`genesisHash`) must fail for want of
   * public funds (a transfer or convert-to-secret above the balance, fee included); null when it can
   * pay, or when the wallet cannot tell (another chain, another call, no connection).
   */
  publicFundsRefusal(genesisHash: string, address: string, method: string): Promise<string | null>;
  /** The connection itself: the secret-asset client shares it (one socket per endpoint). */
  api(): Promise<ApiPromise>;
  /** Connects to `endpoint` on its own and reads what the chain says about itself. */
  probe(endpoint: string): Promise<ChainInfo>;
  reset(): Promise<void>;
}

/** Where to connect, and who judges the chain found there (the network store). */
export interface ChainSource {
  /** The endpoint to use and the genesis hash it must serve; null when not known yet. */
  target(): Promise<{ chainEndpoint: string; genesisHash: string | null }>;
  /** Sees every new connection's chain once; throws (a `WalletError`) to refuse it. */
  connected(info: ChainInfo, target: { chainEndpoint: string; genesisHash: string | null }): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 8_000;
const INCLUSION_TIMEOUT_MS = 90_000;

function unreachable(endpoint: string): WalletError {
  return new WalletError('ChainUnavailable', `Cannot reach the chain at ${endpoint}. Check that the node is running, or change the chain endpoint in Settings.`);
}

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(onTimeout()), ms); })])
    .finally(() => clearTimeout(timer));
}

export class ChainClient implements ChainAccess {
  readonly #source: ChainSource;
  #connection: { endpoint: string; api: Promise<ApiPromise> } | null = null;

  constructor(source: ChainSource) {
    this.#source = source;
  }

  balances(addresses: string[]): Promise<BalancesView> {
    return this.#use(async (api) => {
      const infos = await api.query.system.account.multi(addresses);
      return {
        chain: api.runtimeChain.toString(),
        token: tokenOf(api),
        balances: Object.fromEntries(addresses.map((a, i) => [a, {
          free: infos[i].data.free.toString(),
          reserved: infos[i].data.reserved.toString(),
          frozen: infos[i].data.frozen.toString(),
        }])),
      };
    });
  }

  token(): Promise<{ symbol: string; decimals: number }> {
    return this.#use(async (api) => tokenOf(api));
  }

  transfer(pair: KeyringPair, to: string, amount: bigint): Promise<TransferResult> {
    return this.#use((api) => this.#transfer(api, pair, to, amount));
  }

  async #transfer(api: ApiPromise, pair: KeyringPair, to: string, amount: bigint): Promise<TransferResult> {
    const tx = api.tx.balances.transferKeepAlive(to, amount);
    try {
      await ensurePublicFunds(api, tx, pair.address, amount); // refused before signing: no fee for nothing
    } catch (e) {
      if (e instanceof ClientError) throw new WalletError('InvalidInput', e.message);
      throw e;
    }
    const signing = await metadataHashOptions(api);
    const included = new Promise<TransferResult>((resolve, reject) => {
      tx.signAndSend(pair, { ...signing, nonce: -1 }, ({ status, dispatchError, txHash }) => {
        if (dispatchError) {
          reject(new WalletError('TransactionFailed', chainRefusal(dispatchErrorName(api, dispatchError))));
        } else if (status.isInBlock || status.isFinalized) {
          resolve({ txHash: txHash.toHex(), blockHash: (status.isInBlock ? status.asInBlock : status.asFinalized).toHex() });
        } else if (status.isInvalid || status.isDropped || status.isUsurped) {
          reject(new WalletError('TransactionFailed', 'The chain dropped the transfer, so nothing was sent. Try again.'));
        }
      }).catch((e: unknown) => reject(new WalletError('TransactionFailed', poolRefusal(e instanceof Error ? e.message : ''))));
    });
    return withTimeout(included, INCLUSION_TIMEOUT_MS, () => new WalletError('TransactionFailed', 'The transfer was sent but not included in a block in time. Check your balance before sending it again.'));
  }

  async registryFor(genesisHash: string): Promise<{ registry: Registry; chain: string } | null> {
    try {
      const api = await this.#api();
      return api.genesisHash.toHex() === genesisHash ? { registry: api.registry, chain: api.runtimeChain.toString() } : null;
    } catch {
      return null; // no chain connection: the approval view shows the raw call instead
    }
  }

  async metadataHash(genesisHash: string, specVersion: number): Promise<`0x${string}` | null> {
    try {
      const api = await this.#api();
      if (api.genesisHash.toHex() !== genesisHash || !api.runtimeVersion.specVersion.eqn(specVersion)) return null;
      return await metadataHashOf(api);
    } catch {
      return null; // no connection or no V15: the approval says the hash is not checked
    }
  }

  async publicFundsRefusal(genesisHash: string, address: string, method: string): Promise<string | null> {
    let api: ApiPromise;
    try {
      api = await this.#api();
    } catch {
      return null;
    }
    if (api.genesisHash.toHex() !== genesisHash) return null;
    try {
      const call = api.registry.createType('Call', method);
      const spend = publicSpend(call);
      if (!spend) return null;
      await ensurePublicFunds(api, api.tx(call), address, spend.amount, spend.keepAlive);
      return null;
    } catch (e) {
      if (e instanceof ClientError) return e.message;
      return null; // undecodable here or no answer: the chain itself will judge
    }
  }

  api(): Promise<ApiPromise> {
    return this.#api();
  }

  async probe(endpoint: string): Promise<ChainInfo> {
    const api = await connect(endpoint);
    try {
      return readChainInfo(api, endpoint);
    } finally {
      await api.disconnect().catch(() => undefined);
    }
  }

  /** Drops the connection. One still being opened is closed once it opens, without waiting for it here. */
  async reset(): Promise<void> {
    const old = this.#connection;
    this.#connection = null;
    if (old) void old.api.then((api) => api.disconnect(), () => undefined);
  }

  /**
   * Runs `fn` on the connection. A failure that is not already a sentence (the socket dropped, the node
   * went away) drops the connection, so the next call reconnects, and becomes "cannot reach the chain".
   */
  async #use<T>(fn: (api: ApiPromise) => Promise<T>): Promise<T> {
    const api = await this.#api();
    try {
      return await fn(api);
    } catch (e) {
      if (e instanceof WalletError) throw e;
      const endpoint = this.#connection?.endpoint ?? (await this.#source.target()).chainEndpoint;
      await this.reset();
      throw unreachable(endpoint);
    }
  }

  async #api(): Promise<ApiPromise> {
    const target = await this.#source.target();
    const endpoint = target.chainEndpoint;
    if (this.#connection?.endpoint !== endpoint) {
      await this.reset();
      this.#connection = { endpoint, api: this.#judged(connect(endpoint), target) };
    }
    const connection = this.#connection;
    try {
      return await connection.api;
    } catch (e) {
      if (this.#connection === connection) this.#connection = null; // try afresh next time
      throw e;
    }
  }

  /** The connection once the source accepted its chain; closed when refused. */
  async #judged(connecting: Promise<ApiPromise>, target: { chainEndpoint: string; genesisHash: string | null }): Promise<ApiPromise> {
    const api = await connecting;
    try {
      await this.#source.connected(readChainInfo(api, target.chainEndpoint), target);
      return api;
    } catch (e) {
      await api.disconnect().catch(() => undefined);
      throw e;
    }
  }
}

async function connect(endpoint: string): Promise<ApiPromise> {
  let api: ApiPromise;
  try {
    api = new ApiPromise({ provider: new WsProvider(endpoint, 2_500), throwOnConnect: true, noInitWarn: true });
  } catch {
    throw unreachable(endpoint);
  }
  try {
    return await withTimeout(api.isReadyOrError, CONNECT_TIMEOUT_MS, () => unreachable(endpoint));
  } catch {
    await api.disconnect().catch(() => undefined);
    throw unreachable(endpoint);
  }
}

function tokenOf(api: ApiPromise): { symbol: string; decimals: number } {
  const { tokenSymbol: symbol, tokenDecimals: decimals } = chainProperties(api);
  return { symbol, decimals };
}
