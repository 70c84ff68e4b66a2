/**
 * Where a worker answers queries, as it publishes it on chain (`phalaModule.setWorkerEndpoint`):
 * an http(s) URL signed by the worker's own identity key, so only the attested enclave can say
 * where it is and nobody else can redirect its clients. Pure: the pallet, the worker host and every
 * client check the same rules and the same message.
 *
 * Message: "dark-wallet/v1/worker-endpoint" | genesisHash | identityPub (32) | u32 LE length | UTF-8 URL.
 */
import { domainMessage } from './domain';
import { ProtocolError } from '../errors';

/** The longest endpoint the chain stores (bytes): a host name, a port and a short path. */
export const MAX_WORKER_ENDPOINT_BYTES = 200;

const utf8 = new TextEncoder();

/**
 * Why `url` cannot be a worker endpoint, or null when it can: printable ASCII, at most
 * MAX_WORKER_ENDPOINT_BYTES, http or https with a host, no credentials, query or fragment (clients
 * append `/query`, `/session` and `/health` to it).
 */
export function workerEndpointProblem(url: string): string | null {
  if (url.length === 0 || url.length > MAX_WORKER_ENDPOINT_BYTES) return `A worker endpoint is 1 to ${MAX_WORKER_ENDPOINT_BYTES} characters long.`;
  if (!/^[\x21-\x7e]+$/.test(url)) return 'A worker endpoint is printable ASCII without spaces.';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'A worker endpoint must be a URL such as https://worker.example:8000.';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'A worker endpoint starts with http:// or https://.';
  if (!url.toLowerCase().startsWith(`${parsed.protocol}//`)) return 'A worker endpoint starts with http:// or https://.';
  if (parsed.hostname === '') return 'A worker endpoint names a host.';
  if (parsed.username || parsed.password || url.includes('@')) return 'A worker endpoint carries no user name or password.';
  if (url.includes('?') || url.includes('#')) return 'A worker endpoint has no query or fragment.';
  return null;
}

/** `url` when it is a valid worker endpoint; throws `ProtocolError('FieldTooLong' | 'BadEndpoint')` otherwise. */
export function checkWorkerEndpoint(url: string): string {
  const problem = workerEndpointProblem(url);
  if (problem === null) return url;
  throw new ProtocolError(url.length > MAX_WORKER_ENDPOINT_BYTES ? 'FieldTooLong' : 'BadEndpoint', problem);
}

/** The bytes a worker's identity key signs to publish `url` on the chain with `genesisHash`. */
export function workerEndpointMessage(genesisHash: Uint8Array, identityPub: Uint8Array, url: string): Uint8Array {
  if (identityPub.length !== 32) throw new ProtocolError('BadLength', 'An identity key is 32 bytes.');
  const text = utf8.encode(checkWorkerEndpoint(url));
  const body = new Uint8Array(32 + 4 + text.length);
  body.set(identityPub);
  new DataView(body.buffer).setUint32(32, text.length, true);
  body.set(text, 36);
  return domainMessage('worker-endpoint', genesisHash, body);
}
