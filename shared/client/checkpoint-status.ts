/**
 * Whether the contract's workers agree on the ledger, as the chain records it: the checkpoint pallet
 * (issue 18) raises `CheckpointMismatch` and keeps `PhalaModule.CheckpointAlarm(contractId)` while
 * workers disagree. A chain without that storage item records no checkpoints: no alarm can be known,
 * and none is shown.
 */
import type { ApiPromise } from '@polkadot/api';
import type { Codec } from '@polkadot/types/types';
import type {} from '../protocol/phala-augment';

export type CheckpointAgreement =
  /** The chain tracks checkpoints and holds no alarm for the contract. */
  | 'agree'
  /** Workers of the contract signed different ledger roots for one block. */
  | 'mismatch'
  /** This chain records no checkpoints. */
  | 'notTracked';

type StorageReader = (contractId: number) => Promise<Codec>;

/** An empty value (None, false, an empty list) is no alarm; anything else is one. */
export async function readCheckpointAgreement(api: ApiPromise, contractId: number): Promise<CheckpointAgreement> {
  const section: Record<string, unknown> = api.query.phalaModule;
  const alarm = section.checkpointAlarm;
  if (typeof alarm !== 'function') return 'notTracked';
  return (await (alarm as StorageReader)(contractId)).isEmpty ? 'agree' : 'mismatch';
}
