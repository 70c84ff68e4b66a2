/**
 * The node: genesis, the block log replay on start, the pool, and block production — instant
 * (each submission sealed promptly, whatever is queued batched into one block) or on an interval.
 * Every block is final as soon as it is sealed, and sealed only once it is durable.
 */
import { u8aEq, u8aToHex } from '@polkadot/util';
import type { AccountId } from '../../../shared/types';
import { Invalid, invalidTx, RPC_ALREADY_IMPORTED, RPC_PRIORITY_TOO_LOW, TxRejected } from '../runtime/errors';
import { checkExtrinsic, type ChainView, type CheckedTx } from '../runtime/extrinsic';
import { genesisChanges } from '../runtime/genesis';
import { inlineVerifier, type Verifier } from '../runtime/signature';
import type { GrandpaAuthority } from '../runtime/pallets/grandpa';
import { nonceOf } from '../runtime/pallets/system';
import { nowOf } from '../runtime/pallets/timestamp';
import type { Runtime } from '../runtime/runtime';
import { VersionedState, type Changes } from '../runtime/state';
import { Storage } from '../runtime/storage';
import type { Trie } from '../../../shared/trie';
import { decodeBlock, decodeChanges, encodeBlock, encodeChanges, sealBlock, type SealedBlock } from './block';
import type { BlockLog } from './blockLog';
import { TxPool } from './pool';

interface OpenLog {
  log: BlockLog;
  records: Uint8Array[];
}

export type TxStatus = 'ready' | { inBlock: string } | { finalized: string } | 'invalid';
export type BlockListener = (block: SealedBlock, changes: Changes) => void;

export interface ChainOptions {
  runtime: Runtime;
  authorityPub: Uint8Array;
  /** The genesis GRANDPA authority set. */
  grandpaAuthorities: GrandpaAuthority[];
  /** Durable log and the records it already holds; without it the chain lives in memory only. */
  log?: OpenLog & {
    /** Cache of each logged block's encoded storage changes: a restart commits them instead of re-executing. */
    changes?: OpenLog;
  };
  /** Interval block production; instant sealing when absent. */
  blockTimeMs?: number;
  /**
   * With instant sealing: an empty block after this long without any block. A real chain never stops
   * producing blocks, and the worker's receipt cadence counts blocks, so an idle dev chain must too.
   */
  idleBlockMs?: number;
  /** Signature verification; inline by default. */
  verifier?: Verifier;
  /** The wall clock (ms since the epoch) block timestamps are taken from; `Date.now` by default. */
  now?: () => number;
}

export class Chain implements ChainView {
  readonly runtime: Runtime;
  readonly state = new VersionedState();
  readonly genesisHash: string;
  readonly #genesis: Uint8Array;
  readonly #blocks: SealedBlock[] = [];
  readonly #byHash = new Map<string, number>();
  readonly #pool = new TxPool();
  readonly #watchers = new Map<string, (status: TxStatus) => void>();
  readonly #listeners = new Set<BlockListener>();
  readonly #log: BlockLog | null;
  readonly #changesLog: BlockLog | null;
  readonly #verifier: Verifier;
  readonly #now: () => number;
  #sealScheduled = false;
  #timer: NodeJS.Timeout | null = null;
  readonly #idleBlockMs: number | null;
  #idle: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(opts: ChainOptions) {
    this.runtime = opts.runtime;
    const changes = genesisChanges(opts.runtime, opts.authorityPub, opts.grandpaAuthorities);
    const trie = this.state.next(changes);
    this.genesisHash = this.#commit(sealBlock(this.#registry, u8aToHex(new Uint8Array(32)), 0, trie.rootHash(), []), changes, trie);
    this.#genesis = this.#blocks[0].header.hash.toU8a();
    this.#replayLog(opts.log);
    this.#log = opts.log?.log ?? null;
    this.#changesLog = opts.log?.changes?.log ?? null;
    this.#verifier = opts.verifier ?? inlineVerifier;
    this.#now = opts.now ?? Date.now;
    if (opts.blockTimeMs) this.#timer = setInterval(() => this.produceBlock(), opts.blockTimeMs);
    this.#idleBlockMs = opts.blockTimeMs ? null : opts.idleBlockMs ?? null;
    this.#armIdleBlock();
  }

  /** (Re)starts the wait for the next empty block: called at start and after every block. */
  #armIdleBlock(): void {
    if (this.#idleBlockMs === null || this.#closed) return;
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = setTimeout(() => {
      this.#idle = null;
      if (this.#closed) return;
      // Not idle while transactions wait (being verified): their own seal comes, and a block now could outlive their era.
      if (this.#pool.pending().length) this.#armIdleBlock();
      else this.produceBlock();
    }, this.#idleBlockMs);
  }

  get #registry() {
    return this.runtime.codec.registry;
  }

  get head(): SealedBlock {
    return this.#blocks[this.#blocks.length - 1];
  }

  block(number: number): SealedBlock | null {
    return this.#blocks[number] ?? null;
  }

  blockHash(number: number): string | null {
    return this.#blocks[number]?.hash ?? null;
  }

  numberOf(hash: string): number | null {
    return this.#byHash.get(hash.toLowerCase()) ?? null;
  }

  onBlock(listener: BlockListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Storage at the head, for reads that do not name a block. */
  headStorage(): Storage {
    return Storage.over(this.runtime.codec, this.state);
  }

  /** The nonce the sender's next transaction should carry (`system_accountNextIndex`). */
  nextIndex(who: AccountId): number {
    return this.#pool.nextNonce(who, nonceOf(this.headStorage(), who));
  }

  /** Transactions waiting for a block, in arrival order. */
  pendingExtrinsics(): Uint8Array[] {
    return this.#pool.pending();
  }

  /**
   * Validates and queues a transaction; rejects with TxRejected (nothing queued) when it is not
   * valid now. `watch` then hears `inBlock`/`finalized`, or `invalid` if a block later refuses it.
   * Everything but the signature is checked at once, in arrival order; the signature is verified
   * by the verifier (possibly on another thread) while the transaction holds its nonce in the pool.
   */
  async submit(bytes: Uint8Array, watch?: (status: TxStatus) => void): Promise<string> {
    const number = this.head.number + 1;
    const tx = checkExtrinsic(this.runtime.codec, this, bytes, number);
    if (this.#pool.has(tx.hash)) throw new TxRejected(RPC_ALREADY_IMPORTED, 'Transaction Already Imported');
    const storage = this.headStorage();
    let next: number | undefined;
    if (tx.signer !== null) {
      const current = nonceOf(storage, tx.signer);
      next = this.#pool.nextNonce(tx.signer, current);
      if (tx.nonce < next && tx.nonce >= current) {
        throw new TxRejected(RPC_PRIORITY_TOO_LOW, 'Priority is too low: a transaction with this nonce is already queued');
      }
    }
    this.runtime.validate(storage, { number, genesisHash: this.#genesis }, tx, next);
    this.#pool.add(tx, tx.proof === null);
    if (tx.proof) {
      const ok = await this.#verifier.verify(tx.proof()).catch(() => false);
      if (!ok) {
        this.#pool.remove(tx);
        throw invalidTx(Invalid.badSignature);
      }
      this.#pool.verified(tx);
    }
    if (watch) this.#watchers.set(tx.hash, watch);
    if (!this.#timer) this.#scheduleSeal();
    return tx.hash;
  }

  #scheduleSeal(): void {
    if (this.#sealScheduled) return;
    this.#sealScheduled = true;
    // setImmediate lets every submission already read from the sockets join this block.
    setImmediate(() => {
      this.#sealScheduled = false;
      if (this.#pool.ready && !this.#closed) this.produceBlock();
    });
  }

  /** Builds, persists, commits and announces the next block from everything queued. */
  produceBlock(): SealedBlock {
    const txs = this.#pool.drain();
    const previous = nowOf(this.headStorage());
    const clock = BigInt(this.#now());
    const timestamp = clock > previous ? clock : previous + 1n; // never backwards, whatever the clock does
    const number = this.head.number + 1;
    const inherent = this.runtime.codec.unsignedExtrinsic('timestamp', 'set', timestamp);
    const { block, changes, trie, refused } = this.#execute(number, inherent, txs);
    this.#log?.append(encodeBlock(block));
    // Not fsynced: a cache entry lost in a crash is rebuilt by re-executing that block on start.
    this.#changesLog?.append(encodeChanges(changes), false);
    this.#commit(block, changes, trie);

    const invalid = new Set(refused.map(([tx]) => tx));
    for (const tx of txs) {
      if (invalid.has(tx)) {
        this.#notify(tx.hash, 'invalid');
        continue;
      }
      this.#notify(tx.hash, { inBlock: block.hash });
      this.#notify(tx.hash, { finalized: block.hash });
    }
    for (const listener of this.#listeners) listener(block, changes);
    this.#armIdleBlock();
    return block;
  }

  #execute(number: number, inherentBytes: Uint8Array, txs: CheckedTx[]) {
    const builder = this.runtime.newBlock(this.state, { number, genesisHash: this.#genesis });
    builder.applyInherent(checkExtrinsic(this.runtime.codec, this, inherentBytes, number));
    const refused: Array<[CheckedTx, TxRejected]> = [];
    for (const tx of txs) {
      const error = builder.apply(tx);
      if (error) refused.push([tx, error]);
    }
    const parent = this.head;
    const { extrinsics, digest, changes } = builder.finish(parent.hash);
    const trie = this.state.next(changes);
    return { block: sealBlock(this.#registry, parent.hash, number, trie.rootHash(), extrinsics, digest), changes, trie, refused };
  }

  /**
   * Rebuilds the chain from its log: each block's cached changes are committed when applying them
   * gives the block's state root; from the first block without a valid cache entry on, blocks are re-executed
   * and the cache is rewritten from there.
   */
  #replayLog(opened: ChainOptions['log']): void {
    const cache = opened?.changes;
    let rewriting = false;
    for (const [i, record] of (opened?.records ?? []).entries()) {
      if (cache && !rewriting && i < cache.records.length && this.#restore(record, cache.records[i])) continue;
      const encoded = this.#replay(record);
      if (!cache) continue;
      if (!rewriting) cache.log.truncateTo(cache.records, i);
      rewriting = true;
      cache.log.append(encoded, false);
    }
    if (cache && !rewriting && cache.records.length > (opened?.records.length ?? 0)) cache.log.truncateTo(cache.records, opened!.records.length);
  }

  /** Commits a logged block with its cached changes; false when they are not this block's (then it is re-executed). */
  #restore(record: Uint8Array, cached: Uint8Array): boolean {
    const { header, extrinsics } = decodeBlock(this.#registry, record);
    const number = header.number.toNumber();
    if (number !== this.head.number + 1 || header.parentHash.toHex() !== this.head.hash) throw foreignLog(number);
    let changes: Changes;
    try {
      changes = decodeChanges(cached);
    } catch {
      return false;
    }
    const trie = this.state.next(changes);
    if (!u8aEq(trie.rootHash(), header.stateRoot.toU8a())) return false;
    this.#commit({ number, hash: header.hash.toHex(), header, extrinsics }, changes, trie);
    return true;
  }

  /** Re-executes a logged block, checks it reproduces the logged hash, and returns its encoded changes. */
  #replay(record: Uint8Array): Uint8Array {
    const { header, extrinsics } = decodeBlock(this.#registry, record);
    const number = header.number.toNumber();
    const [inherent, ...rest] = extrinsics;
    // Signatures were verified when the block was built; the replay re-executes, it does not re-verify.
    const txs = rest.map((bytes) => checkExtrinsic(this.runtime.codec, this, bytes, number));
    const { block, changes, trie, refused } = this.#execute(number, inherent, txs);
    if (refused.length || block.hash !== header.hash.toHex()) throw foreignLog(number);
    this.#commit(block, changes, trie);
    return encodeChanges(changes);
  }

  #commit(block: SealedBlock, changes: Changes, trie: Trie): string {
    this.state.commit(block.number, changes, trie);
    this.#blocks.push(block);
    this.#byHash.set(block.hash, block.number);
    return block.hash;
  }

  #notify(hash: string, status: TxStatus): void {
    const watcher = this.#watchers.get(hash);
    if (!watcher) return;
    if (typeof status === 'string' || 'finalized' in status) this.#watchers.delete(hash);
    watcher(status);
  }

  /** Stops a watcher (the client unsubscribed); the transaction itself stays queued. */
  unwatch(hash: string): void {
    this.#watchers.delete(hash);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = null;
    this.#log?.close();
    this.#changesLog?.close();
    await this.#verifier.close();
  }
}

const foreignLog = (number: number) =>
  new Error(`Block #${number} of the block log does not replay to the same block: the base path belongs to another chain build. Use a fresh --base-path.`);
