/**
 * An in-memory stand-in for the chain + worker behind `DarkClient`: a tiny ledger that applies each
 * operation when it is "included", with switches for an untrusted key, a worker that is down, and a
 * gate that holds submissions (to observe the pending state). The real SDK runs against the real
 * processes in test/e2e.
 */
import { signPermit } from '../../../shared/client/permits';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { ContractState } from '../../../shared/client/contract';
import type { Submitted } from '../../../shared/client/dark-client';
import { DEFAULT_TCB_POLICY, signDevAttestation } from '../../../shared/crypto/attestation';
import { identityFromSeed } from '../../../shared/crypto/identity';
import { DEV_MEASUREMENT, encodeAttestation } from '../../../shared/protocol/attestation';
import { ClientError } from '../../../shared/client/errors';
import { chainRefusal } from '../../../shared/client/reasons';
import type { AssetInfo, HistoryEntry, LedgerErrorCode } from '../../../shared/protocol/ledger';
import { accountId, contractId, fromHex, toHex, type AccountId, type Amount, type AssetId, type Hash } from '../../../shared/types';
import type { AnsweringHealth, DarkBackend, DarkConnector } from '../../../extension/background/secret/backend';
import { trustWorkers, type WorkerSet } from '../../../shared/client/worker-set';
import { trustContract } from '../../../shared/client/contract';
import { depositRef } from '../../../shared/protocol/refs';
import { attestedWorker } from '../../helpers/worker-records';

/** Where the fake's one worker says it answers (the network settings' default). */
const WORKER_URL = 'http://127.0.0.1:8000';

const CONTRACT_PUB = new Uint8Array(32).fill(7);
const GENESIS = new Uint8Array(32).fill(3);
/** The chain's dev attestation authority: reports in this fake are really signed and verified. */
const AUTHORITY = identityFromSeed(new Uint8Array(32).fill(1));

/** The `PhalaModule` state of a contract whose key `ecdhPub` a real dev attestation vouches for. */
function attestedState(ecdhPub: Uint8Array, identitySeed: number): Omit<ContractState, 'measurementAllowed'> {
  const identityPub = identityFromSeed(new Uint8Array(32).fill(identitySeed)).publicKey;
  const report = signDevAttestation(AUTHORITY, GENESIS, {
    provider: 'Dev', contractId: contractId(1), measurement: DEV_MEASUREMENT, identityPub, ecdhPub, issuedAt: 1n,
  });
  return {
    genesisHash: GENESIS, contractId: contractId(1),
    key: { ecdhPub, identityPub, measurement: fromHex(DEV_MEASUREMENT) },
    attestation: encodeAttestation(report), devAuthority: AUTHORITY.publicKey,
    workers: [attestedWorker({ authority: AUTHORITY, genesisHash: GENESIS, contract: 1, ecdhPub, identitySeed, url: WORKER_URL })],
    tcbPolicy: DEFAULT_TCB_POLICY,
  };
}
const hex32 = (n: number, fill = 'ab') => `0x${n.toString(16).padStart(8, '0')}${fill.repeat(28)}`;

export class FakeDark implements DarkConnector {
  trusted = true;
  workerUp = true;
  /** Workers of the contract registered on chain after the first one (a client sees them once it re-reads the list). */
  joinedWorkers = 0;
  #workersRead = 0;
  /** The worker serves another key than the one on chain. */
  impostor = false;
  /** While set, submissions wait for it (the operation stays pending). */
  gate: Promise<void> | null = null;
  /** While set, balance and history queries wait for it (the worker is slow to answer). */
  readGate: Promise<void> | null = null;
  /** The chain refuses the next submission. */
  refuseNext = false;
  /**
   * The fee of the relayer the client was given (null: no relayer, commands go out from the account),
   * and whether it answers. As `DarkClient` with a `relayUrl`: every command but a deposit goes through
   * it, pays the fee from secret PHA (a `RelayFee` entry beside the command's), and a relayer that is
   * down refuses with `RelayUnavailable` and nothing is submitted.
   */
  relayFee: bigint | null = null;
  relayUp = true;
  /** When set, waitFor fails (the worker did not answer in time). */
  waitForFails = false;
  waitForCalls = 0;
  /** Balance and history queries held at `readGate` right now. */
  readsWaiting = 0;
  resets = 0;
  block = 10;
  /** `AllowedMeasurements` of the contract key's measurement (governance may remove it): its one worker runs that code. */
  measurementAllowed = true;
  /** The contract key the chain endpoint names now (a lying endpoint or a re-registration may change it). */
  chainPub = CONTRACT_PUB;
  /** The key the connected client seals to: taken when it connects, like `DarkClient.connect`. */
  #connectedPub: Uint8Array | null = null;
  readonly #heads = new Set<() => void>();
  readonly submissions: { op: string; sender: AccountId; args: unknown; sealedTo: string; relayed: boolean }[] = [];
  readonly assetList: AssetInfo[] = [{ id: 0 as AssetId, symbol: 'PHA', name: 'Secret PHA', decimals: 12, issuer: null }];
  readonly #balances = new Map<AccountId, Map<number, bigint>>();
  readonly #history = new Map<AccountId, HistoryEntry[]>();

  async client(): Promise<DarkBackend> {
    if (!this.trusted) throw new ClientError('UntrustedWorker', "The contract's key cannot be trusted: no worker is registered for contract 1.");
    this.#connectedPub ??= this.chainPub;
    const fake = this;
    // The worker set as last read, like the real client's getter (a spread would freeze it).
    return { ...this.#backend, contract: { ...this.#backend.contract, contractPub: this.#connectedPub }, get workerSet() { return fake.#workerSet(); } };
  }

  async contractState(): Promise<ContractState> {
    const state = attestedState(this.chainPub, this.chainPub === CONTRACT_PUB ? 5 : 6);
    const workers = state.workers.map((w) => ({ ...w, measurementAllowed: this.measurementAllowed }));
    return { ...state, key: this.trusted ? state.key : null, measurementAllowed: this.measurementAllowed, workers };
  }

  async watchHeads(onHead: () => void): Promise<() => void> {
    this.#heads.add(onHead);
    return () => this.#heads.delete(onHead);
  }

  /** The chain endpoint starts naming another (validly attested) contract key. */
  swapKey(): Uint8Array {
    this.chainPub = new Uint8Array(32).fill(8);
    return this.chainPub;
  }

  /** A new block: whoever follows heads hears of it. */
  newHead(): void {
    this.block++;
    for (const h of this.#heads) h();
  }

  get following(): number {
    return this.#heads.size;
  }

  async health(): Promise<AnsweringHealth> {
    if (!this.workerUp) throw new ClientError('WorkerUnavailable', 'down');
    const contractPub = toHex(this.impostor ? new Uint8Array(32).fill(9) : this.chainPub);
    return {
      url: WORKER_URL, lastBlock: this.block, lastBlockHash: null, contractId: 1, contractPub, identityPub: '0x',
      attestation: { provider: 'Dev', label: 'development attestation — not hardware protected', measurement: '0x' },
    };
  }

  async txHash(blockHash: string): Promise<string> {
    return `0x${'77'.repeat(28)}${blockHash.slice(2, 10)}`;
  }

  async token() {
    return { symbol: 'PHA', decimals: 12 };
  }

  reset(): void {
    this.resets++;
    this.#connectedPub = null;
  }

  /** Secret balance, as the ledger holds it. */
  balance(who: string, asset = 0): bigint {
    return this.#balances.get(accountId(who))?.get(asset) ?? 0n;
  }

  historyOf(who: string): HistoryEntry[] {
    return this.#history.get(accountId(who)) ?? [];
  }

  /** Credits secret balance directly (a deposit made elsewhere). */
  fund(who: string, amount: bigint, asset = 0): void {
    this.#credit(accountId(who), asset, amount);
  }

  #credit(who: AccountId, asset: number, amount: bigint): void {
    const m = this.#balances.get(who) ?? new Map<number, bigint>();
    m.set(asset, (m.get(asset) ?? 0n) + amount);
    this.#balances.set(who, m);
  }

  #record(who: AccountId, e: Omit<HistoryEntry, 'index'>): void {
    const list = this.#history.get(who) ?? [];
    list.push({ ...e, index: 1 });
    this.#history.set(who, list);
  }

  async #include(op: string, pair: KeyringPair, args: unknown, apply: (ctx: { block: number; ref: Hash; sender: AccountId }) => void, deposit?: bigint): Promise<Submitted> {
    if (this.gate) await this.gate;
    if (this.refuseNext) {
      this.refuseNext = false;
      throw new ClientError('ChainRejected', chainRefusal('balances.InsufficientBalance'), 'balances.InsufficientBalance');
    }
    const sender = accountId(pair.publicKey);
    const fee = deposit === undefined ? this.relayFee : null;
    if (fee !== null && !this.relayUp) throw new ClientError('RelayUnavailable', 'The relayer at http://relay.test is not reachable.');
    this.submissions.push({ op, sender, args, sealedTo: toHex(this.#connectedPub ?? new Uint8Array()), relayed: fee !== null });
    const block = ++this.block;
    const blockHash = hex32(block);
    const ref = (deposit !== undefined ? depositRef(blockHash as Hash, 1, sender, deposit as Amount) : hex32(block, 'cd')) as Hash;
    if (fee !== null) {
      this.#credit(sender, 0, -fee);
      this.#record(sender, { block, kind: 'RelayFee', direction: 'Out', asset: 0 as AssetId, counterparty: null, amount: fee as Amount, outcome: { ok: true, receiptSeq: null }, ref });
    }
    apply({ block, ref, sender });
    return { kind: deposit !== undefined ? 'deposit' : 'command', sender, ref: deposit !== undefined ? null : ref, blockHash, blockNumber: block, extrinsicIndex: 1, events: [] };
  }

  #fail(who: AccountId, ctx: { block: number; ref: Hash }, kind: HistoryEntry['kind'], asset: number, amount: bigint, error: LedgerErrorCode): void {
    this.#record(who, { block: ctx.block, kind, direction: kind === 'Issue' ? 'Self' : 'Out', asset: asset as AssetId, counterparty: null, amount: amount as Amount, outcome: { ok: false, error }, ref: ctx.ref });
  }

  async #atReadGate(): Promise<void> {
    this.readsWaiting++;
    try {
      await this.readGate;
    } finally {
      this.readsWaiting--;
    }
  }

  /** The contract's state on chain with `joined` more workers (serving the same key) than the first. */
  #stateWithWorkers(joined: number): ContractState {
    const state = attestedState(CONTRACT_PUB, 5);
    const more = Array.from({ length: joined }, (_, i) => attestedWorker({
      authority: AUTHORITY, genesisHash: GENESIS, contract: 1, ecdhPub: CONTRACT_PUB, identitySeed: 20 + i, url: `http://127.0.0.1:${8001 + i}`,
    }));
    return { ...state, workers: [...state.workers, ...more], measurementAllowed: true };
  }

  #workerSet(): WorkerSet {
    const state = this.#stateWithWorkers(this.#workersRead);
    return trustWorkers(state, trustContract(state));
  }

  readonly #backend: DarkBackend = {
    contract: { contractId: 1, attestationLabel: 'development attestation — not hardware protected', hardwareProtected: false, contractPub: CONTRACT_PUB },
    workerSet: { trusted: [], excluded: [] }, // replaced by the getter `client()` adds
    refreshWorkers: async () => {
      const changed = this.#workersRead !== this.joinedWorkers;
      this.#workersRead = this.joinedWorkers;
      return changed;
    },
    health: () => this.health(),
    checkpointStatus: async () => ({ state: 'none' as const }),
    convertToSecret: (pair, value) => this.#include('convertToSecret', pair, { value }, (ctx) => {
      this.#credit(ctx.sender, 0, value);
      this.#record(ctx.sender, { block: ctx.block, kind: 'Deposit', direction: 'In', asset: 0 as AssetId, counterparty: null, amount: value, outcome: { ok: true, receiptSeq: null }, ref: ctx.ref });
    }, value),
    convertToPublic: (pair, args) => this.#include('convertToPublic', pair, args, (ctx) => {
      if (this.balance(ctx.sender) < args.amount) return this.#fail(ctx.sender, ctx, 'Withdraw', 0, args.amount, 'InsufficientBalance');
      this.#credit(ctx.sender, 0, -args.amount);
      this.#record(ctx.sender, { block: ctx.block, kind: 'Withdraw', direction: 'Out', asset: 0 as AssetId, counterparty: args.dest, amount: args.amount, outcome: { ok: true, receiptSeq: 1n }, ref: ctx.ref });
    }),
    transfer: (pair, args) => this.#include('transfer', pair, args, (ctx) => {
      if (!this.assetList.some((a) => a.id === args.asset)) return this.#fail(ctx.sender, ctx, 'Transfer', args.asset, args.amount, 'UnknownAsset');
      if (this.balance(ctx.sender, args.asset) < args.amount) return this.#fail(ctx.sender, ctx, 'Transfer', args.asset, args.amount, 'InsufficientBalance');
      this.#credit(ctx.sender, args.asset, -args.amount);
      this.#credit(args.dest, args.asset, args.amount);
      this.#record(ctx.sender, { block: ctx.block, kind: 'Transfer', direction: 'Out', asset: args.asset, counterparty: args.dest, amount: args.amount, outcome: { ok: true, receiptSeq: null }, ref: ctx.ref });
      this.#record(args.dest, { block: ctx.block, kind: 'Transfer', direction: 'In', asset: args.asset, counterparty: ctx.sender, amount: args.amount, outcome: { ok: true, receiptSeq: null }, ref: ctx.ref });
    }),
    issue: (pair, args) => this.#include('issue', pair, args, (ctx) => {
      if (this.assetList.some((a) => a.symbol.toLowerCase() === args.symbol.toLowerCase())) return this.#fail(ctx.sender, ctx, 'Issue', 0, args.supply, 'SymbolTaken');
      const id = this.assetList.length as AssetId;
      this.assetList.push({ id, symbol: args.symbol, name: args.name, decimals: args.decimals, issuer: ctx.sender });
      this.#credit(ctx.sender, id, args.supply);
      this.#record(ctx.sender, { block: ctx.block, kind: 'Issue', direction: 'Self', asset: id, counterparty: null, amount: args.supply, outcome: { ok: true, receiptSeq: null }, ref: ctx.ref });
    }),
    // The SDK's check of the secret side (its public side needs a chain: the browser tests cover it).
    ensureAffordable: async (pair, op) => {
      const spend = op.kind === 'Transfer' ? op : op.kind === 'Withdraw' ? { asset: 0, amount: op.amount } : null;
      if (op.kind !== 'Deposit' && this.relayFee !== null) {
        if (!this.relayUp) throw new ClientError('RelayUnavailable', 'The relayer at http://relay.test is not reachable.');
        if (this.balance(pair.address) < this.relayFee + (spend?.asset === 0 ? spend.amount : 0n)) {
          throw new ClientError('InsufficientBalance', "The secret PHA balance cannot pay this and the relayer's fee, so the confidential contract would refuse it. Nothing was sent.");
        }
      }
      if (spend && this.balance(pair.address, spend.asset) < spend.amount) {
        throw new ClientError('InsufficientBalance', 'The secret balance is lower than this amount, so the confidential contract would refuse it. Nothing was sent.');
      }
    },
    balances: async (pair) => {
      await this.#atReadGate();
      if (!this.workerUp) throw new ClientError('WorkerUnavailable', 'down');
      const m = this.#balances.get(accountId(pair.publicKey)) ?? new Map<number, bigint>();
      return [...m].filter(([, v]) => v > 0n).map(([asset, amount]) => ({ asset: asset as AssetId, amount: amount as Amount }));
    },
    history: async (pair, from = 0, limit = 100) => {
      await this.#atReadGate();
      if (!this.workerUp) throw new ClientError('WorkerUnavailable', 'down');
      const all = this.historyOf(pair.address);
      return { total: all.length, entries: all.slice(from, from + limit) };
    },
    // As the worker answers: the issuer only to the issuer, asking as itself.
    assets: async (as) => {
      if (!this.workerUp) throw new ClientError('WorkerUnavailable', 'down');
      return this.assetList.map((a) => (as && a.issuer === accountId(as.publicKey) ? a : { ...a, issuer: null }));
    },
    grantPermit: (owner, grant) => signPermit(owner, { genesisHash: new Uint8Array(32), contractId: contractId(1), contractPub: CONTRACT_PUB }, grant),
    revokePermit: (pair, permit) => this.#include('revokePermit', pair, { permit }, (ctx) => {
      this.#record(ctx.sender, { block: ctx.block, kind: 'RevokePermit', direction: 'Self', asset: 0 as AssetId, counterparty: null, amount: 0n as Amount, outcome: { ok: true, receiptSeq: null }, ref: ctx.ref });
    }),
    relayFee: async () => {
      if (this.relayFee !== null && !this.relayUp) throw new ClientError('RelayUnavailable', 'The relayer at http://relay.test is not reachable.');
      return this.relayFee === null ? null : (this.relayFee as Amount);
    },
    waitFor: async (pair, submitted) => {
      this.waitForCalls++;
      if (!this.workerUp || this.waitForFails) throw new ClientError('WorkerUnavailable', 'down');
      const entry = this.historyOf(pair.address).find((e) => e.block === submitted.blockNumber && (submitted.ref === null ? e.kind === 'Deposit' : e.ref === submitted.ref && e.kind !== 'RelayFee'));
      if (!entry) throw new ClientError('Timeout', 'no record');
      return entry;
    },
  };
}
