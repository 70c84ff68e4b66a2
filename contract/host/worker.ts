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
import { Enclave, EnclaveSecret, KeyReceiver, type AttestationProvider, type CreateConfig, type TestOnlyFaults } from '../enclave';
import type { AttestationReport } from '../../shared/protocol/attestation';
import { HandoverGiver } from './handover-giver';
import { waitForHandover } from './join';
import { openAttestationProvider, type AttestationChoice } from './attestation/choose';
import { readFileIfExists, writeFileAtomic } from './atomic-file';
import { BlockFollower, FOLLOWER_TIMINGS, type FollowerTimings } from './block-follower';
import { ChainReader } from './chain-reader';
import { WorkerError } from './errors';
import { startOperatorServer } from './operator-server';
import { startQueryServer, type QueryServer } from './query-server';
import { Relayer } from './relayer';
import { CommandRelay } from './command-relay';
import { CheckpointSubmitter } from './checkpoint-submitter';
import { ReceiptTurn } from './receipt-turn';
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
  /** Each worker signs a checkpoint of its ledger every this many blocks (EnclaveConfig.checkpointInterval). */
  checkpointInterval?: number;
  /** Pause between one worker's turn to pay a receipt batch and the next worker's (receipt-turn.ts). */
  receiptTurnDelayMs?: number;
  /**
   * TESTS ONLY: a new contract state whose enclave applies one command wrongly (Enclave.testOnlyFaulty).
   * Not reachable from `npm run worker`: only code calling startWorker can set it.
   */
  testOnlyFaults?: TestOnlyFaults;
  /** Port of the operator's status endpoint on 127.0.0.1 (0, the default: a free one, logged). */
  operatorPort?: number;
  /** Seal at most this often (ms), and less often when sealing is slow (seal-policy.ts). Replay from the last snapshot is deterministic, so sealing less often loses nothing. */
  sealIntervalMs?: number;
  /**
   * Join an existing contract (DESIGN.md §11, `--join`): register with this worker's own keys, wait
   * for a keyholder's attested handover of the contract keys, replay the contract from genesis and
   * answer queries once caught up. Without it, a new worker on a contract that already has keys
   * refuses to start (ContractHasKeys) rather than create a second, conflicting key.
   */
  join?: boolean;
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

function loadSecret(basePath: string): EnclaveSecret | null {
  const keyFile = readFileIfExists(join(basePath, FILES.keyFile));
  const wrapped = readFileIfExists(join(basePath, FILES.secret));
  return keyFile && wrapped ? EnclaveSecret.unwrapForDev(wrapped, keyFile) : null;
}

/** Stores `secret` wrapped under the dev key file (created on first use). */
function storeSecret(basePath: string, secret: EnclaveSecret): EnclaveSecret {
  let keyFile = readFileIfExists(join(basePath, FILES.keyFile));
  if (!keyFile) {
    keyFile = EnclaveSecret.newDevKeyFile();
    writeFileAtomic(join(basePath, FILES.keyFile), keyFile);
  }
  writeFileAtomic(join(basePath, FILES.secret), secret.wrapForDev(keyFile));
  return secret;
}

type Pair = ReturnType<Keyring['addFromUri']>;
type Log = (l: string) => void;
type Genesis = Awaited<ReturnType<ChainReader['genesis']>>;

/**
 * This worker's secret with the contract keys: its stored one; new contract keys for the first
 * worker of a contract; or, joining, the keys a keyholder handed over. `catchUpTo`: the finalized
 * block a joined worker must replay to before it answers queries (0: none).
 */
async function contractSecret(
  opts: WorkerOptions, api: ApiPromise, reader: ChainReader, genesis: Genesis, provider: AttestationProvider, pair: Pair, log: Log,
): Promise<{ secret: EnclaveSecret; catchUpTo: number }> {
  const contractId = toContractId(opts.contractId);
  await ensureContract(api, contractId);
  const stored = loadSecret(opts.basePath);
  if (stored?.hasContractKeys) return { secret: stored, catchUpTo: 0 };
  const keys = await api.query.phalaModule.contractKeys(contractId);
  if (!stored && !opts.join) {
    if (keys.isSome) {
      throw new WorkerError('ContractHasKeys', `Contract ${contractId} already has keys on this chain: start this worker with --join to receive them from a keyholder, or give it the data directory of a worker of this contract.`);
    }
    return { secret: storeSecret(opts.basePath, EnclaveSecret.generate()), catchUpTo: 0 };
  }
  if (keys.isNone) {
    throw new WorkerError('NoKeyholder', `Contract ${contractId} has no keys yet, so nobody can hand them over: start its first worker without --join.`);
  }
  const joiner = stored ?? storeSecret(opts.basePath, EnclaveSecret.generateJoiner());
  const receiver = await KeyReceiver.create(joiner, { genesisHash: api.genesisHash.toU8a(), contractId, metadata: genesis.metadata, genesis });
  const contractPub = keys.unwrap().ecdhPub.toU8a();
  await register(api, receiver.identityPub, contractPub, () => receiver.attest(provider, contractPub, Date.now()), pair, contractId, log);
  const secret = storeSecret(opts.basePath, await waitForHandover(api, reader, receiver, opts.followerTimings, log));
  const catchUpTo = await reader.finalizedNumber();
  log(`received the contract keys: replaying contract ${contractId} from genesis to block #${catchUpTo}`);
  return { secret, catchUpTo };
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
  const config = {
    genesisHash, contractId, minWithdraw: existentialDeposit(api), metadata: genesis.metadata,
    receiptCadence: opts.receiptCadence, checkpointInterval: opts.checkpointInterval,
  };

  if (opts.publicUrl !== undefined) checkPublicUrl(opts.publicUrl); // a typo stops the start before any state is touched
  const relayerPair = new Keyring({ type: 'sr25519' }).addFromUri(opts.relayerSuri ?? '//Ferdie');
  const provider = await openAttestationProvider(opts.attestation, genesisHash, opts.basePath);
  const { secret, catchUpTo } = await contractSecret(opts, api, reader, genesis, provider, relayerPair, log);
  const sealedPath = join(opts.basePath, FILES.sealed);
  const saved = readFileIfExists(sealedPath);
  let enclave: Enclave;
  if (saved) {
    enclave = await Enclave.restore(secret, config, saved);
    log(`restored sealed state at block #${enclave.lastBlock}`);
  } else {
    const { tokenSymbol: symbol, tokenDecimals: decimals } = chainProperties(api);
    const create: CreateConfig = { ...config, genesis, native: { symbol, name: `Secret ${symbol}`, decimals } };
    enclave = await (opts.testOnlyFaults ? Enclave.testOnlyFaulty(secret, create, opts.testOnlyFaults) : Enclave.create(secret, create));
    const older = readFileIfExists(join(opts.basePath, FILES.beforeLightClient)) !== null;
    log(older ? 'found sealed state of an older format: replaying verified blocks from genesis' : 'created a new contract state');
  }

  await ensureRegistered(api, enclave, provider, relayerPair, contractId, log);
  // A joined worker replays the contract first: until then its answers would be of the past.
  let caughtUp = enclave.lastBlock >= catchUpTo;
  const noteCatchUp = () => {
    if (caughtUp || enclave.lastBlock < catchUpTo) return;
    caughtUp = true;
    log(`caught up at block #${enclave.lastBlock}: answering queries`);
  };
  const ready = () => {
    if (!caughtUp) throw new WorkerError('CatchingUp', `This worker is replaying the contract (block #${enclave.lastBlock} of #${catchUpTo}): ask again shortly.`);
  };
  const giver = new HandoverGiver(api, reader, enclave, contractId, log);

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
    waitMs = nextSealAfterMs(opts.sealIntervalMs ?? 1000, sealedAt - started, !caughtUp);
  };
  // The enclave learns payments from verified blocks (TransferToChain), so the host keeps no list of its own.
  const turn = new ReceiptTurn(api, contractId, enclave.identityPub, opts.receiptTurnDelayMs);
  await turn.refresh();
  const relayer = new Relayer(api, log, { turnDelay: (seq) => turn.delayFor(seq) });
  relayer.enqueue(enclave.unpaidReceipts());
  const checkpoints = new CheckpointSubmitter(api, log);
  // A worker whose ledger lost a checkpoint verdict relays nothing more (its enclave already signs no receipt).
  let stoppedRelaying = false;
  const stopRelayingIfDiverged = () => {
    const status = enclave.checkpointStatus;
    if (stoppedRelaying || status.state !== 'diverged') return;
    stoppedRelaying = true;
    log(`checkpoint of block #${status.block} is not the contract's reference ledger (${status.reason}): stopped relaying receipts and commands; replay this worker from the chain (a fresh data directory)`);
    void relayer.stop();
    void commandRelay?.stop();
  };
  // History a joiner replays gets no checkpoints: it would not vote on them, and each costs a state root.
  const followed = { get lastBlock() { return enclave.lastBlock; }, ingest: (blocks: Parameters<Enclave['ingest']>[0]) => enclave.ingest(blocks, { checkpoints: caughtUp }) };
  const follower = new BlockFollower({
    reader, enclave: followed, log,
    onBlocks: (result, lastBlock) => {
      persist();
      if (result.items || result.receipts.length) log(`block #${lastBlock}: ${result.items} item(s), ${result.receipts.length} receipt(s) released`);
      relayer.enqueue(result.receipts);
      noteCatchUp();
      if (caughtUp) giver.poke();
      checkpoints.submit(result.checkpoints);
      stopRelayingIfDiverged();
      void turn.refresh();
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
    query: async (body) => {
      ready();
      return enclave.handleQuery(body, Date.now());
    },
    session: (body) => {
      ready();
      return enclave.handleSessionQuery(body, Date.now());
    },
    // Public: enough for a client to trust and follow the worker, and no count of anything users do.
    health: () => ({
      ...enclave.health(),
      attestation: { provider: provider.kind, label: PROVIDER_LABEL[provider.kind], measurement: provider.measurement },
      following: follower.status,
      catchingUp: enclave.lastBlock < catchUpTo,
    }),
  }, { port: opts.port, log });
  const operator = await startOperatorServer(() => ({
    lastBlock: enclave.lastBlock,
    ...enclave.counts(),
    checkpoints: enclave.checkpointStatus,
    pendingReceipts: relayer.pending,
    stuckReceipts: relayer.stuck(),
    following: follower.status,
  }), opts.operatorPort ?? 0);
  log(`operator status ${operator.url} (this machine only)`);
  await publishEndpoint(api, enclave, relayerPair, opts.publicUrl ?? server.url, log);

  const unsubscribe = await api.rpc.chain.subscribeFinalizedHeads((head) => follower.raise(head.number.toNumber()));
  follower.start();
  follower.raise(await reader.finalizedNumber());
  stopRelayingIfDiverged();
  if (!stoppedRelaying) commandRelay?.start();

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
      await checkpoints.stop();
      await server.close();
      await operator.close();
      await api.disconnect();
    },
  };
}

async function ensureContract(api: ApiPromise, contractId: number): Promise<void> {
  if ((await api.query.phalaModule.contracts(contractId)).isNone) {
    throw new WorkerError('UnknownContract', `Contract ${contractId} does not exist on this chain: governance (root) creates contracts with phalaModule.createContract.`);
  }
}

/** Registers this enclave for the contract unless the chain already knows it. */
async function ensureRegistered(api: ApiPromise, enclave: Enclave, provider: AttestationProvider, pair: Pair, contractId: number, log: Log): Promise<void> {
  const keys = await api.query.phalaModule.contractKeys(contractId);
  if (keys.isSome && keys.unwrap().ecdhPub.toHex() !== toHex(enclave.contractPub)) {
    throw new WorkerError('ForeignContractKey', `Contract ${contractId} is registered to another key on this chain. Restore this worker's data directory, or start a fresh chain.`);
  }
  await register(api, enclave.identityPub, enclave.contractPub, () => enclave.attest(provider, Date.now()), pair, contractId, log);
}

/** Submits `registerWorker` with a fresh report unless `identityPub` is registered already. */
async function register(
  api: ApiPromise, identityPub: Uint8Array, contractPub: Uint8Array, attest: () => Promise<AttestationReport>, pair: Pair, contractId: number, log: Log,
): Promise<void> {
  if ((await api.query.phalaModule.workers(toHex(identityPub))).isSome) return;
  const report = await attest();
  await submitAndWatch(api, api.tx.phalaModule.registerWorker(identityPub, contractPub, toHex(encodeAttestation(report))), pair);
  log(`registered on chain for contract ${contractId} (${PROVIDER_LABEL[report.provider]})`);
}
