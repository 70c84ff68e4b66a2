/**
 * The runtime: transaction validity (what the pool and the block builder both ask) and block
 * execution (inherent, then transactions, each with fee, dispatch and events, then System.Events).
 */
import type { Call } from '@polkadot/types/interfaces';
import type { AccountId } from '../../../shared/types';
import type { RuntimeMetadata } from '../metadata/build';
import { RuntimeCodec, type EventRecordInput } from './codec';
import { Dispatcher, type BlockEnv, type Origin } from './dispatch';
import { Invalid, invalidTx, TxRejected, type DispatchErrorValue } from './errors';
import type { CheckedTx } from './extrinsic';
import { computeFee, dispatchInfo, type DispatchClass, type FeeDetails } from './fees';
import { balancesCalls, ensureCanPayFee, payForTransaction } from './pallets/balances';
import { digestItemValue, grandpaCalls, grandpaOnFinalize, type ConsensusDigest } from './pallets/grandpa';
import { phalaCalls } from './pallets/phala';
import { sudoCalls } from './pallets/sudo';
import { nonceOf, systemCalls } from './pallets/system';
import { timestampCalls } from './pallets/timestamp';
import type { Changes, StorageReader } from './state';
import { Storage } from './storage';

export interface DispatchInfo {
  refTime: bigint;
  class: DispatchClass;
  fee: FeeDetails;
}

export class Runtime {
  readonly codec: RuntimeCodec;
  readonly dispatcher: Dispatcher;

  constructor(meta: RuntimeMetadata) {
    this.codec = new RuntimeCodec(meta);
    this.dispatcher = new Dispatcher(this.codec, {
      system: systemCalls,
      timestamp: timestampCalls,
      balances: balancesCalls,
      sudo: sudoCalls,
      grandpa: grandpaCalls,
      phalaModule: phalaCalls,
    });
  }

  /** Weight, class and fee of a call in an extrinsic of `encodedLength` bytes (no signature check). */
  dispatchInfo(call: Call, encodedLength: number): DispatchInfo {
    const refTime = this.dispatcher.weigh(call);
    return { refTime, class: this.dispatcher.handler(call).class ?? 'Normal', fee: computeFee(refTime, encodedLength) };
  }

  /**
   * Everything that decides whether `tx` may enter a block on top of `storage`: call kind, nonce,
   * fee and the call's own validation. `nextNonce` lets the pool accept a sender's queued sequence.
   */
  validate(storage: Storage, env: BlockEnv, tx: CheckedTx, nextNonce?: number): DispatchInfo {
    const handler = this.dispatcher.handler(tx.call);
    if (handler.class === 'Mandatory') throw invalidTx(Invalid.call);
    const info = this.dispatchInfo(tx.call, tx.bytes.length);
    if (tx.signer === null) {
      if (!handler.unsigned) throw invalidTx(Invalid.call);
    } else {
      const current = nonceOf(storage, tx.signer);
      if (tx.nonce < current) throw invalidTx(Invalid.stale);
      if (tx.nonce > (nextNonce ?? current)) throw invalidTx(Invalid.future);
      ensureCanPayFee(storage, tx.signer, info.fee.partialFee + tx.tip);
    }
    this.dispatcher.validate({ storage, origin: originOf(tx.signer), env }, tx.call);
    return info;
  }

  newBlock(state: StorageReader, env: BlockEnv): BlockBuilder {
    return new BlockBuilder(this, Storage.over(this.codec, state), env);
  }
}

const originOf = (signer: AccountId | null): Origin => (signer === null ? { kind: 'none' } : { kind: 'signed', who: signer });

export class BlockBuilder {
  readonly #records: EventRecordInput[] = [];
  readonly #extrinsics: Uint8Array[] = [];

  constructor(
    private readonly rt: Runtime,
    private readonly storage: Storage,
    private readonly env: BlockEnv,
  ) {}

  /** The block author's inherent (Timestamp.set): it must succeed or the block is invalid. */
  applyInherent(tx: CheckedTx): void {
    const { dispatcher, codec } = this.rt;
    const handler = dispatcher.handler(tx.call);
    if (tx.signer !== null || handler.class !== 'Mandatory') throw new Error('Expected an unsigned inherent.');
    const events: Uint8Array[] = [];
    const error = dispatcher.dispatch(this.storage, this.env, tx.call, { kind: 'none' }, (e) => events.push(e));
    if (error !== null) throw new Error('The block inherent failed.');
    events.push(codec.event('System', 'ExtrinsicSuccess', { dispatchInfo: dispatchInfo(dispatcher.weigh(tx.call), 'Mandatory') }));
    this.#include(tx, events);
  }

  /**
   * Includes `tx`, or refuses it (nothing written) when it is no longer valid here. An unexpected
   * exception refuses the transaction too: one bad transaction must never stop block production.
   */
  apply(tx: CheckedTx): TxRejected | null {
    const outcome = this.applyWithOutcome(tx);
    return outcome instanceof TxRejected ? outcome : null;
  }

  /** `apply`, telling an included transaction's dispatch outcome too (what `system_dryRun` reports). */
  applyWithOutcome(tx: CheckedTx): TxRejected | { dispatchError: DispatchErrorValue | null } {
    const st = this.storage.layer();
    const events: Uint8Array[] = [];
    let dispatchError: DispatchErrorValue | null;
    try {
      dispatchError = this.#applyTo(st, tx, events);
    } catch (e) {
      if (e instanceof TxRejected) return e;
      return invalidTx(`Transaction could not be applied: ${e instanceof Error ? e.message : String(e)}`);
    }
    st.commitInto(this.storage);
    this.#include(tx, events);
    return { dispatchError };
  }

  #applyTo(st: Storage, tx: CheckedTx, events: Uint8Array[]): DispatchErrorValue | null {
    const { dispatcher, codec } = this.rt;
    const emit = (e: Uint8Array) => events.push(e);
    const deposit = (pallet: string, name: string, fields: Record<string, unknown>) => emit(codec.event(pallet, name, fields));
    if (tx.death <= this.env.number) throw invalidTx(Invalid.expired);
    const info = this.rt.validate(st, this.env, tx);
    const fee = info.fee.partialFee + tx.tip;
    if (tx.signer !== null) payForTransaction(st, deposit, tx.signer, fee);
    const error = dispatcher.dispatch(st, this.env, tx.call, originOf(tx.signer), emit, true);
    if (tx.signer !== null) deposit('TransactionPayment', 'TransactionFeePaid', { who: tx.signer, actualFee: fee, tip: tx.tip });
    const di = dispatchInfo(info.refTime, info.class);
    deposit('System', error === null ? 'ExtrinsicSuccess' : 'ExtrinsicFailed',
      error === null ? { dispatchInfo: di } : { dispatchError: error, dispatchInfo: di });
    return error;
  }

  #include(tx: CheckedTx, events: Uint8Array[]): void {
    const phase = { ApplyExtrinsic: this.#extrinsics.length };
    for (const event of events) this.#records.push({ phase, event });
    this.#extrinsics.push(tx.bytes);
  }

  /**
   * Runs the end-of-block hooks (GRANDPA's signals and enactments), writes the block's events, digest
   * and number; returns its extrinsics, header digest items and every storage change.
   */
  finish(parentHash: string): { extrinsics: Uint8Array[]; digest: ConsensusDigest[]; changes: Changes } {
    const st = this.storage;
    const { codec } = this.rt;
    const digest = grandpaOnFinalize(st, this.env.number, (pallet, name, fields) =>
      this.#records.push({ phase: 'Finalization', event: codec.event(pallet, name, fields) }));
    // frame_system keeps the digest in state for clients, as it keeps the events.
    st.put('system', 'digest', [], { logs: digest.map(digestItemValue) });
    if (this.#records.length) st.kv.set(st.codec.key('system', 'events'), st.codec.eventRecords(this.#records));
    else st.remove('system', 'events');
    st.put('system', 'eventCount', [], this.#records.length);
    st.put('system', 'number', [], this.env.number);
    st.put('system', 'parentHash', [], parentHash);
    return { extrinsics: this.#extrinsics, digest, changes: st.kv.changes };
  }
}
