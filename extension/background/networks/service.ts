/**
 * Networks as the popup uses them: add one by its endpoint (the chain says who it is), switch, remove,
 * and the settings screen, which edits the network in use. It is also the chain client's
 * `ChainSource`: the first chain to answer on a pending endpoint becomes a network, and a node that
 * now serves another genesis than its network's is refused, never silently taken for it.
 */
import { WalletError } from '../../messages/errors';
import type { ChainInfo, NetworkSettings, NetworkView, NetworksView, Settings } from '../../messages/types';
import type { ChainAccess, ChainSource } from '../chain/client';
import type { Changes } from '../events';
import type { SettingsStore } from '../settings/store';
import { autoLockMinutes } from '../settings/store';
import { hex, record } from '../validate';
import { chainEndpoint, contractId, relayEndpoint, workerEndpoint } from './endpoints';
import type { NetworkStore } from './store';

export interface NetworksDeps {
  store: NetworkStore;
  settings: SettingsStore;
  chain: () => Pick<ChainAccess, 'probe'>;
  changes: Changes;
  /** The network settings in use changed: drop connections made with the old ones. */
  onChange(what: { chain: boolean }): Promise<void>;
}

const sameSettings = (a: NetworkSettings, b: NetworkSettings) =>
  a.chainEndpoint === b.chainEndpoint && a.workerEndpoint === b.workerEndpoint && a.contractId === b.contractId && a.relayEndpoint === b.relayEndpoint;

export class Networks implements ChainSource {
  readonly #d: NetworksDeps;

  constructor(deps: NetworksDeps) {
    this.#d = deps;
  }

  list(): Promise<NetworksView> {
    return this.#d.store.list();
  }

  active(): Promise<NetworkView | null> {
    return this.#d.store.active();
  }

  async inUse(): Promise<NetworkSettings> {
    return (await this.#d.store.inUse()).settings;
  }

  async settings(): Promise<Settings> {
    const [settings, autoLock] = await Promise.all([this.inUse(), this.#d.settings.autoLockMinutes()]);
    return { ...settings, autoLockMinutes: autoLock };
  }

  /**
   * Saves the Settings screen. A new chain endpoint is asked who it is: another chain's genesis adds
   * (or updates) that network and switches to it; a node that does not answer yet is kept as pending.
   * The relayer is the network's: an empty one sends secret operations directly from the account.
   */
  async saveSettings(input: unknown): Promise<Settings> {
    const s = record(input, 'the settings');
    const before = await this.inUse();
    const next: NetworkSettings = {
      chainEndpoint: chainEndpoint(s.chainEndpoint),
      workerEndpoint: workerEndpoint(s.workerEndpoint),
      contractId: s.contractId === undefined ? before.contractId : contractId(s.contractId),
      relayEndpoint: s.relayEndpoint === undefined ? before.relayEndpoint : relayEndpoint(s.relayEndpoint),
    };
    const autoLock = autoLockMinutes(s.autoLockMinutes);
    const chainChanged = next.chainEndpoint !== before.chainEndpoint;
    if (chainChanged) {
      const info = await this.#probeIfUp(next.chainEndpoint);
      if (info) await this.#d.store.put(info, next, true);
      else await this.#d.store.setPending(next);
    } else {
      await this.#d.store.updateInUse(next);
    }
    await this.#d.settings.saveAutoLockMinutes(autoLock);
    if (!sameSettings(before, next)) await this.#changed(chainChanged);
    return this.settings();
  }

  /** A network by its endpoint; refused with a sentence when unreachable or not a usable chain. */
  async add(input: unknown): Promise<NetworkView> {
    const r = record(input, 'the network');
    const endpoint = chainEndpoint(r.chainEndpoint);
    const worker = r.workerEndpoint === undefined || r.workerEndpoint === '' ? undefined : workerEndpoint(r.workerEndpoint);
    const info = await this.#d.chain().probe(endpoint);
    const { active } = await this.#d.store.list();
    const network = await this.#d.store.put(info, { chainEndpoint: endpoint, workerEndpoint: worker }, false);
    if (network.genesisHash === active) await this.#changed(true); // the network in use moved to this endpoint
    else this.#d.changes.emit('network');
    return network;
  }

  async switchTo(input: unknown): Promise<NetworksView> {
    const genesisHash = hex(record(input, 'the request').genesisHash, 'genesisHash', 66);
    const before = await this.#d.store.inUse();
    await this.#d.store.switchTo(genesisHash);
    if (before.genesisHash !== genesisHash) await this.#changed(true); // also when leaving pending endpoints
    return this.list();
  }

  async remove(input: unknown): Promise<NetworksView> {
    await this.#d.store.remove(hex(record(input, 'the request').genesisHash, 'genesisHash', 66));
    this.#d.changes.emit('network');
    return this.list();
  }

  // ── ChainSource ──

  async target(): Promise<{ chainEndpoint: string; genesisHash: string | null }> {
    const { settings, genesisHash } = await this.#d.store.inUse();
    return { chainEndpoint: settings.chainEndpoint, genesisHash };
  }

  async connected(info: ChainInfo, target: { chainEndpoint: string; genesisHash: string | null }): Promise<void> {
    if (target.genesisHash === null) {
      if (await this.#d.store.adopt(info, target.chainEndpoint)) this.#d.changes.emit('network');
      return;
    }
    if (info.genesisHash !== target.genesisHash) {
      const known = await this.#d.store.active();
      throw new WalletError('ChainUnavailable', `The node at ${target.chainEndpoint} now serves another chain than ${known?.name ?? 'the network in use'} (its genesis hash differs). Add it in Settings → Networks to use it, or switch networks.`);
    }
  }

  async #probeIfUp(endpoint: string): Promise<ChainInfo | null> {
    try {
      return await this.#d.chain().probe(endpoint);
    } catch (e) {
      if (e instanceof WalletError && e.code === 'ChainUnavailable') return null;
      throw e;
    }
  }

  async #changed(chain: boolean): Promise<void> {
    await this.#d.onChange({ chain });
    this.#d.changes.emit('network');
  }
}
