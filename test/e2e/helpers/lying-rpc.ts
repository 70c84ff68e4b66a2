/**
 * A hostile chain endpoint, the attack the extension's pin exists for (DESIGN.md §9): a WebSocket
 * proxy in front of the real chain that answers everything honestly until `lie()`, then rewrites the
 * `PhalaModule` storage of contract 1 — the contract key, its attestation report and the dev
 * attestation authority — into a consistent forgery: a report for the attacker's key, validly signed
 * by the attacker's own "authority". Every check that only believes the endpoint passes it.
 */
import type { ApiPromise } from '@polkadot/api';
import { compactAddLength, u8aConcat, u8aToHex } from '@polkadot/util';
import { signDevAttestation } from '../../../shared/crypto/attestation';
import { generateIdentitySeed, identityFromSeed } from '../../../shared/crypto/identity';
import { DEV_MEASUREMENT, encodeAttestation } from '../../../shared/protocol/attestation';
import { contractId, fromHex } from '../../../shared/types';
import { startRpcProxy } from '../../helpers/rpc-proxy';

export interface LyingRpc {
  url: string;
  /** The attacker's contract key (hex), once `lie()` was called. */
  lie(): string;
  close(): Promise<void>;
}

/** The forged storage values, by storage key (what `state_getStorage` answers for them). */
function forgery(api: ApiPromise): { values: Map<string, string>; ecdhPub: string } {
  const authority = identityFromSeed(generateIdentitySeed());
  const identityPub = identityFromSeed(generateIdentitySeed()).publicKey;
  const ecdhPub = identityFromSeed(generateIdentitySeed()).publicKey; // any 32 bytes the attacker holds the secret of
  const report = signDevAttestation(authority, api.genesisHash.toU8a(), {
    provider: 'Dev', contractId: contractId(1), measurement: DEV_MEASUREMENT, identityPub, ecdhPub, issuedAt: BigInt(Date.now()),
  });
  const pallet = api.query.phalaModule;
  const values = new Map<string, string>([
    [pallet.contractKeys.key(1), u8aToHex(u8aConcat(ecdhPub, identityPub, fromHex(DEV_MEASUREMENT)))],
    [pallet.contractAttestation.key(1), u8aToHex(compactAddLength(encodeAttestation(report)))],
    [pallet.devAttestationAuthority.key(), u8aToHex(authority.publicKey)],
  ]);
  return { values, ecdhPub: u8aToHex(ecdhPub) };
}

type Changes = { changes?: [string, string | null][] };

/**
 * The answer with forged values: `state_getStorage` (one key), and the change sets of
 * `state_queryStorageAt` (how @polkadot/api reads one-shot) and `state_subscribeStorage` notifications.
 */
function rewrite(method: string, params: unknown[], result: unknown, forged: Map<string, string>): unknown {
  const swap = (set: Changes): Changes => ({ ...set, changes: set.changes?.map(([k, v]) => [k, forged.get(k) ?? v]) });
  const asked = params[0];
  if (method === 'state_getStorage' && typeof asked === 'string' && forged.has(asked)) return forged.get(asked);
  if (Array.isArray(result)) return result.map((r: unknown) => (r && typeof r === 'object' && 'changes' in r ? swap(r as Changes) : r));
  if (result && typeof result === 'object' && 'changes' in result) return swap(result as Changes);
  return result;
}

export async function startLyingRpc(upstream: string, api: ApiPromise): Promise<LyingRpc> {
  let forged: Map<string, string> | null = null;
  const proxy = await startRpcProxy(upstream, (method, params, result) => (forged ? rewrite(method, params, result, forged) : result));
  return {
    url: proxy.url,
    lie() {
      const f = forgery(api);
      forged = f.values;
      return f.ecdhPub;
    },
    close: () => proxy.close(),
  };
}
