/**
 * The checkpoint vector (shared/protocol/checkpoint.ts): fixed inputs, the SCALE checkpoint, the
 * signed message and the worker's ed25519 signature. Kept beside protocol.json rather than inside it
 * so that file's bytes stay as they were. Print a fresh copy with
 * `npx tsx test/vectors/checkpoint.ts > test/vectors/checkpoint.json` — only for a deliberate wire change.
 */
import { identityFromSeed } from '../../shared/crypto/identity';
import { checkpointMessage, encodeCheckpoint, type Checkpoint } from '../../shared/protocol/checkpoint';
import { contractId, hash32, toHex } from '../../shared/types';
import { fixed } from './compute';

export function checkpointVector() {
  const identitySeed = fixed('enclave-identity-seed');
  const identity = identityFromSeed(identitySeed);
  const genesisHash = fixed('genesis-hash');
  const checkpoint: Checkpoint = {
    contractId: contractId(7), blockNumber: 120, blockHash: hash32(fixed('checkpoint/block-hash')), stateRoot: hash32(fixed('checkpoint/state-root')),
    worker: identity.publicKey,
  };
  const message = checkpointMessage(genesisHash, checkpoint);
  return {
    inputs: { identitySeed: toHex(identitySeed), genesisHash: toHex(genesisHash), checkpoint: { ...checkpoint, worker: toHex(checkpoint.worker) } },
    scale: toHex(encodeCheckpoint(checkpoint)),
    message: toHex(message),
    signature: toHex(identity.sign(message)),
  };
}

if (process.argv[1]?.endsWith('checkpoint.ts')) process.stdout.write(`${JSON.stringify(checkpointVector(), null, 2)}\n`);
