/**
 * The worker host (untrusted): follows finalized blocks through @polkadot/api, feeds them to the
 * enclave in order exactly once, persists the sealed state after each block, relays withdraw
 * receipts and serves encrypted queries. It logs heights and counts, never a secret.
 */
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { join } from 'node:path';
import type {} from '../../shared/protocol/phala-augment';
import { existentialDeposit } from '../../shared/client/chain-constants';
import { chainProperties } from '../../shared/client/chain-properties';
import { submitAndWatch } from '../../shared/client/submit';
import { DarkWalletError } from '../../shared/errors';
import { encodeAttestation, PROVIDER_LABEL } from '../../shared/protocol/attestation';
import { contractId as toContractId, toHex } from '../../shared/types';
import { Enclave, EnclaveSecret, type AttestationProvider, type SignedReceipt } from '../enclave';
import { openAttestationProvider, type AttestationChoice } from './attestation/choose';
import { readFileIfExists, writeFileAtomic } from './atomic-file';
import { readBlock } from './block-items';
import { startQueryServer, type QueryServer } from './query-server';
import { Relayer } from './relayer';
import { decodeSnapshot, encodeSnapshot } from './snapshot';

export interface WorkerOptions {
  chainUrl: string;
  basePath: string;
  port: number;
  /** Dev: the dev chain's `dev-attestation-authority.seed` (hex); TDX or SGX: the quote interface's root and the PCCS. */
  attestation: AttestationChoice;
  /** The contract this worker serves (configuration: `--contract`). */
  contractId: number;
  /** Funded account that pays for registerWorker and transferToChain. */
  relayerSuri?: string;
  /** Seal at most this often (ms). Replay from the last snapshot is deterministic, so sealing less often loses nothing. */
  sealIntervalMs?: number;
  log?: (line: string) => void;
}

export interface RunningWorker {
  url: string;
  enclave: Enclave;
  api: ApiPromise;
  /** Resolves when the worker has processed `block`. */
  processed(block: number): Promise<void>;
  close(): Promise<void>;
}

export class WorkerError extends DarkWalletError {}

/**
 * polkadot-js caches every call made at a block hash as a promise — a rejected one too — and
 * refreshes an entry on each hit, so a block read that failed while the chain was down would fail
 * the same way forever once it is back. The worker reads each block once: it loses nothing by
 * never caching.
 */
class UncachedWsProvider extends WsProvider {
  override send<T = unknown>(method: string, params: unknown[], _isCacheable?: boolean, subscription?: Parameters<WsProvider['send']>[3]): Promise<T> {
    return super.send<T>(method, params, false, subscription);
  }
}

const FILES = { keyFile: 'enclave.key', secret: 'enclave.secret', snapshot: 'state.snapshot' } as const;

async function loadSecret(basePath: string): Promise<EnclaveSecret> {
  const keyFile = readFileIfExists(join(basePath, FILES.keyFile));
  const wrapped = readFileIfExists(join(basePath, FILES.secret));
  if (keyFile && wrapped) return EnclaveSecret.unwrapForDev(wrapped, keyFile);
  const secret = EnclaveSecret.generate();
  const newKeyFile = EnclaveSecret.newDevKeyFile();
  writeFileAtomic(join(basePath, FILES.keyFile), newKeyFile);
  writeFileAtomic(join(basePath, FILES.secret), secret.wrapForDev(newKeyFile));
  return secret;
}

export async function startWorker(opts: WorkerOptions): Promise<RunningWorker> {
  const log = opts.log ?? ((l: string) => console.log(l));
  await cryptoWaitReady();
  const api = await ApiPromise.create({ provider: new UncachedWsProvider(opts.chainUrl), noInitWarn: true });
  const genesisHash = api.genesisHash.toU8a();
  const contractId = toContractId(opts.contractId);
  const config = { genesisHash, contractId, minWithdraw: existentialDeposit(api) }; // the ledger refuses unpayable withdrawals

  const secret = await loadSecret(opts.basePath);
  const snapshotPath = join(opts.basePath, FILES.snapshot);
  const saved = readFileIfExists(snapshotPath);
  let pending: SignedReceipt[] = [];
  let enclave: Enclave;
  if (saved) {
    const snap = decodeSnapshot(saved);
    enclave = await Enclave.restore(secret, config, snap.sealed);
    pending = snap.pending;
    log(`restored sealed state at block #${enclave.lastBlock}`);
  } else {
    const { tokenSymbol: symbol, tokenDecimals: decimals } = chainProperties(api);
    enclave = await Enclave.create(secret, { ...config, firstBlock: 1, native: { symbol, name: `Secret ${symbol}`, decimals } });
    log('created a new contract state');
  }

  const relayerPair = new Keyring({ type: 'sr25519' }).addFromUri(opts.relayerSuri ?? '//Ferdie');
  const provider = await openAttestationProvider(opts.attestation, genesisHash, opts.basePath);
  await ensureRegistered(api, enclave, provider, relayerPair, contractId, log);

  // Sealing encodes the whole ledger (seconds at 100k accounts), so it runs on a timer, not per block:
  // after a crash the worker replays from the snapshot's block and re-derives the same state and the
  // same signed receipts (the relayer skips those the chain already paid).
  let sealedBlock = enclave.lastBlock;
  let sealedAt = Date.now();
  const interval = opts.sealIntervalMs ?? 1000;
  let trailing: NodeJS.Timeout | null = null;
  const persist = (force = false) => {
    if (enclave.lastBlock === sealedBlock) return;
    if (!force && Date.now() - sealedAt < interval) {
      trailing ??= setTimeout(() => { trailing = null; persist(true); }, interval); // an idle worker ends up sealed
      return;
    }
    writeFileAtomic(snapshotPath, encodeSnapshot({ sealed: enclave.seal(), pending }));
    sealedBlock = enclave.lastBlock;
    sealedAt = Date.now();
  };
  const relayer = new Relayer(api, relayerPair, log, (seq) => { pending = pending.filter((p) => p.receipt.seq !== seq); });
  relayer.enqueue(pending);

  const server: QueryServer = await startQueryServer({
    query: (body) => enclave.handleQuery(body, Date.now()),
    session: (body) => enclave.handleSessionQuery(body, Date.now()),
    health: () => ({
      ...enclave.health(),
      attestation: { provider: provider.kind, label: PROVIDER_LABEL[provider.kind], measurement: provider.measurement },
      pendingReceipts: relayer.pending,
      stuckReceipts: relayer.stuck(),
    }),
  }, { port: opts.port, log });

  // Blocks are processed one after another; heads that arrive meanwhile only raise the target.
  let target = 0;
  let following: Promise<void> | null = null;
  let stopped = false;
  const waiters: { block: number; resolve: () => void }[] = [];
  const follow = async () => {
    while (!stopped && enclave.lastBlock < target) {
      // A request sent while the socket reconnects can stay unanswered forever; a deadline turns
      // that into an error, so the loop retries instead of stalling (seen when the chain restarts).
      const block = await withDeadline(readBlock(api, enclave.lastBlock + 1), 20_000);
      const result = await enclave.processBlock(block.number, block.hash, block.items);
      pending = [...pending, ...result.receipts];
      persist();
      if (block.items.length || result.receipts.length) {
        log(`block #${block.number}: ${block.items.length} item(s), ${result.receipts.length} receipt(s)`);
      }
      relayer.enqueue(result.receipts);
      server.notifyBlock(block.number);
      for (let i = waiters.length - 1; i >= 0; i--) if (waiters[i].block <= block.number) waiters.splice(i, 1)[0].resolve();
    }
  };
  let retry: NodeJS.Timeout | null = null;
  const kick = () => {
    following ??= follow().then(() => true, (e: unknown) => {
      log(`block processing stopped: ${e instanceof DarkWalletError ? e.code : e instanceof Error ? e.name : 'error'}; retrying`);
      retry ??= setTimeout(() => { retry = null; if (!stopped) kick(); }, 1000);
      return false;
    }).then((ok) => {
      following = null;
      // After a failure only the timer retries: kicking at once would spin (a dropped chain
      // connection fails every read instantly) and starve the event loop, reconnect included.
      if (ok && !stopped && enclave.lastBlock < target) kick();
    });
  };
  const raise = (n: number) => {
    target = Math.max(target, n);
    kick();
  };
  const unsubscribe = await api.rpc.chain.subscribeFinalizedHeads((head) => raise(head.number.toNumber()));
  // Belt and braces across chain restarts: if the subscription is not restored, polling still moves us on.
  const poll = setInterval(() => {
    api.rpc.chain.getFinalizedHead().then((h) => api.rpc.chain.getHeader(h)).then((h) => raise(h.number.toNumber()), () => {});
  }, 2000);

  log(`worker ready ${server.url} (contract ${contractId}, key ${toHex(enclave.contractPub).slice(0, 18)}…)`);
  return {
    url: server.url,
    enclave,
    api,
    processed: (block) => enclave.lastBlock >= block ? Promise.resolve() : new Promise((resolve) => waiters.push({ block, resolve })),
    async close() {
      stopped = true;
      clearInterval(poll);
      unsubscribe();
      await following?.catch(() => {});
      if (retry) clearTimeout(retry);
      if (trailing) clearTimeout(trailing);
      persist(true);
      await relayer.stop();
      await server.close();
      await api.disconnect();
    },
  };
}

function withDeadline<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WorkerError('ChainTimeout', 'The chain did not answer in time.')), ms);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

/** Registers this enclave for the contract unless the chain already knows it. */
async function ensureRegistered(
  api: ApiPromise, enclave: Enclave, provider: AttestationProvider, pair: ReturnType<Keyring['addFromUri']>,
  contractId: number, log: (l: string) => void,
): Promise<void> {
  if ((await api.query.phalaModule.contracts(contractId)).isNone) {
    throw new WorkerError('UnknownContract', `Contract ${contractId} does not exist on this chain: governance (root) creates contracts with phalaModule.createContract.`);
  }
  const keys = await api.query.phalaModule.contractKeys(contractId);
  if (keys.isSome && keys.unwrap().ecdhPub.toHex() !== toHex(enclave.contractPub)) {
    throw new WorkerError('ForeignContractKey', `Contract ${contractId} is registered to another key on this chain. Restore this worker's data directory, or start a fresh chain.`);
  }
  if ((await api.query.phalaModule.workers(toHex(enclave.identityPub))).isSome) return;
  const report = await enclave.attest(provider, Date.now());
  await submitAndWatch(api, api.tx.phalaModule.registerWorker(enclave.identityPub, enclave.contractPub, toHex(encodeAttestation(report))), pair);
  log(`registered on chain for contract ${contractId} (${PROVIDER_LABEL[report.provider]})`);
}
