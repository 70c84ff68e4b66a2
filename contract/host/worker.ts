/**
 * The worker host (untrusted): reads finalized blocks as raw bytes (BlockFollower) for the enclave
 * to verify and apply, persists the sealed state, relays withdraw receipts (released by the enclave
 * in batches at cadence boundaries) and serves encrypted queries. The public `/health` says where the
 * worker is and who it is, no counts; session and receipt counts are on the operator's local status
 * endpoint (operator-server.ts). It logs heights and counts, never a secret.
 */
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { join } from 'node:path';
import type {} from '../../shared/protocol/phala-augment';
import { existentialDeposit } from '../../shared/client/chain-constants';
import { chainProperties } from '../../shared/client/chain-properties';
import { submitAndWatch } from '../../shared/client/submit';
import { encodeAttestation, PROVIDER_LABEL } from '../../shared/protocol/attestation';
import { amount, contractId as toContractId, toHex } from '../../shared/types';
import { Enclave, EnclaveSecret, type AttestationProvider } from '../enclave';
import { openAttestationProvider, type AttestationChoice } from './attestation/choose';
import { readFileIfExists, writeFileAtomic } from './atomic-file';
import { BlockFollower, FOLLOWER_TIMINGS, type FollowerTimings } from './block-follower';
import { ChainReader } from './chain-reader';
import { WorkerError } from './errors';
import { startOperatorServer } from './operator-server';
import { startQueryServer, type QueryServer } from './query-server';
import { Relayer } from './relayer';
import { CommandRelay } from './command-relay';
import { nextSealAfterMs } from './seal-policy';
import { checkPublicUrl, publishEndpoint } from './endpoint-publisher';

export interface WorkerOptions {
  chainUrl: string;
  basePath: string;
  port: number;
  /**
   * Where clients reach this worker, published on chain (`setWorkerEndpoint`) so they find it there.
   * Default: the query server's own loopback address (`http://127.0.0.1:<port>`).
   */
  publicUrl?: string;
  /** Dev: the dev chain's `dev-attestation-authority.seed` (hex); TDX or SGX: the quote interface's root and the PCCS. */
  attestation: AttestationChoice;
  /** The contract this worker serves (configuration: `--contract`). */
  contractId: number;
  /** Funded account that pays for registerWorker (receipts go unsigned: they authenticate themselves). */
  relayerSuri?: string;
  /**
   * Run the command relayer (DESIGN.md §12) in this host: `POST /relay`, `GET /relay/quote`. Its
   * account pays the chain's fees for batches and must differ from `relayerSuri` (each keeps its
   * own nonce order). `npm run worker` enables it by default; absent here, no relayer runs.
   */
  commandRelay?: CommandRelaySettings;
  /** Withdrawal receipts are paid every this many blocks, in one batch (EnclaveConfig.receiptCadence). */
  receiptCadence?: number;
  /** Port of the operator's status endpoint on 127.0.0.1 (0, the default: a free one, logged). */
  operatorPort?: number;
  /** Seal at most this often (ms), and less often when sealing is slow (seal-policy.ts). Replay from the last snapshot is deterministic, so sealing less often loses nothing. */
  sealIntervalMs?: number;
  /** How the block follower waits and retries (tests shorten them). */
  followerTimings?: Partial<FollowerTimings>;
  log?: (line: string) => void;
}

export interface CommandRelaySettings {
  suri: string;
  fee: bigint;
  batchSize?: number;
  intervalMs?: number;
}

export interface RunningWorker {
  url: string;
  /** The operator's local status endpoint (`GET`): session and receipt counts. */
  operatorUrl: string;
  enclave: Enclave;
  api: ApiPromise;
  /** Resolves when the worker has processed `block`; rejects if it stopped following the chain before. */
  processed(block: number): Promise<void>;
  close(): Promise<void>;
}

export { WorkerError } from './errors';

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

/**
 * `state.sealed` is the enclave's sealed state as it gave it (unpaid receipts included). `state.snapshot`
 * was the format before the light client: its sealed state carries no verified header, so a worker
 * finding only that one starts from genesis and replays the chain's verified blocks (same keys, same
 * blocks: the same ledger and receipts; the chain pays each receipt once).
 */
const FILES = { keyFile: 'enclave.key', secret: 'enclave.secret', sealed: 'state.sealed', beforeLightClient: 'state.snapshot' } as const;

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
  const ws = new UncachedWsProvider(opts.chainUrl);
  const api = await ApiPromise.create({ provider: ws, noInitWarn: true });
  const genesisHash = api.genesisHash.toU8a();
  const contractId = toContractId(opts.contractId);
  const reader = new ChainReader((method, params) => ws.send(method, params));
  const genesis = await reader.genesis();
  // minWithdraw: the ledger refuses unpayable withdrawals.
  const config = { genesisHash, contractId, minWithdraw: existentialDeposit(api), metadata: genesis.metadata, receiptCadence: opts.receiptCadence };

  if (opts.publicUrl !== undefined) checkPublicUrl(opts.publicUrl); // a typo stops the start before any state is touched
  const secret = await loadSecret(opts.basePath);
  const sealedPath = join(opts.basePath, FILES.sealed);
  const saved = readFileIfExists(sealedPath);
  let enclave: Enclave;
  if (saved) {
    enclave = await Enclave.restore(secret, config, saved);
    log(`restored sealed state at block #${enclave.lastBlock}`);
  } else {
    const { tokenSymbol: symbol, tokenDecimals: decimals } = chainProperties(api);
    enclave = await Enclave.create(secret, { ...config, genesis, native: { symbol, name: `Secret ${symbol}`, decimals } });
    const older = readFileIfExists(join(opts.basePath, FILES.beforeLightClient)) !== null;
    log(older ? 'found sealed state of an older format: replaying verified blocks from genesis' : 'created a new contract state');
  }

  const relayerPair = new Keyring({ type: 'sr25519' }).addFromUri(opts.relayerSuri ?? '//Ferdie');
  const provider = await openAttestationProvider(opts.attestation, genesisHash, opts.basePath);
  await ensureRegistered(api, enclave, provider, relayerPair, contractId, log);

  // Sealing encodes the whole ledger (seconds at 100k accounts), so it runs on a timer, not per block:
  // after a crash the worker replays verified blocks from the sealed block and re-derives the same
  // state and the same signed receipts (the relayer skips those the chain already paid).
  let sealedBlock = enclave.lastBlock;
  let sealedAt = Date.now();
  let waitMs = opts.sealIntervalMs ?? 1000;
  let trailing: NodeJS.Timeout | null = null;
  const persist = (force = false) => {
    if (enclave.lastBlock === sealedBlock) return;
    if (!force && Date.now() - sealedAt < waitMs) {
      trailing ??= setTimeout(() => { trailing = null; persist(true); }, waitMs); // an idle worker ends up sealed
      return;
    }
    const started = Date.now();
    writeFileAtomic(sealedPath, enclave.seal());
    sealedBlock = enclave.lastBlock;
    sealedAt = Date.now();
    waitMs = nextSealAfterMs(opts.sealIntervalMs ?? 1000, sealedAt - started);
  };
  // The enclave learns payments from verified blocks (TransferToChain), so the host keeps no list of its own.
  const relayer = new Relayer(api, log);
  relayer.enqueue(enclave.unpaidReceipts());
  const follower = new BlockFollower({
    reader, enclave, log,
    onBlocks: (result, lastBlock) => {
      persist();
      if (result.items || result.receipts.length) log(`block #${lastBlock}: ${result.items} item(s), ${result.receipts.length} receipt(s) released`);
      relayer.enqueue(result.receipts);
      server.notifyBlock(lastBlock); // the follower starts only once the server exists
    },
  }, { ...FOLLOWER_TIMINGS, ...opts.followerTimings });

  const commandRelay = opts.commandRelay && new CommandRelay({
    api, pair: new Keyring({ type: 'sr25519' }).addFromUri(opts.commandRelay.suri),
    contract: { genesisHash, contractId, contractPub: enclave.contractPub },
    fee: amount(opts.commandRelay.fee), batchSize: opts.commandRelay.batchSize, intervalMs: opts.commandRelay.intervalMs, log,
  });
  const server: QueryServer = await startQueryServer({
    relay: commandRelay && { relay: (body) => commandRelay.relay(body), quote: commandRelay.quote },
    query: (body) => enclave.handleQuery(body, Date.now()),
    session: (body) => enclave.handleSessionQuery(body, Date.now()),
    // Public: enough for a client to trust and follow the worker, and no count of anything users do.
    health: () => ({
      ...enclave.health(),
      attestation: { provider: provider.kind, label: PROVIDER_LABEL[provider.kind], measurement: provider.measurement },
      following: follower.status,
    }),
  }, { port: opts.port, log });
  const operator = await startOperatorServer(() => ({
    lastBlock: enclave.lastBlock,
    ...enclave.counts(),
    pendingReceipts: relayer.pending,
    stuckReceipts: relayer.stuck(),
    following: follower.status,
  }), opts.operatorPort ?? 0);
  log(`operator status ${operator.url} (this machine only)`);
  await publishEndpoint(api, enclave, relayerPair, opts.publicUrl ?? server.url, log);

  const unsubscribe = await api.rpc.chain.subscribeFinalizedHeads((head) => follower.raise(head.number.toNumber()));
  follower.start();
  follower.raise(await reader.finalizedNumber());
  commandRelay?.start();

  log(`worker ready ${server.url} (contract ${contractId}, key ${toHex(enclave.contractPub).slice(0, 18)}…)`);
  return {
    url: server.url,
    operatorUrl: operator.url,
    enclave,
    api,
    processed: (block) => follower.processed(block),
    async close() {
      unsubscribe();
      await follower.stop();
      if (trailing) clearTimeout(trailing);
      persist(true);
      await commandRelay?.stop();
      await relayer.stop();
      await server.close();
      await operator.close();
      await api.disconnect();
    },
  };
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
