/**
 * The trusted boundary (DESIGN.md §2): keys, envelope opening, the ledger, queries, sealing and
 * attestation. No network, no disk, no logger: the host hands bytes in and persists the bytes it is
 * given back (sealed state, wrapped secret); it never sees a raw key, a plaintext or an amount.
 *
 * State root: blake2-256 over the canonical ledger encoding. Encoding and hashing a 100k-account
 * ledger costs far more than a block of commands, so it is computed on demand (`stateRoot()`, cached
 * until the next block) and by `processBlock` only when asked with `{ stateRoot: true }`.
 */
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';
import { receiptMessage, type WithdrawReceipt } from '../../shared/protocol/ledger';
import type { AttestationReport } from '../../shared/protocol/attestation';
import { U128_MAX, U32_MAX, hash32, toHex, type AccountId, type ContractId, type Hash } from '../../shared/types';
import { Ledger } from '../ledger';
import type { AttestationProvider } from './attestation';
import { applyBlock, blockHashOf, checkBlockNumber, prepareBlock, type AppliedBlock, type BlockItem, type BlockScope } from './block';
import { hostMillis } from './clock';
import { EnclaveError } from './errors';
import { QueryHandler } from './query-handler';
import { sealSnapshot, unsealSnapshot, type StateBinding } from './sealed-state';
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
}

export interface CreateConfig extends EnclaveConfig {
  /** Metadata of secret asset 0, read from the chain's properties. */
  native: { symbol: string; name: string; decimals: number };
  /** The first block this enclave will be fed (≥ 1); earlier blocks count as already processed. */
  firstBlock: number;
}

/** A withdraw receipt and the enclave identity's ed25519 signature over `receiptMessage(genesis, receipt)`. */
export interface SignedReceipt {
  receipt: WithdrawReceipt;
  signature: Uint8Array;
}

export interface BlockResult {
  /** false when the block was at or below the last processed block and was ignored (exactly-once). */
  applied: boolean;
  /** Withdrawals authorised in this block, for the host to submit with `transferToChain`. */
  receipts: SignedReceipt[];
  /** Accounts already public in this block (command signers, depositors); never secret recipients. */
  touched: AccountId[];
  /** Set only when asked for with `{ stateRoot: true }`. */
  stateRoot: Hash | null;
}

/** Safe to publish: counts and public keys only. */
export interface EnclaveHealth {
  contractId: number;
  lastBlock: number;
  lastBlockHash: Hash | null;
  contractPub: string;
  identityPub: string;
  sessions: number;
}

const ignored = (): BlockResult => ({ applied: false, receipts: [], touched: [], stateRoot: null });

function checkConfig(c: EnclaveConfig): StateBinding {
  if (!(c.genesisHash instanceof Uint8Array) || c.genesisHash.length !== 32) throw new EnclaveError('BadConfig', 'The genesis hash must be 32 bytes.');
  if (!Number.isInteger(c.contractId) || c.contractId < 0 || c.contractId > U32_MAX) throw new EnclaveError('BadConfig', 'The contract id must be a u32.');
  for (const [name, v] of Object.entries(c.sessions ?? {})) {
    if (!(Number.isInteger(v) && v > 0)) throw new EnclaveError('BadConfig', `The session limit ${name} must be a positive integer.`);
  }
  if (c.minWithdraw !== undefined && !(typeof c.minWithdraw === 'bigint' && c.minWithdraw >= 0n && c.minWithdraw <= U128_MAX)) {
    throw new EnclaveError('BadConfig', 'The withdrawal minimum must be a u128.');
  }
  return { genesisHash: c.genesisHash.slice(), contractId: c.contractId };
}

export class Enclave {
  readonly #keys: EnclaveKeys;
  readonly #binding: StateBinding;
  readonly #ledger: Ledger;
  readonly #queries: QueryHandler;
  #lastBlockHash: Hash | null;
  #root: Hash | null = null;
  /** processBlock calls run one after another even if the host does not await them. */
  #tail: Promise<unknown> = Promise.resolve();
  #halted = false;

  private constructor(keys: EnclaveKeys, binding: StateBinding, ledger: Ledger, lastBlockHash: Hash | null, sessions?: Partial<SessionLimits>) {
    this.#keys = keys;
    this.#binding = binding;
    this.#ledger = ledger;
    this.#lastBlockHash = lastBlockHash;
    this.#queries = new QueryHandler({
      target: { ...binding, contractPub: keys.contract.publicKey },
      contractKey: keys.contract,
      ledger,
      signReceipt: (r) => this.#signReceipt(r),
    }, sessions);
  }

  /** A new contract state (empty ledger) served with `secret`'s keys. */
  static async create(secret: EnclaveSecret, config: CreateConfig): Promise<Enclave> {
    const binding = checkConfig(config);
    if (!Number.isInteger(config.firstBlock) || config.firstBlock < 1 || config.firstBlock > U32_MAX) {
      throw new EnclaveError('BadConfig', 'The first block must be a block number of at least 1.');
    }
    const ledger = Ledger.create({ contractId: binding.contractId, native: config.native, minWithdraw: config.minWithdraw });
    if (config.firstBlock > 1) ledger.endBlock(config.firstBlock - 1);
    const [keys] = await Promise.all([secret.deriveKeys(), cryptoWaitReady()]);
    return new Enclave(keys, binding, ledger, null, config.sessions);
  }

  /** Continues from a blob `seal()` produced in an enclave with the same secret, contract and chain. */
  static async restore(secret: EnclaveSecret, config: EnclaveConfig, sealed: Uint8Array): Promise<Enclave> {
    const binding = checkConfig(config);
    const [keys] = await Promise.all([secret.deriveKeys(), cryptoWaitReady()]);
    const snapshot = unsealSnapshot(keys.sealer, binding, sealed);
    const ledger = Ledger.decode(snapshot.ledger, { minWithdraw: config.minWithdraw });
    return new Enclave(keys, binding, ledger, snapshot.lastBlockHash, config.sessions);
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

  get lastBlockHash(): Hash | null {
    return this.#lastBlockHash;
  }

  /**
   * Feeds one finalized block. Blocks must come in order: one at or below `lastBlock` is ignored,
   * one beyond `lastBlock + 1` is a BlockGap error, a malformed one a BadBlock error — in both cases
   * nothing is applied. Envelopes that do not open are failures in their sender's history, never errors.
   */
  processBlock(number: number, hash: string, items: readonly BlockItem[], opts: { stateRoot?: boolean } = {}): Promise<BlockResult> {
    const run = this.#tail.then(() => this.#process(number, hash, items, opts.stateRoot === true));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #process(number: number, hash: string, items: readonly BlockItem[], withRoot: boolean): Promise<BlockResult> {
    this.#checkRunning();
    checkBlockNumber(number);
    const blockHash = blockHashOf(hash);
    const last = this.#ledger.lastBlock;
    if (number <= last) return ignored();
    if (number !== last + 1) throw new EnclaveError('BlockGap', 'A block is missing: feed every block in order.');
    const scope: BlockScope = { ...this.#binding, contractKey: this.#keys.contract };
    const prepared = await prepareBlock(scope, number, blockHash, items);
    let applied: AppliedBlock;
    try {
      applied = applyBlock(this.#ledger, number, prepared);
    } catch (e) {
      // Part of the block may be applied; retrying it would apply those items twice.
      this.#halted = true;
      throw e;
    }
    this.#lastBlockHash = blockHash;
    this.#root = null;
    const receipts = applied.receipts.map((receipt) => ({ receipt, signature: this.#signReceipt(receipt) }));
    return { applied: true, receipts, touched: applied.touched, stateRoot: withRoot ? this.stateRoot() : null };
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

  /** An attestation report for this enclave's identity and contract keys. */
  attest(provider: AttestationProvider, now: number): Promise<AttestationReport> {
    return provider.attest({
      provider: provider.kind,
      contractId: this.#binding.contractId,
      measurement: provider.measurement,
      identityPub: this.identityPub,
      ecdhPub: this.contractPub,
      issuedAt: BigInt(hostMillis(now)),
    });
  }

  /** The state to persist after a block; opens only with `Enclave.restore` and this enclave's secret. */
  seal(): Uint8Array {
    this.#checkRunning();
    return sealSnapshot(this.#keys.sealer, this.#binding, { lastBlockHash: this.#lastBlockHash, ledger: this.#ledger.encode() });
  }

  health(): EnclaveHealth {
    return {
      contractId: this.#binding.contractId,
      lastBlock: this.#ledger.lastBlock,
      lastBlockHash: this.#lastBlockHash,
      contractPub: toHex(this.#keys.contract.publicKey),
      identityPub: toHex(this.#keys.identity.publicKey),
      sessions: this.#queries.sessionCount,
    };
  }

  #signReceipt(receipt: WithdrawReceipt): Uint8Array {
    return this.#keys.identity.sign(receiptMessage(this.#binding.genesisHash, receipt));
  }

  /** A halted enclave holds a half-applied block: it must neither continue, persist nor answer from it. */
  #checkRunning(): void {
    if (this.#halted) throw new EnclaveError('Halted', 'The enclave stopped after an internal failure: restore it from the last sealed state.');
  }
}
