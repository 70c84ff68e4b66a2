/**
 * Everything the ledger may learn from a block, derived from the verified body and the proven
 * events only: the secret commands (signer and contract id from the signed extrinsic, success from
 * its `ExtrinsicSuccess`/`ExtrinsicFailed`; a `push_commands` batch is its envelopes in order, all at
 * the batch's extrinsic index), the deposits into custody (`TransferToTee` events) and
 * the withdrawal receipts the chain paid (`TransferToChain` events) and the checkpoint verdicts
 * (`CheckpointMismatch` events). Only direct signed calls count:
 * a `pushCommand` dispatched by another call (sudo) has no signed origin and fails on chain anyway.
 */
import { accountIdFromBytes, amount, contractId, hash32, type AccountId, type Amount, type ContractId, type Hash } from '../../../shared/types';
import { refuse } from './errors';
import type { ChainEvent } from './events';
import type { DecodedExtrinsic } from './extrinsics';
import { asBigint, asBytes, asU32, field, ShapeError, withShape, type Value } from './value';

export interface VerifiedCommand {
  index: number;
  sender: AccountId;
  contractId: ContractId;
  payload: Uint8Array;
  success: boolean;
}

export interface VerifiedDeposit {
  index: number;
  /** The contract whose custody was paid (`TransferToTee(contractId, who, amount)`). */
  contractId: ContractId;
  who: AccountId;
  amount: Amount;
}

export interface PaidReceipt {
  index: number;
  /** From the event when it names one, else from the paying `transfer_to_chain` call's receipt; null if neither does. */
  contractId: ContractId | null;
  dest: AccountId;
  amount: Amount;
  seq: bigint;
}

/**
 * `CheckpointMismatch(contractId, blockNumber, blockHash, stateRoot)`: the workers' checkpoints of a
 * block differ, and the chain names the reference ledger (DESIGN.md §11) a worker must match to relay.
 */
export interface CheckpointVerdict {
  index: number;
  contractId: ContractId;
  blockNumber: number;
  blockHash: Hash;
  stateRoot: Hash;
}

export interface LedgerInputs {
  commands: VerifiedCommand[];
  deposits: VerifiedDeposit[];
  receiptsPaid: PaidReceipt[];
  mismatches: CheckpointVerdict[];
}

const PHALA = 'PhalaModule';

const account = (v: Value) => accountIdFromBytes(asBytes(v, 32));
function asList(v: Value): Value[] {
  if (!Array.isArray(v)) throw new ShapeError('not a list');
  return v;
}
/**
 * `TransferToChain(dest, amount, seq)` does not name its contract, and seqs are per contract: the
 * contract comes from the verified `transfer_to_chain(receipt, signature)` call that emitted it, or
 * from its `transfer_to_chain_batch(receipts)` call, whose receipts the chain requires be of one contract.
 */
function paidContract(fields: ReadonlyMap<string, Value>, payer: DecodedExtrinsic | undefined): ContractId | null {
  if (fields.has('contract_id')) return contractId(asU32(fields.get('contract_id')!));
  if (payer?.pallet !== PHALA) return null;
  if (payer.call === 'transfer_to_chain') return contractId(asU32(field(field(record(payer.args), 'receipt'), 'contract_id')));
  if (payer.call !== 'transfer_to_chain_batch') return null;
  const receipts = field(record(payer.args), 'receipts');
  if (!Array.isArray(receipts) || receipts.length === 0) return null;
  return contractId(asU32(field(field(receipts[0], 'receipt'), 'contract_id')));
}
const record = (fields: ReadonlyMap<string, Value>): Value => ({ kind: 'record', fields });

/**
 * Each extrinsic's outcome: every applied extrinsic emits exactly one `ExtrinsicSuccess` or
 * `ExtrinsicFailed` in its own phase, so anything else means the events are not this body's.
 */
function outcomes(events: readonly ChainEvent[], count: number): boolean[] {
  const result: (boolean | undefined)[] = new Array(count);
  for (const e of events) {
    if (e.phase.kind !== 'applyExtrinsic') continue;
    const { index } = e.phase;
    if (index >= count) throw refuse('BadEvents', 'An event names an extrinsic the body does not have.');
    if (e.pallet !== 'System' || (e.name !== 'ExtrinsicSuccess' && e.name !== 'ExtrinsicFailed')) continue;
    if (result[index] !== undefined) throw refuse('BadEvents', 'An extrinsic has two outcomes.');
    result[index] = e.name === 'ExtrinsicSuccess';
  }
  if (result.some((r) => r === undefined) || result.length !== count) throw refuse('BadEvents', 'An extrinsic of the body has no outcome event.');
  return result as boolean[];
}

function derive(extrinsics: readonly DecodedExtrinsic[], events: readonly ChainEvent[]): LedgerInputs {
  const success = outcomes(events, extrinsics.length);
  const commands = extrinsics
    .filter((x) => x.signer !== null && x.pallet === PHALA && (x.call === 'push_command' || x.call === 'push_commands'))
    .flatMap((x) => {
      const args = record(x.args);
      const payloads = x.call === 'push_command' ? [field(args, 'payload')] : asList(field(args, 'payloads'));
      return payloads.map((p) => ({
        index: x.index, sender: x.signer!, contractId: contractId(asU32(field(args, 'contract_id'))),
        payload: asBytes(p), success: success[x.index],
      }));
    });
  const deposits: VerifiedDeposit[] = [];
  const receiptsPaid: PaidReceipt[] = [];
  const mismatches: CheckpointVerdict[] = [];
  for (const e of events) {
    if (e.phase.kind !== 'applyExtrinsic' || e.pallet !== PHALA) continue;
    const { index } = e.phase;
    // A failed extrinsic's own events are rolled back; one here would not be the runtime's.
    if ((e.name === 'TransferToTee' || e.name === 'TransferToChain' || e.name === 'CheckpointMismatch') && !success[index]) throw refuse('BadEvents', 'A failed extrinsic carries a transfer event.');
    const f = record(e.fields);
    if (e.name === 'TransferToTee') {
      deposits.push({ index, contractId: contractId(asU32(field(f, 'contract_id'))), who: account(field(f, 'who')), amount: amount(asBigint(field(f, 'amount'))) });
    } else if (e.name === 'TransferToChain') {
      receiptsPaid.push({
        index, contractId: paidContract(e.fields, extrinsics[index]), dest: account(field(f, 'dest')),
        amount: amount(asBigint(field(f, 'amount'))), seq: asBigint(field(f, 'seq')),
      });
    } else if (e.name === 'CheckpointMismatch') {
      mismatches.push({
        index, contractId: contractId(asU32(field(f, 'contract_id'))), blockNumber: asU32(field(f, 'block_number')),
        blockHash: hash32(asBytes(field(f, 'block_hash'), 32)), stateRoot: hash32(asBytes(field(f, 'state_root'), 32)),
      });
    }
  }
  return { commands, deposits, receiptsPaid, mismatches };
}

export const ledgerInputs = (extrinsics: readonly DecodedExtrinsic[], events: readonly ChainEvent[]): LedgerInputs =>
  withShape('BadEvents', 'A PhalaModule call or event does not have the expected fields.', () => derive(extrinsics, events));
