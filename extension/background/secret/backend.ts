/**
 * The secret-asset client: one `DarkClient` per (chain connection, worker endpoint, contract), connected lazily
 * on the chain socket the background already holds for public balances. `DarkClient.connect` reads the
 * contract key and attestation from chain storage and verifies them before anything is sealed.
 *
 * What the extension believes of that key is decided by the pin (guard.ts), not here.
 *
 * `DarkConnector` is the seam the service uses, so unit tests can run the service without a chain.
 */
import type { PermitGrant } from '../../../shared/client/permits';
import type { PermitId, SignedPermit } from '../../../shared/protocol/permit';
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import { readContractState, type ContractState } from '../../../shared/client/contract';
import { DarkClient, type DarkClientOptions, type Operation, type Submitted } from '../../../shared/client/dark-client';
import type { CheckpointStatus } from '../../../shared/client/checkpoint-status';
import type { FetchLike, WorkerHealth } from '../../../shared/client/transport';
import type { WorkerSet } from '../../../shared/client/worker-set';
import type { AssetInfo, HistoryEntry } from '../../../shared/protocol/ledger';
import type { AccountId, Amount, AssetId } from '../../../shared/types';
import type { NetworkSettings } from '../../messages/types';
import { metadataHashOptions } from '../chain/metadata-hash';

/** What the service uses of a connected `DarkClient`. */
export interface DarkBackend {
  readonly contract: { contractId: number; attestationLabel: string; hardwareProtected: boolean; contractPub: Uint8Array };
  /** The contract's workers the chain names: verified (asked), and left out with the reason. */
  readonly workerSet: WorkerSet;
  /** Reads the worker list from chain again (with no worker pinned); whether the workers asked changed. */
  refreshWorkers(): Promise<boolean>;
  /** `/health` of the worker that answered, with its URL. */
  health(): Promise<AnsweringHealth>;
  /** Whether the contract's workers' checkpoints agree, as the chain records them. */
  checkpointStatus(): Promise<CheckpointStatus>;
  convertToSecret(pair: KeyringPair, value: Amount): Promise<Submitted>;
  convertToPublic(pair: KeyringPair, args: { dest: AccountId; amount: Amount }): Promise<Submitted>;
  transfer(pair: KeyringPair, args: { asset: AssetId; dest: AccountId; amount: Amount }): Promise<Submitted>;
  issue(pair: KeyringPair, args: { symbol: string; name: string; decimals: number; supply: Amount }): Promise<Submitted>;
  /** Throws the SDK's refusal when the balances show `op` must fail (see `DarkClient.ensureAffordable`). */
  ensureAffordable(pair: KeyringPair, op: Operation): Promise<void>;
  balances(pair: KeyringPair): Promise<{ asset: AssetId; amount: Amount }[]>;
  history(pair: KeyringPair, from?: number, limit?: number): Promise<{ total: number; entries: HistoryEntry[] }>;
  /** `issuer` is null except for the tokens `as` issued, when asked as `as` (the worker names it to nobody else). */
  assets(as?: KeyringPair): Promise<AssetInfo[]>;
  waitFor(pair: KeyringPair, submitted: Submitted, opts?: { timeoutMs?: number }): Promise<HistoryEntry>;
  grantPermit(owner: KeyringPair, grant: PermitGrant): SignedPermit;
  revokePermit(pair: KeyringPair, permit: PermitId): Promise<Submitted>;
  /** The relayer's fee in secret PHA (its `GET /relay/quote`); null when operations are sent directly. */
  relayFee(): Promise<Amount | null>;
}

export type AnsweringHealth = WorkerHealth & { url: string };

export interface DarkConnector {
  /** The verified client; throws `ClientError('UntrustedWorker')` when the contract key cannot be trusted. */
  client(): Promise<DarkBackend>;
  /** The contract's `PhalaModule` state as the chain endpoint reports it now (unverified). */
  contractState(): Promise<ContractState>;
  /** Calls `onHead` on every new finalized block; resolves to the unsubscribe function. */
  watchHeads(onHead: () => void): Promise<() => void>;
  /** `/health` of a worker that answers (its last processed block); throws when none does. */
  health(): Promise<AnsweringHealth>;
  /** The hash of the extrinsic at `index` of block `blockHash` (what a dApp calls the transaction hash). */
  txHash(blockHash: string, index: number): Promise<string | null>;
  /** The chain's native token (secret asset 0 mirrors it). */
  token(): Promise<{ symbol: string; decimals: number }>;
  /** Drops the client and with it every query session (their keys live only in memory). */
  reset(): void;
}

export interface LiveConnectorDeps {
  /** The background's shared chain connection. */
  api(): Promise<ApiPromise>;
  /** The active network's worker endpoint ('' : the workers the chain names), contract id and relayer. */
  /** The active network's worker endpoint ('' : the workers the chain names) and contract id. */
  network(): Promise<NetworkSettings>;
  token(): Promise<{ symbol: string; decimals: number }>;
  /** `DarkClient.connect` unless a test watches what the client is asked to use. */
  connect?: (opts: DarkClientOptions) => Promise<DarkBackend>;
}

/**
 * `fetch` bound to the global scope: the SDK calls it as a method of its transport, and browsers
 * refuse `fetch` called with another `this` ("Illegal invocation"), which Node tolerates.
 */
const boundFetch: FetchLike = (url, init) => globalThis.fetch(url, init as RequestInit) as ReturnType<FetchLike>;

/**
 * What the client of `network` is connected with: the pinned worker, or (empty endpoint) the workers
 * the chain names. A network with a relayer gets a client that sends every secret command through it
 * and has no direct path: a relayer that is down refuses the operation (`RelayUnavailable`) rather
 * than letting it leave from the account, which would show the account on chain. Deposits (convert
 * to secret) are public by nature and always signed by the account.
 */
export function clientOptions(api: ApiPromise, network: NetworkSettings): DarkClientOptions {
  return {
    api, workerUrl: network.workerEndpoint || undefined, contractId: network.contractId, fetch: boundFetch,
    ...(network.relayEndpoint ? { relayUrl: network.relayEndpoint } : {}),
    // Every secret command and deposit the extension signs commits to the chain's metadata (mode 1).
    signing: () => metadataHashOptions(api),
  };
}

const sameClient = (a: NetworkSettings, b: NetworkSettings) =>
  a.workerEndpoint === b.workerEndpoint && a.contractId === b.contractId && a.relayEndpoint === b.relayEndpoint;

/** `DarkClient` over the background's chain connection, the pinned worker or the workers the chain names, and the network's relayer. */
export class LiveDarkConnector implements DarkConnector {
  readonly #deps: LiveConnectorDeps;
  #current: { api: ApiPromise; network: NetworkSettings; client: Promise<DarkBackend> } | null = null;

  constructor(deps: LiveConnectorDeps) {
    this.#deps = deps;
  }

  async client(): Promise<DarkBackend> {
    const [api, network] = await Promise.all([this.#deps.api(), this.#deps.network()]);
    if (!this.#current || this.#current.api !== api || !sameClient(this.#current.network, network)) {
      const connect = this.#deps.connect ?? DarkClient.connect;
      this.#current = { api, network, client: connect(clientOptions(api, network)) };
    }
    const current = this.#current;
    try {
      return await current.client;
    } catch (e) {
      if (this.#current === current) this.#current = null; // verify afresh next time (a worker may register meanwhile)
      throw e;
    }
  }

  async contractState(): Promise<ContractState> {
    const [api, { contractId }] = await Promise.all([this.#deps.api(), this.#deps.network()]);
    return readContractState(api, contractId);
  }

  async watchHeads(onHead: () => void): Promise<() => void> {
    // Finalized heads: what the worker acts on, so a key change or a removed measurement counts from
    // the block the worker would follow, not from a best block that may still be reorganised away.
    return (await this.#deps.api()).rpc.chain.subscribeFinalizedHeads(() => onHead());
  }

  async health(): Promise<AnsweringHealth> {
    return (await this.client()).health();
  }

  async txHash(blockHash: string, index: number): Promise<string | null> {
    try {
      const api = await this.#deps.api();
      const block = await api.rpc.chain.getBlock(blockHash);
      return block.block.extrinsics[index]?.hash.toHex() ?? null;
    } catch {
      return null; // the operation went through; only this detail is missing
    }
  }

  token(): Promise<{ symbol: string; decimals: number }> {
    return this.#deps.token();
  }

  reset(): void {
    this.#current = null;
  }
}
