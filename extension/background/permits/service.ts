/**
 * View permits from the popup: the owner grants one (signed here with the unlocked key, nothing sent),
 * lists those it issued, and revokes one — a RevokePermit secret command, sealed, signed and followed
 * to the worker's verdict like any secret operation, after the user confirmed it in the popup.
 */
import type { SignedPermit } from '../../../shared/protocol/permit';
import { MAX_PERMIT_ASSETS, MAX_PERMIT_NAME_BYTES, permitId } from '../../../shared/protocol/permit';
import { permitFromFile, permitToFile } from '../../../shared/protocol/permit-file';
import { accountId, assetId } from '../../../shared/types';
import type { PermitGrantInput, PermitListView, PermitView } from '../../messages/types';
import { normalizeAddress, SS58_FORMAT } from '../accounts/address';
import type { Accounts } from '../accounts/service';
import type { SecretGateway } from '../secret/gateway';
import { invalid } from '../validate';
import type { PermitStore, StoredPermit } from './store';

/** About a year of 6-second blocks: a permit is meant to end. */
export const MAX_PERMIT_BLOCKS = 5_300_000;

export interface PermitDeps {
  gateway: SecretGateway;
  accounts: Accounts;
  store: PermitStore;
}

export class PermitService {
  readonly #d: PermitDeps;

  constructor(deps: PermitDeps) {
    this.#d = deps;
  }

  async list(address: string): Promise<PermitListView> {
    const owner = normalizeAddress(address);
    const block = await this.#block();
    const symbols = await this.#symbols();
    const mine = (await this.#d.store.list()).filter((p) => p.file.owner === owner);
    return { permits: mine.map((p) => view(p, block, symbols)).reverse(), block };
  }

  async grant(input: PermitGrantInput): Promise<PermitView> {
    const owner = normalizeAddress(String(input.address));
    if (!owner) throw invalid('Choose one of your accounts.');
    const pair = await this.#d.accounts.pair(owner);
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (!name || new TextEncoder().encode(name).length > MAX_PERMIT_NAME_BYTES) throw invalid(`Give the permit a name of 1 to ${MAX_PERMIT_NAME_BYTES} bytes, e.g. "Tax 2026".`);
    const auditor = typeof input.auditor === 'string' ? normalizeAddress(input.auditor.trim()) : null;
    if (!auditor) throw invalid("The auditor's address is not valid. Copy it again from the auditor.");
    if (auditor === owner) throw invalid('The auditor is this account itself: it already sees its own assets.');
    if (input.balances !== true && input.history !== true) throw invalid('Choose what the auditor may read: balances, history or both.');
    const known = await this.#d.gateway.assets();
    const assets = Array.isArray(input.assets) ? [...new Set(input.assets)] : [];
    if (assets.length === 0 || assets.length > MAX_PERMIT_ASSETS) throw invalid(`Choose 1 to ${MAX_PERMIT_ASSETS} secret assets the auditor may read.`);
    if (!assets.every((a) => known.some((k) => k.id === a))) throw invalid('Choose secret assets from the list.');
    const blocks = /^\d{1,8}$/.test(String(input.blocks).trim()) ? Number(String(input.blocks).trim()) : 0;
    if (blocks < 1 || blocks > MAX_PERMIT_BLOCKS) throw invalid(`The permit lasts 1 to ${MAX_PERMIT_BLOCKS.toLocaleString('en-US')} blocks.`);
    const head = await this.#block();
    if (head === null) throw invalid('The worker cannot say which block it is at, so the expiry cannot be set. Try again when it is reachable.');
    const signed: SignedPermit = await this.#d.gateway.run(async (client) => client.grantPermit(pair, {
      name, auditor: accountId(auditor), assets: assets.map((a) => assetId(a)), fields: { balances: input.balances === true, history: input.history === true }, expiresAtBlock: head + blocks,
    }));
    const stored: StoredPermit = { file: permitToFile(signed, SS58_FORMAT), status: 'active', revokedAtBlock: null, reason: null };
    await this.#d.store.add(stored);
    return view(stored, head, await this.#symbols());
  }

  /** Resolves once the worker applied the revocation (or refuses with the reason, the permit still active). */
  async revoke(id: string): Promise<PermitView> {
    const p = (await this.#d.store.list()).find((x) => x.file.id === id);
    if (!p) throw invalid('There is no such permit in this wallet.');
    if (p.status !== 'active') throw invalid(p.status === 'revoked' ? 'This permit is already revoked.' : 'This permit is being revoked.');
    const pair = await this.#d.accounts.pair(p.file.owner);
    const permit = permitId(id);
    await this.#d.store.update(id, () => ({ status: 'revoking', reason: null }));
    let done: StoredPermit | null;
    try {
      const entry = await this.#d.gateway.run(async (client) => client.waitFor(pair, await client.revokePermit(pair, permit)));
      done = await this.#d.store.update(id, () => (entry.outcome.ok
        ? { status: 'revoked', revokedAtBlock: entry.block }
        : { status: 'active', reason: 'The confidential contract refused the revocation; try again.' }));
    } catch (e) {
      await this.#d.store.update(id, () => ({ status: 'active', reason: e instanceof Error ? e.message : 'The revocation did not go through.' }));
      throw e;
    }
    return view(done as StoredPermit, await this.#block(), await this.#symbols());
  }

  async #block(): Promise<number | null> {
    try {
      return (await this.#d.gateway.health()).lastBlock;
    } catch {
      return null;
    }
  }

  async #symbols(): Promise<Map<number, string>> {
    try {
      return new Map((await this.#d.gateway.assets()).map((a) => [a.id, a.symbol]));
    } catch {
      return new Map();
    }
  }
}

function view(p: StoredPermit, block: number | null, symbols: Map<number, string>): PermitView {
  const { permit } = permitFromFile(p.file);
  const expired = p.status === 'active' && block !== null && block >= permit.expiresAtBlock;
  return {
    id: permit.id, name: permit.name, owner: p.file.owner, auditor: p.file.auditor,
    assets: permit.assets.map((id) => ({ id, symbol: symbols.get(id) ?? `#${id}` })),
    fields: permit.fields, expiresAtBlock: permit.expiresAtBlock,
    status: expired ? 'expired' : p.status, revokedAtBlock: p.revokedAtBlock, reason: p.reason,
    file: `${JSON.stringify(p.file, null, 2)}\n`,
  };
}
