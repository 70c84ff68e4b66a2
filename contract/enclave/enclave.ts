/**
 * The trusted boundary (DESIGN.md §2, §9): keys, the light client, envelope opening, the ledger,
 * queries, sealing and attestation. No network, no disk, no logger: the host hands bytes in — block
 * headers, justifications, bodies and read proofs exactly as the chain's RPC gave them — and persists
 * the bytes it is given back (sealed state, wrapped secret); it never sees a raw key, a plaintext or
 * an amount, and nothing it says about a block is believed unless the chain's commitments prove it.
 *
 * State root: blake2-256 over the canonical ledger encoding. Encoding and hashing a 100k-account
 * ledger costs far more than a block of commands, so it is computed on demand (`stateRoot()`, cached
 * until the next block) and by `processBlock` only when asked with `{ stateRoot: true }`.
 */
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';
import { blake2_256 } from '../../shared/trie/codec';
import { receiptMessage, type WithdrawReceipt } from '../../shared/protocol/ledger';
import { checkpointMessage, type Checkpoint } from '../../shared/protocol/checkpoint';
import { workerEndpointMessage } from '../../shared/protocol/worker-endpoint';
import type { AttestationReport } from '../../shared/protocol/attestation';
import { CHECKPOINT_INTERVAL_BLOCKS, RECEIPT_CADENCE_BLOCKS } from '../../shared/constants';
import { U128_MAX, U32_MAX, hash32, toHex, type AccountId, type ContractId, type Hash } from '../../shared/types';
import { Ledger } from '../ledger';
import type { AttestationProvider } from './attestation';
import { applyBlock, prepareBlock, type BlockScope, type PreparedItem } from './block';
import { CheckpointWatch, type CheckpointStatus } from './checkpoint-watch';
import { FaultInjector, type TestOnlyFaults } from './test-faults';
import { EnclaveError } from './errors';
import { LightClient, type BlockInput, type LightClientState, type VerifiedBlock } from './light-client';
import { QueryHandler } from './query-handler';
import { sealSnapshot, unsealSnapshot, type StateBinding } from './sealed-state';
import { allowedMeasurementKey, attestedRecipient, recipientKeys } from './handover';
import { handoverAad, handoverMessage } from '../../shared/protocol/handover';
import { attestWorker } from './attestation';
import type { SessionLimits } from './session-table';
import type { EnclaveKeys, EnclaveSecret } from './secret';

export interface EnclaveConfig {
  genesisHash: Uint8Array;
  contractId: ContractId;
  /** Query-session bounds (defaults: 100,000 sessions, 8 per account, 30 new per account per minute). */
  sessions?: Partial<SessionLimits>;
  /**
   * Smallest withdrawal the ledger signs a receipt for: the chain's `balances.existentialDeposit`,
   * which the host reads on every start (absent: no minimum). Smaller ones fail as BelowMinimum. Not
   * sealed, like the rest of this config: a runtime upgrade that changes the deposit is followed at
   * the next start, and the sealed-state format did not change for it.
   */
  minWithdraw?: bigint;
  /**
   * The chain's SCALE runtime metadata (`state_getMetadata` at genesis), which the light client decodes
   * extrinsics and events with. Pinned by hash when the state is created and sealed with it: a
   * restore with any other metadata is refused (BadConfig).
   */
  metadata: Uint8Array;
  /**
   * Receipts are released to the host only at verified blocks whose number is a multiple of this
   * (default RECEIPT_CADENCE_BLOCKS), all pending ones together. 1 releases each block's own.
   * Operator configuration, not sealed: what was pending at a restart stays pending until the next
   * boundary of the cadence configured then.
   */
  receiptCadence?: number;
  /**
   * At every verified block whose number is a multiple of this (default CHECKPOINT_INTERVAL_BLOCKS)
   * the enclave signs a checkpoint of its ledger for `phalaModule.submitCheckpoint` (DESIGN.md §11).
   * Each costs one state root (an encoding of the whole ledger), so it is not every block.
   */
  checkpointInterval?: number;
}

export interface CreateConfig extends EnclaveConfig {
  /** Metadata of secret asset 0, read from the chain's properties. */
  native: { symbol: string; name: string; decimals: number };
  /**
   * The genesis header (it must hash to `genesisHash`) and a read proof of `:grandpa_authorities` and
   * `Grandpa.CurrentSetId` against its state root: the GRANDPA set that finalizes block 1.
   */
  genesis: { header: Uint8Array; proof: readonly Uint8Array[] };
}

/** A withdraw receipt and the enclave identity's ed25519 signature over `receiptMessage(genesis, receipt)`. */
export interface SignedReceipt {
  receipt: WithdrawReceipt;
  signature: Uint8Array;
}

export interface BlockResult {
  /** This contract's commands and deposits applied (a count the chain shows anyway). */
  items: number;
  /**
   * Receipts released at a cadence boundary among these blocks (every one pending then, whatever
   * block its withdrawal was in), for the host to submit together with `transferToChain`.
   */
  receipts: SignedReceipt[];
  /** Accounts already public in these blocks (command signers, depositors); never secret recipients. */
  touched: AccountId[];
  /** Set only when asked for with `{ stateRoot: true }`. */
  stateRoot: Hash | null;
  /** Checkpoints signed at checkpoint blocks among these, for the host to submit. */
  checkpoints: SignedCheckpoint[];
}

export interface IngestOptions {
  /** Also return the state root after the run (costly: the whole ledger is encoded and hashed). */
  stateRoot?: boolean;
  /**
   * false: sign no checkpoint in this run (default true). For a host replaying history it will not
   * vote on (a joined worker catching up): each checkpoint costs a state root. It gives the host no
   * power it lacks: the host already decides whether a checkpoint reaches the chain, and a verdict
   * (`CheckpointMismatch`) about a block needs disagreeing checkpoints there. Votes and this
   * enclave's own divergence check resume with the first checkpoint block it is asked to sign.
   */
  checkpoints?: boolean;
}

/** A checkpoint and the enclave identity's ed25519 signature over `checkpointMessage(genesis, checkpoint)`. */
export interface SignedCheckpoint {
  checkpoint: Checkpoint;
  signature: Uint8Array;
}

/** A keyholder's handover for `phalaModule.handoverKey(contractId, recipient, sender, sealedKeys, signature)`. */
export interface SignedHandover {
  recipient: Uint8Array;
  /** This worker's identity key: the chain accepts handovers from keyholders of the contract only. */
  sender: Uint8Array;
  sealedKeys: Uint8Array;
  signature: Uint8Array;
}

/** Safe to publish: the chain position and public keys, no counts. */
export interface EnclaveHealth {
  contractId: number;
  lastBlock: number;
  /** The last header the light client accepted (the genesis hash before block 1). */
  lastBlockHash: Hash;
  /** The GRANDPA authority set id that must finalize the next block (decimal). */
  authoritySetId: string;
  contractPub: string;
  identityPub: string;
  /** Whether this worker's ledger matches the contract's reference ledger; diverged: it relays nothing. */
  checkpoints: CheckpointStatus;
}

/**
 * For the operator only (the host's local status endpoint, never the public `/health`): how many
 * sessions are open and how many withdrawals wait, which would tell anyone watching when users act.
 */
export interface EnclaveCounts {
  sessions: number;
  /** Receipts signed but held until the next cadence boundary. */
  heldReceipts: number;
  /** Receipts released to the host that no verified block has shown paid yet. */
  unpaidReceipts: number;
}

function checkConfig(c: EnclaveConfig): StateBinding {
  if (!(c.genesisHash instanceof Uint8Array) || c.genesisHash.length !== 32) throw new EnclaveError('BadConfig', 'The genesis hash must be 32 bytes.');
  if (!Number.isInteger(c.contractId) || c.contractId < 0 || c.contractId > U32_MAX) throw new EnclaveError('BadConfig', 'The contract id must be a u32.');
  for (const [name, v] of Object.entries(c.sessions ?? {})) {
    if (!(Number.isInteger(v) && v > 0)) throw new EnclaveError('BadConfig', `The session limit ${name} must be a positive integer.`);
  }
  if (c.minWithdraw !== undefined && !(typeof c.minWithdraw === 'bigint' && c.minWithdraw >= 0n && c.minWithdraw <= U128_MAX)) {
    throw new EnclaveError('BadConfig', 'The withdrawal minimum must be a u128.');
  }
  if (!(c.metadata instanceof Uint8Array)) throw new EnclaveError('BadConfig', 'The runtime metadata must be bytes.');
  if (c.receiptCadence !== undefined && !(Number.isInteger(c.receiptCadence) && c.receiptCadence >= 1 && c.receiptCadence <= U32_MAX)) {
    throw new EnclaveError('BadConfig', 'The receipt cadence must be a whole number of blocks from 1.');
  }
  if (c.checkpointInterval !== undefined && !(Number.isInteger(c.checkpointInterval) && c.checkpointInterval >= 1 && c.checkpointInterval <= U32_MAX)) {
    throw new EnclaveError('BadConfig', 'The checkpoint interval must be a whole number of blocks from 1.');
  }
  return { genesisHash: c.genesisHash.slice(), contractId: c.contractId };
}

/** What the enclave keeps beside the ledger: the light client and what it has verified so far. */
interface ChainView {
  client: LightClient;
  metadataHash: Uint8Array;
  state: LightClientState;
  /** Receipts signed and not yet seen paid on chain, by seq. */
  unpaid: Set<bigint>;
  /** Receipts up to this seq were released at a cadence boundary; later unpaid ones are held. */
  released: bigint;
  checkpoints: CheckpointWatch;
}

function lightClientFor(binding: StateBinding, metadata: Uint8Array, metadataHash: Uint8Array): LightClient {
  return new LightClient({ genesisHash: binding.genesisHash, metadataHash }, metadata);
}

export class Enclave {
  readonly #keys: EnclaveKeys;
  readonly #binding: StateBinding;
  readonly #ledger: Ledger;
  readonly #queries: QueryHandler;
  readonly #chain: ChainView;
  readonly #cadence: number;
  readonly #checkpointInterval: number;
  readonly #faults: FaultInjector | null;
  #root: Hash | null = null;
  /** processBlock calls run one after another even if the host does not await them. */
  #tail: Promise<unknown> = Promise.resolve();
  #halted = false;

  private constructor(keys: EnclaveKeys, binding: StateBinding, ledger: Ledger, chain: ChainView, config: EnclaveConfig, faults: TestOnlyFaults | null) {
    const { sessions } = config;
    this.#cadence = config.receiptCadence ?? RECEIPT_CADENCE_BLOCKS;
    this.#checkpointInterval = config.checkpointInterval ?? CHECKPOINT_INTERVAL_BLOCKS;
    this.#faults = faults && new FaultInjector(faults);
    this.#keys = keys;
    this.#binding = binding;
    this.#ledger = ledger;
    this.#chain = chain;
    this.#queries = new QueryHandler({
      target: { ...binding, contractPub: keys.contract.publicKey },
      contractKey: keys.contract,
      ledger,
      // A diverged ledger's receipt is not the contract's: the owner gets it from a worker that agrees.
      signReceipt: (r) => (this.#chain.checkpoints.divergedAt === null ? this.#signReceipt(r) : null),
    }, sessions);
  }

  /**
   * A new contract state (empty ledger) served with `secret`'s keys, following the chain from its
   * genesis: the light client starts from the authority set proven in the genesis state.
   */
  static async create(secret: EnclaveSecret, config: CreateConfig): Promise<Enclave> {
    return Enclave.#create(secret, config, null);
  }

  /**
   * TESTS ONLY: a new enclave that applies commands wrongly as `faults` says, so a test can run a
   * worker whose ledger diverges. Reachable only from code that calls it (a test), never from a
   * worker's command line or configuration.
   */
  static testOnlyFaulty(secret: EnclaveSecret, config: CreateConfig, faults: TestOnlyFaults): Promise<Enclave> {
    return Enclave.#create(secret, config, faults);
  }

  static async #create(secret: EnclaveSecret, config: CreateConfig, faults: TestOnlyFaults | null): Promise<Enclave> {
    const binding = checkConfig(config);
    const metadataHash = blake2_256(config.metadata);
    const client = lightClientFor(binding, config.metadata, metadataHash);
    const state = client.genesis(config.genesis.header, config.genesis.proof);
    const ledger = Ledger.create({ contractId: binding.contractId, native: config.native, minWithdraw: config.minWithdraw });
    const [keys] = await Promise.all([secret.deriveKeys(), cryptoWaitReady()]);
    return new Enclave(keys, binding, ledger, { client, metadataHash, state, unpaid: new Set(), released: 0n, checkpoints: new CheckpointWatch(null) }, config, faults);
  }

  /** Continues from a blob `seal()` produced in an enclave with the same secret, contract and chain. */
  static async restore(secret: EnclaveSecret, config: EnclaveConfig, sealed: Uint8Array): Promise<Enclave> {
    const binding = checkConfig(config);
    const [keys] = await Promise.all([secret.deriveKeys(), cryptoWaitReady()]);
    const snapshot = unsealSnapshot(keys.sealer, binding, sealed);
    const client = lightClientFor(binding, config.metadata, snapshot.metadataHash);
    const ledger = Ledger.decode(snapshot.ledger, { minWithdraw: config.minWithdraw });
    if (ledger.lastBlock !== snapshot.chain.lastNumber) throw new EnclaveError('BadConfig', 'The sealed ledger and light-client state are at different blocks.');
    const chain = {
      client, metadataHash: snapshot.metadataHash, state: snapshot.chain, unpaid: new Set(snapshot.unpaid), released: snapshot.released,
      checkpoints: new CheckpointWatch(snapshot.divergedAt),
    };
    return new Enclave(keys, binding, ledger, chain, config, null);
  }

  /** The X25519 key clients seal commands and queries to. */
  get contractPub(): Uint8Array {
    return this.#keys.contract.publicKey.slice();
  }

  /** The ed25519 key receipts are signed with. */
  get identityPub(): Uint8Array {
    return this.#keys.identity.publicKey.slice();
  }

  get lastBlock(): number {
    return this.#ledger.lastBlock;
  }

  /** The last header the light client accepted (the genesis hash before block 1). */
  get lastBlockHash(): Hash {
    return hash32(this.#chain.state.lastHash);
  }

  /** The GRANDPA authority set that must finalize the next block. */
  get authoritySetId(): bigint {
    return this.#chain.state.set.setId;
  }

  /**
   * Feeds a run of finalized blocks after `lastBlock`, exactly as the chain's RPC gave them (see
   * light-client/README.md). The light client verifies the whole run first; any refusal throws its
   * typed LightClientError (BrokenParentLink, BadJustification, ExtrinsicsRootMismatch, BadProof, …)
   * and changes nothing, so the host may fetch the blocks again. Commands, deposits and paid receipts
   * come only from the verified bodies and proven events. Envelopes that do not open are failures in
   * their sender's history, never errors.
   */
  ingest(blocks: readonly BlockInput[], opts: IngestOptions = {}): Promise<BlockResult> {
    const run = this.#tail.then(() => this.#ingest(blocks, opts.stateRoot === true, opts.checkpoints !== false));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #ingest(blocks: readonly BlockInput[], withRoot: boolean, withCheckpoints: boolean): Promise<BlockResult> {
    this.#checkRunning();
    const { state, blocks: verified } = this.#chain.client.ingest(this.#chain.state, blocks);
    const scope: BlockScope = { ...this.#binding, contractKey: this.#keys.contract };
    const prepared = await Promise.all(verified.map((b) => prepareBlock(scope, b.number, b.hash, b.inputs)));
    const receipts: SignedReceipt[] = [];
    const checkpoints: SignedCheckpoint[] = [];
    const touched = new Set<AccountId>();
    try {
      // Synchronous from the first apply to the new chain state: nothing sees a half-applied run.
      verified.forEach((block, i) => this.#apply(block, this.#faults?.apply(prepared[i]) ?? prepared[i], { receipts, checkpoints, touched }, withCheckpoints));
    } catch (e) {
      // Part of the run may be applied; retrying it would apply those items twice.
      this.#halted = true;
      throw e;
    }
    this.#chain.state = state;
    this.#root = null;
    const items = prepared.reduce((n, p) => n + p.length, 0);
    return { items, receipts, checkpoints, touched: [...touched], stateRoot: withRoot ? this.stateRoot() : null };
  }

  #apply(block: VerifiedBlock, prepared: readonly PreparedItem[], out: Pick<BlockResult, 'receipts' | 'checkpoints'> & { touched: Set<AccountId> }, withCheckpoints: boolean): void {
    const applied = applyBlock(this.#ledger, block.number, prepared);
    const chain = this.#chain;
    for (const receipt of applied.receipts) chain.unpaid.add(receipt.seq);
    for (const paid of block.inputs.receiptsPaid) if (paid.contractId === this.#binding.contractId) chain.unpaid.delete(paid.seq);
    for (const who of applied.touched) out.touched.add(who);
    chain.checkpoints.observe(block.inputs.mismatches.filter((m) => m.contractId === this.#binding.contractId));
    // Boundaries come from the verified block number, so the host cannot move them.
    if (withCheckpoints && block.number % this.#checkpointInterval === 0) out.checkpoints.push(this.#checkpoint(block));
    // A diverged ledger's receipts stay held: they are not the contract's (the others pay the real ones).
    if (block.number % this.#cadence === 0 && chain.checkpoints.divergedAt === null) {
      const { receipts } = out;
      const due = this.#sortedUnpaid().filter((seq) => seq > chain.released);
      receipts.push(...this.#signed(due));
      if (due.length) chain.released = due[due.length - 1];
    }
  }

  /** Signs where the ledger stands after `block` (its root now: the next block changes it). */
  #checkpoint(block: VerifiedBlock): SignedCheckpoint {
    const stateRoot = hash32(blake2AsU8a(this.#ledger.encode(), 256));
    const checkpoint: Checkpoint = { contractId: this.#binding.contractId, blockNumber: block.number, blockHash: block.hash, stateRoot, worker: this.identityPub };
    this.#chain.checkpoints.recordOwn(block.number, checkpoint);
    return { checkpoint, signature: this.#keys.identity.sign(checkpointMessage(this.#binding.genesisHash, checkpoint)) };
  }

  /** Agreeing, or diverged at a checkpoint block (then it signs no receipt and its host relays nothing). */
  get checkpointStatus(): CheckpointStatus {
    return this.#chain.checkpoints.status;
  }

  #sortedUnpaid(): bigint[] {
    return [...this.#chain.unpaid].sort((a, b) => (a < b ? -1 : 1));
  }

  #signed(seqs: readonly bigint[]): SignedReceipt[] {
    return seqs.flatMap((seq) => {
      const receipt = this.#ledger.receipt(seq);
      return receipt ? [{ receipt, signature: this.#signReceipt(receipt) }] : [];
    });
  }

  /**
   * Every receipt released at a cadence boundary that no verified block has shown paid yet (in seq
   * order), signed again. Receipts still held for the next boundary are not among them.
   */
  unpaidReceipts(): SignedReceipt[] {
    this.#checkRunning();
    if (this.#chain.checkpoints.divergedAt !== null) return [];
    return this.#signed(this.#sortedUnpaid().filter((seq) => seq <= this.#chain.released));
  }

  /** blake2-256 of the canonical ledger encoding: equal on every worker fed the same blocks. */
  stateRoot(): Hash {
    this.#checkRunning();
    this.#root ??= hash32(blake2AsU8a(this.#ledger.encode(), 256)); // wasm: ~20× noble on megabytes
    return this.#root;
  }

  /** See QueryHandler.handleQuery: throws ProtocolError only when nothing could be sealed. */
  async handleQuery(envelope: Uint8Array, now: number): Promise<Uint8Array> {
    this.#checkRunning();
    return this.#queries.handleQuery(envelope, now);
  }

  /** See QueryHandler.handleSessionQuery. Synchronous: the per-query hot path. */
  handleSessionQuery(frame: Uint8Array, now: number): Uint8Array {
    this.#checkRunning();
    return this.#queries.handleSessionQuery(frame, now);
  }

  /** This worker's identity signature over `url` as its endpoint (`phalaModule.setWorkerEndpoint`); throws on a malformed URL. */
  signEndpoint(url: string): Uint8Array {
    return this.#keys.identity.sign(workerEndpointMessage(this.#binding.genesisHash, this.identityPub, url));
  }

  /** An attestation report for this enclave's identity, handover and contract keys. */
  attest(provider: AttestationProvider, now: number): Promise<AttestationReport> {
    return attestWorker(provider, this.#binding.contractId, this.#keys, this.contractPub, now);
  }

  /**
   * The contract keys sealed to `recipient`'s attested handover key and signed by this worker,
   * after checking the recipient against PhalaModule storage proven at the last verified block
   * (`header` is that block's header, `proof` a read proof of `handoverProofKeys(recipient, …)`).
   * Throws `HandoverRefused` (unregistered, other contract, measurement not allowed, attestation
   * that does not verify, no handover key, already handed over) or a LightClientError (BadProof).
   */
  async handOver(recipient: Uint8Array, header: Uint8Array, proof: readonly Uint8Array[]): Promise<SignedHandover> {
    this.#checkRunning();
    const { genesisHash, contractId } = this.#binding;
    const keys = Object.values(recipientKeys(recipient));
    const { client, state } = this.#chain;
    const values = client.proveAt(state, header, proof, keys);
    const allowed = (m: Uint8Array) => {
      const key = allowedMeasurementKey(m);
      const v = client.proveAt(state, header, proof, [key]).get(key);
      return v !== undefined && v !== null && v.length === 1 && v[0] === 1;
    };
    const handoverPub = attestedRecipient({ genesisHash, contractId, recipient, values, allowed });
    const sealedKeys = await this.#keys.sealContractKeysTo(handoverPub, handoverAad(genesisHash, contractId, recipient));
    const signature = this.#keys.identity.sign(handoverMessage(genesisHash, contractId, recipient, sealedKeys));
    return { recipient: recipient.slice(), sender: this.identityPub, sealedKeys, signature };
  }

  /** The state to persist after a block; opens only with `Enclave.restore` and this enclave's secret. */
  seal(): Uint8Array {
    this.#checkRunning();
    const { state, metadataHash, unpaid, released, checkpoints } = this.#chain;
    return sealSnapshot(this.#keys.sealer, this.#binding, {
      chain: state, metadataHash, unpaid: [...unpaid], released, divergedAt: checkpoints.divergedAt, ledger: this.#ledger.encode(),
    });
  }

  health(): EnclaveHealth {
    return {
      contractId: this.#binding.contractId,
      lastBlock: this.#ledger.lastBlock,
      lastBlockHash: this.lastBlockHash,
      authoritySetId: this.authoritySetId.toString(),
      contractPub: toHex(this.#keys.contract.publicKey),
      identityPub: toHex(this.#keys.identity.publicKey),
      checkpoints: this.checkpointStatus,
    };
  }

  counts(): EnclaveCounts {
    const held = [...this.#chain.unpaid].filter((seq) => seq > this.#chain.released).length;
    return { sessions: this.#queries.sessionCount, heldReceipts: held, unpaidReceipts: this.#chain.unpaid.size - held };
  }

  #signReceipt(receipt: WithdrawReceipt): Uint8Array {
    return this.#keys.identity.sign(receiptMessage(this.#binding.genesisHash, receipt));
  }

  /** A halted enclave holds a half-applied block: it must neither continue, persist nor answer from it. */
  #checkRunning(): void {
    if (this.#halted) throw new EnclaveError('Halted', 'The enclave stopped after an internal failure: restore it from the last sealed state.');
  }
}
