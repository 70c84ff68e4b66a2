/** HTTP transport to a worker host's query server. Bodies are opaque bytes (envelopes and frames). */
import { ClientError } from './errors';

export interface WorkerHealth {
  lastBlock: number;
  lastBlockHash: string | null;
  contractId: number;
  contractPub: string;
  identityPub: string;
  attestation: { provider: string; label: string; measurement: string };
}

export type FetchLike = (url: string, init?: { method?: string; body?: Uint8Array; headers?: Record<string, string>; signal?: AbortSignal }) => Promise<{
  ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer>; json(): Promise<unknown>; text(): Promise<string>;
}>;

export class WorkerTransport {
  readonly #base: string;
  readonly #fetch: FetchLike;

  constructor(baseUrl: string, fetchImpl?: FetchLike) {
    this.#base = baseUrl.replace(/\/+$/, '');
    // Browsers refuse fetch called with any receiver but the global ("Illegal invocation").
    this.#fetch = fetchImpl ?? (globalThis.fetch.bind(globalThis) as unknown as FetchLike);
  }

  get url(): string {
    return this.#base;
  }

  async #post(path: string, body: Uint8Array): Promise<Uint8Array> {
    let res;
    try {
      res = await this.#fetch(`${this.#base}${path}`, {
        method: 'POST', body, headers: { 'content-type': 'application/octet-stream' }, signal: AbortSignal.timeout(15_000),
      });
    } catch {
      throw new ClientError('WorkerUnavailable', `The worker at ${this.#base} is not reachable. Check that it is running and that this is its address.`);
    }
    // Busy (429) or failing (5xx) is not an answer to the query: another worker may give one.
    if (res.status === 429 || res.status >= 500) {
      throw new ClientError('WorkerUnavailable', `The worker at ${this.#base} cannot serve right now (${res.status}).`);
    }
    if (!res.ok) {
      let detail = '';
      try {
        detail = ((await res.json()) as { error?: string }).error ?? '';
      } catch { /* body was not JSON */ }
      throw new ClientError('WorkerRejected', `The worker refused the request (${res.status}${detail ? `: ${detail}` : ''}).`, detail || undefined);
    }
    return new Uint8Array(await res.arrayBuffer());
  }

  query(envelope: Uint8Array): Promise<Uint8Array> {
    return this.#post('/query', envelope);
  }

  session(frame: Uint8Array): Promise<Uint8Array> {
    return this.#post('/session', frame);
  }

  async health(): Promise<WorkerHealth> {
    try {
      const res = await this.#fetch(`${this.#base}/health`, { signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw new Error(String(res.status));
      return (await res.json()) as WorkerHealth;
    } catch {
      throw new ClientError('WorkerUnavailable', `The worker at ${this.#base} is not reachable. Check that it is running and that this is its address.`);
    }
  }
}
