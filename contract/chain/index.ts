/**
 * Programmatic entry: `startChain()` brings up the dev chain (node + WebSocket RPC) for tests and
 * the `npm start` orchestrator; `npm run chain` is a thin CLI around it.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { BLOCK_LOG_FILE, CHANGES_LOG_FILE, DEV_IDENTITY, GRANDPA_KEY_DIR, type ChainIdentity } from './config';
import { buildMetadata } from './metadata/build';
import { loadOrCreateAuthority } from './node/authority';
import { BlockLog } from './node/blockLog';
import { Chain } from './node/chain';
import { GrandpaFinality } from './node/finality';
import { GrandpaKeystore, loadOrCreateGrandpaGenesis } from './node/grandpaKeys';
import { rpcMethods } from './rpc/methods';
import { serveRpc } from './rpc/server';
import { Runtime } from './runtime/runtime';
import type { Verifier } from './runtime/signature';

const DEFAULT_FINALITY_LAG_MS = 200;

export interface StartChainOptions {
  /** 0 picks a free port. Default 9944. */
  port?: number;
  host?: string;
  /** Keeps blocks and the authority seed across restarts. Without it: a temp dir removed on close. */
  basePath?: string;
  /** Interval block production; instant sealing when absent. */
  blockTimeMs?: number;
  /** With instant sealing, an empty block after this long without one (see ChainOptions.idleBlockMs). */
  idleBlockMs?: number;
  /** Concise operational messages (never secrets). Default: silent. */
  log?: (line: string) => void;
  /** Signature verification (the CLI passes a worker-thread verifier); inline by default. Closed with the chain. */
  verifier?: Verifier;
  /** Size of the genesis GRANDPA authority set of a new base path (fresh keys, weight 1 each). Default 1. */
  grandpaAuthorities?: number;
  /**
   * Delay between a watched transaction's `inBlock` and `finalized` statuses (default 200 ms): long
   * enough for polkadot-js to fetch the block's events, so `signAndSend` callbacks see InBlock.
   */
  finalityLagMs?: number;
  /** Extra GRANDPA seeds the node signs with (beside those in `<base-path>/grandpa-keys/`), e.g. for a scheduled set. */
  grandpaSeeds?: Uint8Array[];
  /** The wall clock block timestamps come from (ms since the epoch); `Date.now` by default. */
  now?: () => number;
  /** The name and properties the chain declares; the dev chain's (`DEV_IDENTITY`) by default. */
  identity?: ChainIdentity;
}

export interface RunningChain {
  url: string;
  port: number;
  genesisHash: string;
  basePath: string;
  /** Hex ed25519 seed of this chain's dev attestation authority (mode 0600): the local worker signs its dev report with it. */
  devAuthoritySeedPath: string;
  /** `<base-path>/grandpa-keys`: `<public key hex>.seed` files the node signs justifications with. */
  grandpaKeyDir: string;
  chain: Chain;
  finality: GrandpaFinality;
  close(): Promise<void>;
}

export async function startChain(opts: StartChainOptions = {}): Promise<RunningChain> {
  await cryptoWaitReady();
  const log = opts.log ?? (() => undefined);
  const temporary = opts.basePath === undefined;
  const basePath = opts.basePath ?? mkdtempSync(join(tmpdir(), 'dark-wallet-chain-'));
  mkdirSync(basePath, { recursive: true, mode: 0o700 });

  const authority = loadOrCreateAuthority(basePath);
  const grandpaAuthorities = loadOrCreateGrandpaGenesis(basePath, opts.grandpaAuthorities);
  const grandpaKeyDir = join(basePath, GRANDPA_KEY_DIR);
  const keystore = new GrandpaKeystore(grandpaKeyDir, opts.grandpaSeeds);
  const identity = opts.identity ?? DEV_IDENTITY;
  const meta = buildMetadata(identity.properties);
  const opened = BlockLog.open(join(basePath, BLOCK_LOG_FILE));
  if (opened.droppedBytes) log(`block log: dropped a torn last record (${opened.droppedBytes} bytes); earlier blocks intact`);
  const changes = BlockLog.open(join(basePath, CHANGES_LOG_FILE));
  const chain = new Chain({
    runtime: new Runtime(meta), authorityPub: authority.publicKey, grandpaAuthorities, log: { ...opened, changes }, blockTimeMs: opts.blockTimeMs, idleBlockMs: opts.idleBlockMs, verifier: opts.verifier, now: opts.now,
  });
  if (opened.records.length) log(`replayed ${opened.records.length} blocks, head #${chain.head.number} ${chain.head.hash}`);
  const finality = new GrandpaFinality(chain, keystore);

  const host = opts.host ?? '127.0.0.1';
  let server;
  try {
    server = await serveRpc(opts.port ?? 9944, host, rpcMethods({ chain, meta, chainName: identity.name, finality, peerKey: grandpaAuthorities[0].id, finalityLagMs: opts.finalityLagMs ?? DEFAULT_FINALITY_LAG_MS }));
  } catch (e) {
    await chain.close();
    throw e;
  }
  return {
    url: server.url,
    port: server.port,
    genesisHash: chain.genesisHash,
    basePath,
    devAuthoritySeedPath: authority.seedPath,
    grandpaKeyDir,
    chain,
    finality,
    close: async () => {
      await server.close();
      await chain.close();
      if (temporary) rmSync(basePath, { recursive: true, force: true });
    },
  };
}
