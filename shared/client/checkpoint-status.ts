/**
 * What clients show of a contract's checkpoints (DESIGN.md §11): whether its workers' signed ledger
 * checkpoints agree, read from chain storage (`phalaModule.checkpointAlarm`, `latestCheckpoint`,
 * `checkpoints`). A mismatch means at least one worker's ledger differs from the others'; the
 * minority stops relaying by itself, but users should know (the popup shows it beside the worker count).
 */
import type { ApiPromise } from '@polkadot/api';
import type {} from '../protocol/phala-augment';

export type CheckpointStatus =
  /** No worker has recorded a checkpoint yet (a new contract, or workers older than checkpoints). */
  | { state: 'none' }
  /** The latest checkpointed block, and how many workers' checkpoints of it agree (all that voted). */
  | { state: 'agree'; block: number; workers: number }
  /** The latest block whose checkpoints disagreed. */
  | { state: 'mismatch'; block: number };

/** Pure: the status from what the chain holds. `votes`: the (block hash, state root) pairs recorded for `latest`. */
export function checkpointStatusOf(latest: number | null, alarm: number | null, votes: readonly string[]): CheckpointStatus {
  if (alarm !== null) return { state: 'mismatch', block: alarm };
  if (latest === null) return { state: 'none' };
  // A split at the latest block shows as an alarm first; this is the belt to those braces.
  if (new Set(votes).size > 1) return { state: 'mismatch', block: latest };
  return { state: 'agree', block: latest, workers: votes.length };
}

export async function readCheckpointStatus(api: ApiPromise, contractId: number): Promise<CheckpointStatus> {
  const [latest, alarm] = await Promise.all([api.query.phalaModule.latestCheckpoint(contractId), api.query.phalaModule.checkpointAlarm(contractId)]);
  const latestBlock = latest.isSome ? latest.unwrap().toNumber() : null;
  const votes = latestBlock === null ? [] : await api.query.phalaModule.checkpoints(contractId, latestBlock);
  return checkpointStatusOf(latestBlock, alarm.isSome ? alarm.unwrap().toNumber() : null, votes.map((v) => `${v.blockHash.toHex()}${v.stateRoot.toHex()}`));
}
