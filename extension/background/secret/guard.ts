/**
 * The contract pin, enforced. Before anything is sealed (and on every finalized head while secret assets
 * are in use) the chain's `PhalaModule` state is read afresh and judged against the pin
 * (pinning.ts): a changed key or a removed measurement blocks every secret operation at once with a
 * typed refusal, and `onBlocked` lets the services refuse what waits. Only `accept` — the user's
 * explicit action in the warning — moves the pin to a new key, after verifying it again.
 */
import { contractKeyAllowed, trustContract, type TrustedContract } from '../../../shared/client/contract';
import { toHex } from '../../../shared/types';
import { WalletError } from '../../messages/errors';
import type { DarkBackend, DarkConnector } from './backend';
import { contractKeyChanged, measurementRevoked } from './errors';
import { judgeContract, pinOf, sameKey, seenKey, type SeenKey } from './pinning';
import type { ContractPin, PinStore } from './pins';

/** Why secret operations are stopped, with what the warning shows. */
export type PinBlock =
  | { kind: 'keyChanged'; pinned: ContractPin; seen: SeenKey; error: WalletError }
  | { kind: 'revoked'; pinned: ContractPin; error: WalletError };

export interface GuardDeps {
  connector: DarkConnector;
  pins: PinStore;
  now: () => number;
  /** Secret operations have just become blocked (they were not a moment ago). */
  onBlocked(block: PinBlock): Promise<void>;
}

export class ContractGuard {
  readonly #d: GuardDeps;
  #block: PinBlock | null = null;
  #watch: Promise<(() => void) | null> | null = null;
  #checking: Promise<unknown> | null = null;

  constructor(deps: GuardDeps) {
    this.#d = deps;
  }

  /** The current block, as the last check found it. */
  block(): PinBlock | null {
    return this.#block;
  }

  /** Judges the chain's state now: the pinned contract (pinned now on first use), or the typed refusal. */
  async check(): Promise<TrustedContract> {
    const state = await this.#d.connector.contractState();
    const pinned = await this.#d.pins.get(toHex(state.genesisHash), state.contractId);
    const verdict = judgeContract(state, pinned, this.#d.now());
    switch (verdict.kind) {
      case 'firstUse':
      case 'trusted':
        if (verdict.kind === 'firstUse' || verdict.pin.workers.length !== pinned?.workers.length) await this.#d.pins.put(verdict.pin);
        this.#block = null;
        return verdict.contract;
      case 'keyChanged':
        return this.#stop({ kind: 'keyChanged', pinned: verdict.pinned, seen: verdict.seen, error: contractKeyChanged() });
      case 'revoked':
        return this.#stop({ kind: 'revoked', pinned: verdict.pinned, error: measurementRevoked() });
    }
  }

  /**
   * The connected client, once the chain's state is judged and the client seals to the pinned key.
   * Starts following finalized heads, so a change stops operations even while nobody asks.
   */
  async verified(): Promise<DarkBackend> {
    const contract = await this.check();
    let client = await this.#d.connector.client();
    if (!samePub(client, contract)) {
      this.#d.connector.reset(); // connected before the user accepted another key: connect to the pinned one
      client = await this.#d.connector.client();
      if (!samePub(client, contract)) throw contractKeyChanged();
    }
    this.#follow();
    return client;
  }

  /**
   * The user accepted the new key `ecdhPub` shown in the warning: verified afresh, then pinned. A
   * revoked measurement, or a key that changed again since it was shown, cannot be accepted.
   */
  async accept(ecdhPub: string): Promise<void> {
    const state = await this.#d.connector.contractState();
    const seen = seenKey(state);
    if (seen === null || seen.ecdhPub !== ecdhPub.toLowerCase()) {
      throw new WalletError('InvalidInput', 'The contract key changed again since it was shown. Read the new warning before deciding.');
    }
    const pinned = await this.#d.pins.get(toHex(state.genesisHash), state.contractId);
    if (pinned && sameKey(pinned, seen) && !contractKeyAllowed(state, this.#d.now())) throw measurementRevoked();
    const contract = trustContract(state); // throws UntrustedWorker (a removed measurement included): nothing is pinned
    await this.#d.pins.put(pinOf(contract, state, this.#d.now()));
    this.#block = null;
    this.#d.connector.reset();
  }

  /** Stops following heads (the endpoints changed, or the wallet locked). */
  stop(): void {
    const watch = this.#watch;
    this.#watch = null;
    void watch?.then((unsubscribe) => unsubscribe?.());
  }

  async #stop(block: PinBlock): Promise<never> {
    const fresh = this.#block?.kind !== block.kind;
    this.#block = block;
    if (fresh) await this.#d.onBlocked(block);
    throw block.error;
  }

  #follow(): void {
    if (this.#watch) return;
    const watch = this.#d.connector.watchHeads(() => this.#onHead()).catch(() => null);
    this.#watch = watch;
    void watch.then((unsubscribe) => {
      if (unsubscribe === null && this.#watch === watch) this.#watch = null; // try again on the next use
    });
  }

  #onHead(): void {
    if (this.#checking) return; // one check at a time; the next head checks again
    this.#checking = this.check().catch(() => undefined).finally(() => {
      this.#checking = null;
    });
  }
}

const samePub = (client: DarkBackend, contract: TrustedContract): boolean => toHex(client.contract.contractPub) === toHex(contract.contractPub);
