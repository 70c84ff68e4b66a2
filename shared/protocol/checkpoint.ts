/**
 * A worker's checkpoint (DESIGN.md §11): at every N-th verified block each worker of a contract
 * signs with its enclave identity key where its ledger stands — the block it verified and the
 * ledger's state root after it — and the pallet (`phalaModule.submitCheckpoint`) compares the
 * workers' checkpoints of one block. Equal ledgers give equal roots (the ledger is deterministic),
 * so a different root means one worker applied something differently.
 *
 * Signed bytes: "dark-wallet/v1/checkpoint" | genesisHash | SCALE(Checkpoint), where Checkpoint is
 * `contractId u32 | blockNumber u32 | blockHash [u8;32] | stateRoot [u8;32] | worker [u8;32]`
 * (worker: the signer's identity key, so the vote names its voter).
 */
import type { ContractId, Hash } from '../types';
import { domainMessage } from './domain';
import { readHash, writeHash } from './primitives';
import { ScaleReader, ScaleWriter, decodeExact, encodeWith } from './scale';

export interface Checkpoint {
  contractId: ContractId;
  blockNumber: number;
  blockHash: Hash;
  /** blake2-256 of the canonical ledger encoding after `blockNumber` (Enclave.stateRoot). */
  stateRoot: Hash;
  /** The signing worker's ed25519 identity key. */
  worker: Uint8Array;
}

export function writeCheckpoint(w: ScaleWriter, c: Checkpoint): void {
  w.u32(c.contractId).u32(c.blockNumber);
  writeHash(w, c.blockHash);
  writeHash(w, c.stateRoot);
  w.fixed(c.worker, 32);
}

export function readCheckpoint(r: ScaleReader): Checkpoint {
  return { contractId: r.u32() as ContractId, blockNumber: r.u32(), blockHash: readHash(r), stateRoot: readHash(r), worker: r.fixed(32) };
}

export const encodeCheckpoint = (c: Checkpoint) => encodeWith(c, writeCheckpoint, 4 + 4 + 96);
export const decodeCheckpoint = (b: Uint8Array) => decodeExact(b, readCheckpoint);

/** What the worker's identity key signs for a checkpoint. */
export const checkpointMessage = (genesisHash: Uint8Array, c: Checkpoint): Uint8Array =>
  domainMessage('checkpoint', genesisHash, encodeCheckpoint(c));

/** Two checkpoints of one block agree when they saw the same block and the same ledger. */
export const sameLedger = (a: Pick<Checkpoint, 'blockHash' | 'stateRoot'>, b: Pick<Checkpoint, 'blockHash' | 'stateRoot'>): boolean =>
  a.blockHash === b.blockHash && a.stateRoot === b.stateRoot;
