/**
 * The secret services' one way to the chain and the worker. Every failure on the way — the SDK's
 * `ClientError`s, a dropped chain connection, a library error — leaves as a `WalletError` sentence
 * (errors.ts) here and nowhere else, so no service turns errors into words of its own.
 */
import type { AssetInfo } from '../../../shared/protocol/ledger';
import type { WalletError } from '../../messages/errors';
import type { AnsweringHealth, DarkBackend, DarkConnector } from './backend';
import { secretError, type ErrorEndpoints } from './errors';
import type { ContractGuard, PinBlock } from './guard';

export class SecretGateway {
  readonly #connector: DarkConnector;
  readonly #guard: ContractGuard;
  readonly #endpoints: () => Promise<ErrorEndpoints>;

  constructor(connector: DarkConnector, guard: ContractGuard, endpoints: () => Promise<ErrorEndpoints>) {
    this.#connector = connector;
    this.#guard = guard;
    this.#endpoints = endpoints;
  }

  /** Any failure as the sentence people read (naming the configured worker or relayer where it matters). */
  async explain(e: unknown): Promise<WalletError> {
    return secretError(e, await this.#endpoints());
  }

  /** The verified client: the chain's state judged against the pinned contract key just now. */
  async client(): Promise<DarkBackend> {
    return this.run((client) => Promise.resolve(client));
  }

  /** Runs `fn` on the verified client; whatever fails, it fails with a `WalletError`. */
  async run<T>(fn: (client: DarkBackend) => Promise<T>): Promise<T> {
    try {
      return await fn(await this.#guard.verified());
    } catch (e) {
      throw await this.explain(e);
    }
  }

  assets(): Promise<AssetInfo[]> {
    return this.run((client) => client.assets());
  }

  /** The chain's native token (secret asset 0 mirrors it). */
  token(): Promise<{ symbol: string; decimals: number }> {
    return this.#connector.token();
  }

  /** A worker's `/health`, unexplained: the status view says itself what unreachable means. */
  health(): Promise<AnsweringHealth> {
    return this.#connector.health();
  }

  txHash(blockHash: string, index: number): Promise<string | null> {
    return this.#connector.txHash(blockHash, index);
  }

  /** Why secret operations are stopped by the pin, as the last check found it. */
  pinBlock(): PinBlock | null {
    return this.#guard.block();
  }

  /** The user's explicit acceptance of the new contract key shown in the warning. */
  async acceptContractKey(ecdhPub: string): Promise<void> {
    try {
      await this.#guard.accept(ecdhPub);
    } catch (e) {
      throw await this.explain(e);
    }
  }

  /** Drops the client and its query sessions (locked, or the endpoints changed). */
  reset(): void {
    this.#guard.stop();
    this.#connector.reset();
  }
}
