/**
 * The extension's pinned contract key across an upgrade (judgeContract, pure, on really signed
 * storage): governance allowed M2, an M2 worker received the key, governance removed the first
 * worker's M1. The pin still stands — same key — and secret operations go on; only once no allowed,
 * attested worker holds the key is it revoked.
 */
import { trustContract, type ContractState } from '../../../shared/client/contract';
import type { WorkerRecord } from '../../../shared/client/worker-set';
import { DEFAULT_TCB_POLICY } from '../../../shared/crypto/attestation';
import { identityFromSeed } from '../../../shared/crypto/identity';
import { devMeasurement } from '../../../shared/protocol/attestation';
import { contractId } from '../../../shared/types';
import { judgeContract, pinOf } from '../../../extension/background/secret/pinning';
import { attestedWorker, type WorkerSpec } from '../../helpers/worker-records';

const AUTHORITY = identityFromSeed(new Uint8Array(32).fill(1));
const GENESIS = new Uint8Array(32).fill(3);
const CONTRACT_PUB = new Uint8Array(32).fill(7);
const NOW = 1_700_000_000_000;
const spec = (identitySeed: number, over: Partial<WorkerSpec> = {}): WorkerSpec => ({
  authority: AUTHORITY, genesisHash: GENESIS, contract: 1, ecdhPub: CONTRACT_PUB, identitySeed, url: `http://127.0.0.1:${8000 + identitySeed}`, ...over,
});
const first = attestedWorker(spec(10));
const m2 = attestedWorker(spec(11, { measurement: devMeasurement(2) }));

function state(firstAllowed: boolean, workers: WorkerRecord[]): ContractState {
  return {
    genesisHash: GENESIS, contractId: contractId(1),
    key: { ecdhPub: CONTRACT_PUB, identityPub: first.identityPub, measurement: first.info!.measurement },
    attestation: first.attestation, devAuthority: AUTHORITY.publicKey, measurementAllowed: firstAllowed,
    workers: [{ ...first, measurementAllowed: firstAllowed }, ...workers], tcbPolicy: DEFAULT_TCB_POLICY,
  };
}

test('a key pinned under M1 stays trusted after M1 is removed while an M2 worker holds it', () => {
  const before = state(true, []);
  const pin = pinOf(trustContract(before), before, NOW);
  expect(judgeContract(state(false, [m2]), pin, NOW)).toMatchObject({ kind: 'trusted' });
});

test('with M2 removed as well, the pinned key is revoked', () => {
  const before = state(true, [m2]);
  const pin = pinOf(trustContract(before), before, NOW);
  expect(judgeContract(state(false, [{ ...m2, measurementAllowed: false }]), pin, NOW)).toMatchObject({ kind: 'revoked' });
});
