/** Endpoint and contract-id fields as people type them: normalised, or a sentence naming what to fix. */
import { invalid } from '../validate';

const CHAIN_PROTOCOLS = ['ws:', 'wss:'];
const WORKER_PROTOCOLS = ['http:', 'https:'];

/** An endpoint URL with one of the allowed protocols, or null. */
function endpoint(x: unknown, protocols: readonly string[]): string | null {
  if (typeof x !== 'string' || x.length > 2048) return null;
  try {
    const url = new URL(x.trim());
    return protocols.includes(url.protocol) && url.hostname ? url.toString().replace(/\/$/, '') : null;
  } catch {
    return null;
  }
}

/**
 * The worker endpoint setting when the user pins none: the wallet asks the contract's attested
 * workers the chain names, and moves to another when one does not answer (shared/client/worker-pool.ts).
 */
export const WORKERS_FROM_CHAIN = '';

export const chainEndpointOrNull = (x: unknown): string | null => endpoint(x, CHAIN_PROTOCOLS);
/** A pinned worker URL, `WORKERS_FROM_CHAIN` for an empty field, or null. */
export const workerEndpointOrNull = (x: unknown): string | null =>
  typeof x === 'string' && x.trim() === WORKERS_FROM_CHAIN ? WORKERS_FROM_CHAIN : endpoint(x, WORKER_PROTOCOLS);
/** The relayer is an http(s) service like a worker (by default a worker serves `/relay`); none is stored as null, not ''. */
export const relayEndpointOrNull = (x: unknown): string | null => endpoint(x, WORKER_PROTOCOLS);
/** Contract ids are u32 on chain. */
export const contractIdOrNull = (x: unknown): number | null => (typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 0xffff_ffff ? x : null);

export function chainEndpoint(x: unknown): string {
  const url = chainEndpointOrNull(x);
  if (!url) throw invalid('Enter the chain endpoint as a ws:// or wss:// address, for example ws://127.0.0.1:9944.');
  return url;
}

export function workerEndpoint(x: unknown): string {
  const url = workerEndpointOrNull(x);
  if (url === null) throw invalid('Enter the worker endpoint as an http:// or https:// address, for example http://127.0.0.1:8000, or leave it empty to use the workers the chain names.');
  return url;
}

/** A typed relayer endpoint; empty (or null) means none: secret operations are sent directly. */
export function relayEndpoint(x: unknown): string | null {
  if (x === null || (typeof x === 'string' && x.trim() === '')) return null;
  const url = relayEndpointOrNull(x);
  if (!url) throw invalid('Enter the relayer endpoint as an http:// or https:// address, for example http://127.0.0.1:8000, or leave it empty to send directly.');
  return url;
}

export function contractId(x: unknown): number {
  const id = contractIdOrNull(x);
  if (id === null) throw invalid('Enter the contract id as a whole number, for example 1.');
  return id;
}
