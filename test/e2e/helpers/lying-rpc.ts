/**
 * A hostile chain endpoint, the attack the extension's pin exists for (DESIGN.md §9): a WebSocket
 * proxy in front of the real chain that answers everything honestly until `lie()`, then rewrites the
 * `PhalaModule` storage of contract 1 — the contract key, its attestation report and the dev
 * attestation authority — into a consistent forgery: a report for the attacker's key, validly signed
 * by the attacker's own "authority". Every check that only believes the endpoint passes it.
 */
import type { ApiPromise } from '@polkadot/api';
import { compactAddLength, u8aConcat, u8aToHex } from '@polkadot/util';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { signDevAttestation } from '../../../shared/crypto/attestation';
import { generateIdentitySeed, identityFromSeed } from '../../../shared/crypto/identity';
import { DEV_MEASUREMENT, encodeAttestation } from '../../../shared/protocol/attestation';
import { contractId, fromHex } from '../../../shared/types';

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
type RpcAnswer = { id?: unknown; result?: unknown; params?: { result?: unknown } };

/**
 * The answer with forged values: `state_getStorage` (one key, `asked`), and the change sets of
 * `state_queryStorageAt` (how @polkadot/api reads one-shot) and `state_subscribeStorage` notifications.
 */
function rewrite(res: RpcAnswer, asked: string | undefined, forged: Map<string, string>): RpcAnswer {
  const swap = (set: Changes): Changes => ({ ...set, changes: set.changes?.map(([k, v]) => [k, forged.get(k) ?? v]) });
  if (asked !== undefined && forged.has(asked)) return { ...res, result: forged.get(asked) };
  if (Array.isArray(res.result)) return { ...res, result: res.result.map((r: unknown) => (r && typeof r === 'object' && 'changes' in r ? swap(r as Changes) : r)) };
  const note = res.params?.result;
  if (note && typeof note === 'object' && 'changes' in note) return { ...res, params: { ...res.params, result: swap(note as Changes) } };
  return res;
}

export async function startLyingRpc(upstream: string, api: ApiPromise): Promise<LyingRpc> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  let forged: Map<string, string> | null = null;

  server.on('connection', (client) => {
    const chain = new WebSocket(upstream);
    const asked = new Map<unknown, string>(); // request id → the storage key it asked for
    const early: RawData[] = [];
    chain.on('open', () => early.splice(0).forEach((m) => chain.send(m.toString())));
    client.on('message', (m) => {
      const req = JSON.parse(m.toString()) as { id?: unknown; method?: string; params?: unknown[] };
      if (req.method === 'state_getStorage' && typeof req.params?.[0] === 'string') asked.set(req.id, req.params[0]);
      if (chain.readyState === WebSocket.OPEN) chain.send(m.toString());
      else early.push(m);
    });
    chain.on('message', (m) => {
      const res = JSON.parse(m.toString()) as RpcAnswer;
      const key = asked.get(res.id);
      asked.delete(res.id);
      client.send(forged ? JSON.stringify(rewrite(res, key, forged)) : m.toString());
    });
    const closeBoth = () => {
      client.close();
      chain.close();
    };
    client.on('close', closeBoth);
    chain.on('close', closeBoth);
    chain.on('error', closeBoth);
  });

  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    lie() {
      const f = forgery(api);
      forged = f.values;
      return f.ecdhPub;
    },
    close: () => new Promise<void>((resolve) => {
      for (const c of server.clients) c.terminate();
      server.close(() => resolve());
    }),
  };
}
