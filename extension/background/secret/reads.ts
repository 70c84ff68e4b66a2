/**
 * What the popup reads about secret assets: whether the worker can be trusted, the asset list, an
 * account's balances and history (through its query session, never the chain), and the operations
 * this wallet follows.
 */
import type { AssetInfo, HistoryEntry } from '../../../shared/protocol/ledger';
import { MAX_HISTORY_PAGE } from '../../../shared/protocol/query';
import { accountIdToAddress, toHex, type AccountId } from '../../../shared/types';
import { isUnderWay, operationActivity, orderActivity } from '../../messages/activity';
import type {
  ContractPinWarningView, NetworkSettings, SecretActivityView, SecretAssetView, SecretBalanceView, SecretOperationView, SecretStatusView,
} from '../../messages/types';
import type { Accounts } from '../accounts/service';
import type { Changes } from '../events';
import type { DarkBackend } from './backend';
import { ledgerReason } from '../../../shared/client/reasons';
import { relayFor } from './relay';
import { isPinRefusal, workerUnavailable } from './errors';
import type { SecretGateway } from './gateway';
import type { PinBlock } from './guard';
import { operationView, type OperationStore } from './operations';

/** The popup's history shows the newest entries. */
const HISTORY_SHOWN = MAX_HISTORY_PAGE;

export interface ReadsDeps {
  gateway: SecretGateway;
  accounts: Accounts;
  network(): Promise<NetworkSettings>;
  ops: OperationStore;
  changes: Changes;
}

const assetView = (a: AssetInfo): SecretAssetView => ({
  id: a.id, symbol: a.symbol, name: a.name, decimals: a.decimals, issuer: a.issuer === null ? null : accountIdToAddress(a.issuer),
});

const pinWarning = (block: PinBlock): ContractPinWarningView => ({
  reason: block.kind,
  pinned: { ecdhPub: block.pinned.ecdhPub, measurement: block.pinned.measurement, pinnedAt: block.pinned.pinnedAt },
  seen: block.kind === 'keyChanged' ? { ecdhPub: block.seen.ecdhPub, measurement: block.seen.measurement } : null,
});

export class SecretReads {
  readonly #d: ReadsDeps;

  constructor(deps: ReadsDeps) {
    this.#d = deps;
  }

  async status(): Promise<SecretStatusView> {
    const network = await this.#d.network();
    const { chainEndpoint, workerEndpoint, contractId, relayEndpoint } = network;
    const base = {
      chainEndpoint, workerEndpoint, contractId, attestationLabel: null, hardwareProtected: false, workerBlock: null, pin: null,
      relayEndpoint, relay: null, relayMessage: null, answeredBy: null, workers: null, checkpoints: null,
    };
    let client: DarkBackend;
    try {
      client = await this.#d.gateway.client();
    } catch (e) {
      const err = await this.#d.gateway.explain(e);
      const block = isPinRefusal(err) ? this.#d.gateway.pinBlock() : null;
      if (block) return { ...base, state: block.kind, message: err.message, pin: pinWarning(block) };
      return { ...base, state: err.code === 'UntrustedWorker' ? 'untrusted' : 'chainUnavailable', message: err.message };
    }
    // A worker that joined (or left) since the client connected is counted, and asked, from now on.
    await client.refreshWorkers().catch(() => false);
    const trusted = {
      ...base, contractId: client.contract.contractId, attestationLabel: client.contract.attestationLabel, hardwareProtected: client.contract.hardwareProtected,
      workers: client.workerSet.trusted.length, checkpoints: await client.checkpointStatus().catch(() => null),
    };
    try {
      const health = await this.#d.gateway.health();
      if (health.contractPub?.toLowerCase() !== toHex(client.contract.contractPub)) {
        return {
          ...trusted, state: 'untrusted', workerBlock: health.lastBlock, answeredBy: health.url,
          message: `The worker at ${health.url} does not hold the contract key attested on this chain, so Dark Wallet will not use it. Check the worker endpoint in Settings.`,
        };
      }
      return { ...trusted, ...(await this.#relay(network)), state: 'verified', message: null, workerBlock: health.lastBlock, answeredBy: health.url };
    } catch {
      return { ...trusted, state: 'unreachable', message: workerUnavailable(workerEndpoint).message };
    }
  }

  /** The relayer's fee, or why it cannot be used now. */
  async #relay(network: NetworkSettings): Promise<Pick<SecretStatusView, 'relay' | 'relayMessage'>> {
    try {
      return { relay: await relayFor(this.#d.gateway, network, 'transfer'), relayMessage: null };
    } catch (e) {
      return { relay: null, relayMessage: (await this.#d.gateway.explain(e)).message };
    }
  }

  async assets(): Promise<SecretAssetView[]> {
    return (await this.#d.gateway.assets()).map(assetView);
  }

  /** Every known asset with the account's balance (zero included). */
  async balances(address: string): Promise<SecretBalanceView[]> {
    const pair = await this.#d.accounts.pair(address);
    // Asked as the account: the worker names the issuer of this account's own tokens (and of no others).
    const [assets, held] = await this.#d.gateway.run((client) => Promise.all([client.assets(pair), client.balances(pair)]));
    const amounts = new Map(held.map((b) => [b.asset as number, b.amount.toString()]));
    return assets.map((a) => ({ ...assetView(a), amount: amounts.get(a.id) ?? '0' }));
  }

  /** The newest history entries and this wallet's operations not (yet) among them, newest first (`orderActivity`). */
  async history(address: string): Promise<SecretActivityView[]> {
    const pair = await this.#d.accounts.pair(address);
    const [assets, entries] = await this.#d.gateway.run(async (client) => {
      const first = await client.history(pair, 0, HISTORY_SHOWN);
      const latest = first.total > first.entries.length
        ? (await client.history(pair, first.total - HISTORY_SHOWN, HISTORY_SHOWN)).entries
        : first.entries;
      return [await client.assets(), latest] as const;
    });
    const byId = new Map(assets.map((a) => [a.id as number, a]));
    const names = new Map((await this.#d.accounts.list()).map((a) => [a.address, a.name]));
    const ops = (await this.#d.ops.list()).filter((o) => o.address === address);
    const refs = new Set(entries.map((e) => e.ref as string));
    const originOf = new Map(ops.filter((o) => o.ref).map((o) => [o.ref as string, o.origin]));
    const underWay = ops.filter((o) => !(o.ref && refs.has(o.ref)) && isUnderWay(o));
    return orderActivity([
      ...underWay.reverse().map((o) => operationActivity(o, names)),
      ...[...entries].reverse().map((e) => entryActivity(e, byId, names, originOf.get(e.ref) ?? null)),
    ]);
  }

  async operations(): Promise<SecretOperationView[]> {
    return (await this.#d.ops.list()).map(operationView);
  }

  /** Calls `listener` with every operation whenever one changes; returns the unsubscribe function. */
  subscribe(listener: (ops: SecretOperationView[]) => void): () => void {
    return this.#d.changes.on((topic) => {
      if (topic === 'secret') void this.operations().then(listener);
    });
  }
}

function entryActivity(e: HistoryEntry, assets: Map<number, AssetInfo>, names: Map<string, string>, origin: string | null): SecretActivityView {
  const a = assets.get(e.asset);
  const counterparty = e.counterparty === null ? null : accountIdToAddress(e.counterparty as AccountId);
  return {
    id: `${e.block}.${e.index}.${e.ref}`, kind: e.kind, direction: e.direction,
    status: e.outcome.ok ? 'applied' : 'failed', block: e.block, asset: e.asset,
    symbol: a?.symbol ?? `#${e.asset}`, decimals: a?.decimals ?? 0, amount: e.amount.toString(),
    counterparty, counterpartyName: counterparty === null ? null : names.get(counterparty) ?? null,
    reason: e.outcome.ok ? null : ledgerReason(e.outcome.error), ref: e.ref, origin, at: e.block,
  };
}
