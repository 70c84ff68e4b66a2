/**
 * The networks the wallet knows, keyed by genesis hash, in `storage.local` (`networks`), and which one
 * is in use. Each keeps what the chain said about itself (name, token, address format) and what is set
 * for it (chain and worker endpoints, contract id), so switching networks switches all of them.
 *
 * `pending` holds endpoints in use whose chain has not answered yet: an install from before networks
 * (its single-network settings, migrated on first read) or an endpoint typed in Settings while its node
 * was down. The first chain that answers there is adopted as a network, endpoints and all.
 */
import { DEFAULT_CONTRACT_ID } from '../../../shared/constants';
import type { ChainInfo, NetworkSettings, NetworkView, NetworksView } from '../../messages/types';
import type { SettingsStore } from '../settings/store';
import { MAX_CHAIN_NAME, MAX_TOKEN_SYMBOL } from '../chain/info';
import { Store, isRecord, type StorageArea } from '../storage/store';
import { invalid } from '../validate';
import { chainEndpointOrNull, contractIdOrNull, relayEndpointOrNull, workerEndpointOrNull, WORKERS_FROM_CHAIN } from './endpoints';

/** `npm start`'s dev network: its worker also serves the command relayer, so secret operations are relayed. */
export const DEFAULT_NETWORK_SETTINGS: NetworkSettings = {
  chainEndpoint: 'ws://127.0.0.1:9944',
  workerEndpoint: WORKERS_FROM_CHAIN,
  contractId: DEFAULT_CONTRACT_ID,
  relayEndpoint: 'http://127.0.0.1:8000',
};

interface NetworksState {
  networks: Record<string, NetworkView>;
  active: string | null;
  pending: NetworkSettings | null;
}

/** The endpoints in use and the genesis their chain must have (null: whichever answers is adopted). */
export interface InUse {
  settings: NetworkSettings;
  genesisHash: string | null;
}

const GENESIS = /^0x[0-9a-f]{64}$/;
const text = (x: unknown, max: number): x is string => typeof x === 'string' && x.length > 0 && x.length <= max;
const whole = (x: unknown, max: number): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= max;

export function parseNetworkSettings(x: unknown): NetworkSettings | null {
  if (!isRecord(x)) return null;
  const chainEndpoint = chainEndpointOrNull(x.chainEndpoint);
  const workerEndpoint = workerEndpointOrNull(x.workerEndpoint);
  const contractId = contractIdOrNull(x.contractId);
  // Absent: stored before relayers, sent directly. A damaged one drops the entry rather than quietly
  // sending directly, which would show the account on chain.
  const relayEndpoint = x.relayEndpoint === undefined || x.relayEndpoint === null ? null : relayEndpointOrNull(x.relayEndpoint);
  if (relayEndpoint === null && x.relayEndpoint !== undefined && x.relayEndpoint !== null) return null;
  return chainEndpoint && workerEndpoint !== null && contractId !== null ? { chainEndpoint, workerEndpoint, contractId, relayEndpoint } : null;
}

/** A stored network, or null when any field is not what the wallet writes (it is then dropped). */
function parseNetwork(x: unknown): NetworkView | null {
  const settings = parseNetworkSettings(x);
  if (!settings || !isRecord(x)) return null;
  const { genesisHash, name, tokenSymbol, tokenDecimals, ss58Format } = x;
  if (typeof genesisHash !== 'string' || !GENESIS.test(genesisHash) || !text(name, MAX_CHAIN_NAME) || !text(tokenSymbol, MAX_TOKEN_SYMBOL)) return null;
  if (!whole(tokenDecimals, 38) || !whole(ss58Format, 16383)) return null;
  return { genesisHash, name, tokenSymbol, tokenDecimals, ss58Format, ...settings };
}

function parseState(raw: unknown): NetworksState | null {
  if (!isRecord(raw)) return null; // never written: the migration decides
  const networks: Record<string, NetworkView> = {};
  for (const [key, value] of Object.entries(isRecord(raw.networks) ? raw.networks : {})) {
    const network = parseNetwork(value);
    if (network && network.genesisHash === key) networks[key] = network;
  }
  const active = typeof raw.active === 'string' && networks[raw.active] ? raw.active : null;
  const pending = parseNetworkSettings(raw.pending);
  // A lost active network falls back to the default endpoints rather than to nothing.
  return { networks, active, pending: pending ?? (active ? null : DEFAULT_NETWORK_SETTINGS) };
}

const byName = (a: NetworkView, b: NetworkView) => a.name.localeCompare(b.name) || a.genesisHash.localeCompare(b.genesisHash);

export class NetworkStore {
  readonly #store: Store<NetworksState | null>;
  readonly #settings: SettingsStore;

  constructor(local: StorageArea, settings: SettingsStore) {
    this.#store = new Store(local, 'networks', parseState);
    this.#settings = settings;
  }

  async list(): Promise<NetworksView> {
    const s = await this.#state();
    return { active: s.active, networks: Object.values(s.networks).sort(byName) };
  }

  async active(): Promise<NetworkView | null> {
    const s = await this.#state();
    return s.active ? s.networks[s.active] : null;
  }

  async inUse(): Promise<InUse> {
    const s = await this.#state();
    if (s.pending) return { settings: s.pending, genesisHash: null };
    const { chainEndpoint, workerEndpoint, contractId, relayEndpoint, genesisHash } = s.networks[s.active!];
    return { settings: { chainEndpoint, workerEndpoint, contractId, relayEndpoint }, genesisHash };
  }

  /**
   * Records the chain at `settings.chainEndpoint`: a known genesis keeps its worker, contract and relayer
   * unless `settings` names others, and takes the new endpoint (never a second entry); a new one has no
   * relayer until one is set. `use` makes it active.
   */
  async put(info: ChainInfo, settings: Partial<NetworkSettings> & Pick<NetworkSettings, 'chainEndpoint'>, use: boolean): Promise<NetworkView> {
    const next = await this.#update((s) => {
      const known = s.networks[info.genesisHash];
      const network: NetworkView = {
        ...info,
        chainEndpoint: settings.chainEndpoint,
        workerEndpoint: settings.workerEndpoint ?? known?.workerEndpoint ?? DEFAULT_NETWORK_SETTINGS.workerEndpoint,
        contractId: settings.contractId ?? known?.contractId ?? DEFAULT_NETWORK_SETTINGS.contractId,
        relayEndpoint: settings.relayEndpoint !== undefined ? settings.relayEndpoint : known?.relayEndpoint ?? null,
      };
      const networks = { ...s.networks, [info.genesisHash]: network };
      return use ? { networks, active: info.genesisHash, pending: null } : { ...s, networks };
    });
    return next.networks[info.genesisHash];
  }

  /**
   * The chain at the pending endpoint answered: it becomes the active network with the pending settings.
   * False when the pending endpoint changed meanwhile (that chain is no longer the one asked for).
   */
  async adopt(info: ChainInfo, chainEndpoint: string): Promise<boolean> {
    const s = await this.#state();
    if (s.pending?.chainEndpoint !== chainEndpoint) return false;
    await this.put(info, s.pending, true);
    return true;
  }

  /** Endpoints whose chain is not known yet; used from now on, adopted when their chain answers. */
  async setPending(settings: NetworkSettings): Promise<void> {
    await this.#update((s) => ({ ...s, pending: settings }));
  }

  /** New worker endpoint, contract or relayer for what is in use (the chain endpoint unchanged). */
  async updateInUse(settings: NetworkSettings): Promise<void> {
    await this.#update((s) => (s.pending || !s.active
      ? { ...s, pending: settings }
      : { ...s, networks: { ...s.networks, [s.active]: { ...s.networks[s.active], ...settings } } }));
  }

  async switchTo(genesisHash: string): Promise<void> {
    await this.#update((s) => {
      if (!s.networks[genesisHash]) throw unknownNetwork();
      return { ...s, active: genesisHash, pending: null };
    });
  }

  async remove(genesisHash: string): Promise<void> {
    await this.#update((s) => {
      const network = s.networks[genesisHash];
      if (!network) throw unknownNetwork();
      if (s.active === genesisHash) throw invalid(`${network.name} is the network in use. Switch to another network before removing it.`);
      const { [genesisHash]: _removed, ...networks } = s.networks;
      return { ...s, networks };
    });
  }

  async #state(): Promise<NetworksState> {
    return (await this.#store.get()) ?? this.#migrated();
  }

  async #update(fn: (s: NetworksState) => NetworksState): Promise<NetworksState> {
    const fallback = await this.#migrated();
    return (await this.#store.update((s) => fn(s ?? fallback)))!;
  }

  /**
   * Before anything was written here (a new install, or one from before networks): the single-network
   * settings are the pending network, adopted when their chain answers. Reading never writes. An
   * install from before networks also predates relayers: it keeps sending directly.
   */
  async #migrated(): Promise<NetworksState> {
    const legacy = await this.#settings.legacyNetwork();
    const relayEndpoint = Object.keys(legacy).length > 0 ? null : DEFAULT_NETWORK_SETTINGS.relayEndpoint;
    return { networks: {}, active: null, pending: { ...DEFAULT_NETWORK_SETTINGS, relayEndpoint, ...legacy } };
  }
}

const unknownNetwork = () => invalid('Dark Wallet does not know this network. Add it by its endpoint first.');
