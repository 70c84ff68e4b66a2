/**
 * Publishes where this worker answers (`phalaModule.setWorkerEndpoint`), signed inside the enclave by
 * its identity key, so clients find it from the chain. Submitted once per change: a restarted worker
 * whose endpoint the chain already holds sends nothing.
 */
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import type {} from '../../shared/protocol/phala-augment';
import { submitAndWatch } from '../../shared/client/submit';
import { workerEndpointProblem } from '../../shared/protocol/worker-endpoint';
import { toHex } from '../../shared/types';
import type { Enclave } from '../enclave';
import { WorkerError } from './errors';

/** Throws `WorkerError('BadPublicUrl')` for a URL the chain would refuse, before anything is sent. */
export function checkPublicUrl(url: string): string {
  const problem = workerEndpointProblem(url);
  if (problem) throw new WorkerError('BadPublicUrl', `--public-url ${JSON.stringify(url.slice(0, 80))} cannot be published: ${problem}`);
  return url;
}

export async function publishEndpoint(api: ApiPromise, enclave: Enclave, pair: KeyringPair, url: string, log: (l: string) => void): Promise<void> {
  const identity = toHex(enclave.identityPub);
  const current = await api.query.phalaModule.workerEndpoint(identity);
  if (current.isSome && new TextDecoder().decode(current.unwrap().url.toU8a(true)) === url) return;
  const signature = enclave.signEndpoint(checkPublicUrl(url));
  // Hex, not Uint8Array: polkadot-js reads a Uint8Array `Bytes` argument as already length-prefixed.
  await submitAndWatch(api, api.tx.phalaModule.setWorkerEndpoint(identity, toHex(new TextEncoder().encode(url)), signature), pair);
  log(`published endpoint ${url} on chain`);
}
