/**
 * `phalaModule.submitCheckpoint` (DESIGN.md §11): workers of one contract sign where their ledgers
 * stand at the same block; the pallet records each vote once and raises `CheckpointMismatch` when
 * they differ. Unsigned, like receipts: the checkpoint authenticates itself (its worker's identity
 * signature), and everything that would make it useless is refused in `validate`, so a refused
 * checkpoint never reaches a block and costs nobody a fee.
 *
 * The mismatch event names the reference ledger of that block: the (block hash, state root) most
 * votes hold, a tie going to the side of the worker registered earliest (lowest index in
 * ContractWorkers). Every worker reads the same verdict from the same verified event, so exactly
 * one side of a split keeps relaying; the others stop (contract/enclave/checkpoint-watch.ts).
 */
import { verifyIdentitySignature } from '../../../../shared/crypto/identity';
import { checkpointMessage, sameLedger, type Checkpoint } from '../../../../shared/protocol/checkpoint';
import type { PalletPhalaCall, PalletPhalaCheckpoint } from '../../../../shared/protocol/phala-augment';
import { contractId, hash32, toHex, type Hash } from '../../../../shared/types';
import type { CallArgsOf, CallContext, CallHandler, ValidateContext } from '../dispatch';
import { phalaFail as fail } from './phala-errors';
import type { Storage } from '../storage';

const S = 'phalaModule';
type Args = CallArgsOf<PalletPhalaCall>['submitCheckpoint'];

const checkpointOf = (c: PalletPhalaCheckpoint): Checkpoint => ({
  contractId: contractId(c.contractId.toNumber()),
  blockNumber: c.blockNumber.toNumber(),
  blockHash: hash32(c.blockHash.toU8a()),
  stateRoot: hash32(c.stateRoot.toU8a()),
  worker: c.worker.toU8a(),
});

interface Vote {
  worker: string;
  blockHash: Hash;
  stateRoot: Hash;
}

const votesOf = (st: Storage, c: Checkpoint): Vote[] =>
  st.get(S, 'checkpoints', c.contractId, c.blockNumber).map((v) => ({ worker: v.worker.toHex(), blockHash: hash32(v.blockHash.toU8a()), stateRoot: hash32(v.stateRoot.toU8a()) }));

function validate({ storage, env }: ValidateContext, { checkpoint, signature }: Args): Checkpoint {
  const c = checkpointOf(checkpoint);
  if (!storage.has(S, 'contracts', c.contractId)) throw fail('UnknownContract');
  if (c.blockNumber < 1 || c.blockNumber >= env.number) throw fail('CheckpointOfFutureBlock');
  const info = storage.get(S, 'workers', c.worker);
  if (!info || info.contractId.toNumber() !== c.contractId) throw fail('NotContractWorker');
  // A worker whose measurement governance removed no longer speaks for the contract.
  if (!storage.get(S, 'allowedMeasurements', info.measurement).isTrue) throw fail('MeasurementNotAllowed');
  if (!verifyIdentitySignature(signature.toU8a(), checkpointMessage(env.genesisHash, c), c.worker)) throw fail('BadCheckpointSignature');
  const worker = toHex(c.worker);
  if (votesOf(storage, c).some((v) => v.worker === worker)) throw fail('CheckpointAlreadySubmitted');
  return c;
}

/**
 * The ledger most votes hold; on a tie the one whose earliest voter registered first. Pure: the
 * votes of one block and the contract's workers in registration order.
 */
export function referenceLedger(votes: readonly Vote[], registrationOrder: readonly string[]): Vote {
  const rank = (v: Vote) => {
    const i = registrationOrder.indexOf(v.worker);
    return i < 0 ? registrationOrder.length : i;
  };
  let best: { vote: Vote; count: number; rank: number } | null = null;
  for (const vote of votes) {
    const side = votes.filter((v) => sameLedger(v, vote));
    const count = side.length;
    const sideRank = Math.min(...side.map(rank));
    if (!best || count > best.count || (count === best.count && sideRank < best.rank)) best = { vote, count, rank: sideRank };
  }
  if (!best) throw new Error('referenceLedger needs at least one vote');
  return best.vote;
}

function record(ctx: CallContext, c: Checkpoint): void {
  const { storage, deposit } = ctx;
  const vote: Vote = { worker: toHex(c.worker), blockHash: c.blockHash, stateRoot: c.stateRoot };
  const votes = [...votesOf(storage, c), vote];
  storage.put(S, 'checkpoints', [c.contractId, c.blockNumber], votes);
  const latest = storage.get(S, 'latestCheckpoint', c.contractId);
  if (latest === null || latest.toNumber() < c.blockNumber) storage.put(S, 'latestCheckpoint', [c.contractId], c.blockNumber);
  deposit('PhalaModule', 'CheckpointRecorded', { contractId: c.contractId, blockNumber: c.blockNumber, worker: c.worker, blockHash: c.blockHash, stateRoot: c.stateRoot });
  if (votes.every((v) => sameLedger(v, vote))) return;
  const order = storage.get(S, 'contractWorkers', c.contractId).map((w) => w.toHex());
  const reference = referenceLedger(votes, order);
  const alarm = storage.get(S, 'checkpointAlarm', c.contractId);
  if (alarm === null || alarm.toNumber() < c.blockNumber) storage.put(S, 'checkpointAlarm', [c.contractId], c.blockNumber);
  deposit('PhalaModule', 'CheckpointMismatch', { contractId: c.contractId, blockNumber: c.blockNumber, blockHash: reference.blockHash, stateRoot: reference.stateRoot });
}

export const submitCheckpoint: CallHandler<Args> = {
  weight: 200_000_000n,
  unsigned: true,
  validate: (ctx, args) => void validate(ctx, args),
  dispatch: (ctx, args) => record(ctx, validate(ctx, args)),
};
