/**
 * Programmatic entry: `startChain()` brings up the dev chain (node + WebSocket RPC) for tests and
 * the `npm start` orchestrator; `npm run chain` is a thin CLI around it.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { BLOCK_LOG_FILE, CHANGES_LOG_FILE } from './config';
import { buildMetadata } from './metadata/build';
import { loadOrCreateAuthority } from './node/authority';
import { BlockLog } from './node/blockLog';
import { Chain } from './node/chain';
import { rpcMethods } from './rpc/methods';
import { serveRpc } from './rpc/server';
import { Runtime } from './runtime/runtime';
import type { Verifier } from './runtime/signature';

export interface StartChainOptions {
  /** 0 picks a free port. Default 9944. */
  port?: number;
  host?: string;
  /** Keeps blocks and the authority seed across restarts. Without it: a temp dir removed on close. */
  basePath?: string;
  /** Interval block production; instant sealing when absent. */
  blockTimeMs?: number;
  /** Concise operational messages (never secrets). Default: silent. */
  log?: (line: string) => void;
  /** Signature verification (the CLI passes a worker-thread verifier); inline by default. Closed with the chain. */
  verifier?: Verifier;
  /** Block timestamps (ms since the epoch); the wall clock by default. Tests use it to set chain time. */
  clock?: () => number;
}

export interface RunningChain {
  url: string;
  port: number;
  genesisHash: string;
  basePath: string;
  /** Hex ed25519 seed of this chain's dev attestation authority (mode 0600): the local worker signs its dev report with it. */
  devAuthoritySeedPath: string;
  chain: Chain;
  close(): Promise<void>;
}

export async function startChain(opts: StartChainOptions = {}): Promise<RunningChain> {
  await cryptoWaitReady();
  const log = opts.log ?? (() => undefined);
  const temporary = opts.basePath === undefined;
  const basePath = opts.basePath ?? mkdtempSync(join(tmpdir(), 'dark-wallet-chain-'));
  mkdirSync(basePath, { recursive: true, mode: 0o700 });

  const authority = loadOrCreateAuthority(basePath);
  const meta = buildMetadata();
  const opened = BlockLog.open(join(basePath, BLOCK_LOG_FILE));
  if (opened.droppedBytes) log(`block log: dropped a torn last record (${opened.droppedBytes} bytes); earlier blocks intact`);
  const changes = BlockLog.open(join(basePath, CHANGES_LOG_FILE));
  const chain = new Chain({
    runtime: new Runtime(meta), authorityPub: authority.publicKey, log: { ...opened, changes }, blockTimeMs: opts.blockTimeMs, verifier: opts.verifier,
    clock: opts.clock,
  });
  if (opened.records.length) log(`replayed ${opened.records.length} blocks, head #${chain.head.number} ${chain.head.hash}`);

  const host = opts.host ?? '127.0.0.1';
  let server;
  try {
    server = await serveRpc(opts.port ?? 9944, host, rpcMethods(chain, meta));
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
    chain,
    close: async () => {
      await server.close();
      await chain.close();
      if (temporary) rmSync(basePath, { recursive: true, force: true });
    },
  };
}
