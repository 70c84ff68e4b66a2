/**
 * Secret operations asked for by pages. Each waits in the request queue for the user, whose approval
 * window shows the plaintext intent (asset, recipient, amount) before anything is encrypted; approved,
 * it goes to the runner. Page input is hostile: it is validated (intent.ts) before it is queued.
 */
import { displayUnits } from '../../../shared/units';
import { WalletError } from '../../messages/errors';
import { isPinRefusal } from './errors';
import { secretRequestKind, type NetworkSettings, type RelayFeeView, type SecretIntent, type SecretOp, type SecretRequestKind, type SecretRequestView } from '../../messages/types';
import type { Accounts } from '../accounts/service';
import type { PageContext } from '../handlers/types';
import type { PendingRequestOf, RequestQueue } from '../requests/queue';
import type { Authorization } from '../sites/service';
import { invalid } from '../validate';
import { ensureAffordable, notToSelf, operationFacts, type Facts } from './facts';
import type { SecretGateway } from './gateway';
import { pageIntent } from './intent';
import { relayFor } from './relay';
import type { OperationRunner } from './runner';

export type PendingSecretRequest = PendingRequestOf<SecretRequestKind>;

export interface RequestsDeps {
  gateway: SecretGateway;
  accounts: Accounts;
  authorization: Authorization;
  queue: RequestQueue;
  runner: OperationRunner;
  /** The network in use: its relayer, if any, carries the operation. */
  network(): Promise<NetworkSettings>;
}

export class SecretRequests {
  readonly #d: RequestsDeps;

  constructor(deps: RequestsDeps) {
    this.#d = deps;
  }

  /** Validates a page's operation, checks what can be checked now, and queues it for approval. */
  async request(op: SecretOp, input: unknown, ctx: PageContext): Promise<void> {
    const { address, intent } = pageIntent(op, input);
    const site = await this.#d.authorization.site(ctx.origin);
    const acting = address === null ? null : await this.#d.authorization.allowedAddress(ctx.origin, address);
    if (acting === null && site.addresses.length === 0) {
      throw new WalletError('NotAuthorized', 'This site may not use any account. Share an account with it under Sites in Dark Wallet.');
    }
    if (acting !== null) notToSelf(acting, intent);
    await this.#d.gateway.client();
    await operationFacts(this.#d.gateway, intent); // an unknown asset or a taken symbol is refused now, not after a fee
    await this.#d.queue.add(secretRequestKind(op), { origin: ctx.origin, originName: '', url: ctx.url }, { address: acting, intent }, ctx.target);
  }

  /** The approval view: the plaintext intent, resolved as far as the chain and worker allow. */
  async view(r: PendingSecretRequest): Promise<SecretRequestView> {
    const { address, intent } = r.payload;
    const names = new Map((await this.#d.accounts.list()).map((a) => [a.address, a.name]));
    const granted = address !== null ? [address] : (await this.#d.authorization.site(r.origin).catch(() => null))?.addresses ?? [];
    const to = intent.op === 'transfer' || intent.op === 'convertToPublic' ? intent.to : null;
    let facts: Facts | null = null;
    let attestationLabel: string | null = null;
    let warning: string | null = null;
    let refusal: string | null = null;
    let relay: RelayFeeView | null = null;
    try {
      attestationLabel = (await this.#d.gateway.client()).contract.attestationLabel;
      facts = await operationFacts(this.#d.gateway, intent);
      relay = await relayFor(this.#d.gateway, await this.#d.network(), intent.op);
    } catch (e) {
      warning = (await this.#d.gateway.explain(e)).message;
    }
    if (facts && address !== null) refusal = await this.#refusal(address, intent);
    const amount = intent.op === 'issue' ? intent.supply : intent.amount;
    const symbol = facts?.symbol ?? (intent.op === 'issue' ? intent.symbol : null);
    const decimals = facts?.decimals ?? (intent.op === 'issue' ? intent.decimals : null);
    return {
      id: r.id, kind: r.kind, origin: r.origin, originName: r.originName, createdAt: r.createdAt,
      address,
      accounts: granted.map((a) => ({ address: a, name: names.get(a) ?? 'Unknown account' })),
      intent,
      asset: facts && facts.asset !== null && intent.op !== 'issue' ? { id: facts.asset, symbol: facts.symbol, decimals: facts.decimals } : null,
      amountText: symbol !== null && decimals !== null
        ? `${displayUnits(amount, decimals, decimals)} ${symbol}`
        : `${amount} smallest units${intent.op === 'transfer' ? ` of secret asset #${intent.asset}` : ''}`,
      to,
      toName: to === null ? null : names.get(to) ?? null,
      attestationLabel,
      warning,
      refusal,
      relay,
    };
  }

  /** Why `address` cannot do `intent`, when its balances show it (null: it can, or that cannot be told now). */
  async #refusal(address: string, intent: SecretIntent): Promise<string | null> {
    try {
      await ensureAffordable(this.#d.gateway, await this.#d.accounts.pair(address), intent);
      return null;
    } catch (e) {
      return e instanceof WalletError && e.code === 'InvalidInput' ? e.message : null;
    }
  }

  /**
   * The user approved: everything that can refuse (revoked site, locked wallet, untrusted worker) is
   * checked while the request still waits, so its window shows why; then it leaves the queue and is sent.
   */
  async approve(r: PendingSecretRequest, chosen?: string): Promise<void> {
    const { intent } = r.payload;
    let address: string;
    try {
      if (r.payload.address !== null && chosen !== undefined && chosen !== r.payload.address) {
        throw invalid('The site asked for a specific account. Approve it with that account, or reject it.');
      }
      const wanted = r.payload.address ?? chosen ?? (await this.#d.authorization.site(r.origin)).addresses[0] ?? '';
      address = await this.#d.authorization.allowedAddress(r.origin, wanted);
      notToSelf(address, intent);
    } catch (e) {
      await this.#d.queue.reject(r.id, e as WalletError);
      throw e;
    }
    const pair = await this.#d.accounts.pair(address);
    try {
      await this.#d.gateway.client();
    } catch (e) {
      // Stopped by the pin: this approval is refused for good, not left waiting for a better moment.
      if (e instanceof WalletError && isPinRefusal(e)) await this.#d.queue.reject(r.id, e);
      throw e;
    }
    const facts = await operationFacts(this.#d.gateway, intent);
    await ensureAffordable(this.#d.gateway, pair, intent); // stays waiting: the view says why
    const taken = await this.#d.queue.detach(r.id);
    if (!taken) return; // answered meanwhile (a second click): it was sent once
    await this.#d.runner.start(pair, address, intent, facts, { origin: r.origin, targets: taken.targets });
  }
}
