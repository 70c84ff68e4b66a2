/**
 * Attested key handover inside the enclaves (DESIGN.md §11), against PhalaModule storage proven by
 * the light client on the test chain: the keyholder seals the contract keys only to a registered,
 * allowed, attested recipient with a handover key; the recipient takes only keys sealed to it that
 * are the contract's key on chain, and keeps waiting after a refusal with nothing used.
 */
import { DevAttestationProvider, Enclave, EnclaveSecret, HandoverRefused, KeyReceiver, LightClientError } from '../../../contract/enclave';
import { allowedMeasurementKey, contractKeysKey, handedOverKey, recipientKeys } from '../../../contract/enclave/handover';
import { verifyIdentitySignature } from '../../../shared/crypto/identity';
import { DEV_MEASUREMENT, encodeAttestation, type AttestationReport } from '../../../shared/protocol/attestation';
import { handoverMessage } from '../../../shared/protocol/handover';
import { ScaleWriter } from '../../../shared/protocol/scale';
import { contractId, fromHex, toHex } from '../../../shared/types';
import { TEST_GENESIS, TestChain, type TestBlock } from '../../helpers/test-chain';
import { CONFIG, CONTRACT, GENESIS, NOW, newEnclave } from './helpers';

const authority = new DevAttestationProvider(new Uint8Array(32).fill(9), GENESIS);
const stranger = new DevAttestationProvider(new Uint8Array(32).fill(10), GENESIS);
const MEASUREMENT = fromHex(DEV_MEASUREMENT);
const bytesValue = (b: Uint8Array) => new ScaleWriter(b.length + 4).bytes(b, 1 << 20).finish();
const workerInfo = (contractId: number, ecdhPub: Uint8Array) => new ScaleWriter(68).u32(contractId).fixed(ecdhPub, 32).fixed(MEASUREMENT, 32).finish();

/** A test chain whose storage is what PhalaModule holds for one contract, and its keyholder following it. */
class Scene {
  readonly chain = new TestChain();
  readonly blocks: TestBlock[] = [];
  private constructor(readonly keyholder: Enclave) {}

  static async create(): Promise<Scene> {
    const s = new Scene(await newEnclave());
    const contractKeys = new ScaleWriter(96).fixed(s.keyholder.contractPub, 32).fixed(s.keyholder.identityPub, 32).fixed(MEASUREMENT, 32).finish();
    await s.add([
      [recipientKeys(new Uint8Array(32)).devAuthority, authority.authorityPub],
      [allowedMeasurementKey(MEASUREMENT), Uint8Array.of(1)],
      [contractKeysKey(CONTRACT), contractKeys],
    ]);
    return s;
  }

  async add(storage: [string, Uint8Array | null][]): Promise<void> {
    const block = this.chain.block([], storage);
    this.blocks.push(block);
    await this.keyholder.ingest([block]);
  }

  async joiner(): Promise<KeyReceiver> {
    return KeyReceiver.create(EnclaveSecret.generateJoiner(), { genesisHash: GENESIS, contractId: CONTRACT, metadata: CONFIG.metadata, genesis: TEST_GENESIS });
  }

  /** What `registerWorker` stores for a worker with `report`. */
  async register(who: KeyReceiver, report: AttestationReport, contractId = CONTRACT): Promise<void> {
    const keys = recipientKeys(who.identityPub);
    await this.add([[keys.worker, workerInfo(contractId, this.keyholder.contractPub)], [keys.attestation, bytesValue(encodeAttestation(report))]]);
  }

  /** The keyholder's decision at its last verified block, from a proof of what it reads. */
  handOver(recipient: Uint8Array) {
    const { header, proof } = this.chain.storageAt([...Object.values(recipientKeys(recipient)), allowedMeasurementKey(MEASUREMENT)]);
    return this.keyholder.handOver(recipient, header, proof);
  }

  /** The recipient follows the chain to its head and looks for its handover there. */
  async receive(who: KeyReceiver) {
    await who.ingest(this.blocks.slice(who.lastBlock));
    const { header, proof } = this.chain.storageAt(who.proofKeys());
    return who.receive(header, proof);
  }
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof HandoverRefused) return e.reason;
    if (e instanceof LightClientError) return e.code;
    throw e;
  }
  throw new Error('expected a refusal');
}

test('a registered, allowed, attested recipient gets the contract keys, signed by the keyholder, and serves the same contract', async () => {
  const s = await Scene.create();
  const b = await s.joiner();
  await s.register(b, await b.attest(authority, s.keyholder.contractPub, NOW));
  expect(await s.receive(b)).toBeNull(); // nothing handed over yet: keeps waiting
  const h = await s.handOver(b.identityPub);
  expect(toHex(h.sender)).toBe(toHex(s.keyholder.identityPub));
  expect(verifyIdentitySignature(h.signature, handoverMessage(GENESIS, CONTRACT, b.identityPub, h.sealedKeys), h.sender)).toBe(true);
  await s.add([[handedOverKey(b.identityPub), bytesValue(h.sealedKeys)]]);
  const secret = (await s.receive(b))!;
  expect(secret.hasContractKeys).toBe(true);
  const worker = await Enclave.restore(secret, CONFIG, s.keyholder.seal()); // the contract sealing key came with it
  expect(toHex(worker.contractPub)).toBe(toHex(s.keyholder.contractPub));
  expect(toHex(worker.identityPub)).toBe(toHex(b.identityPub));
  expect(worker.stateRoot()).toBe(s.keyholder.stateRoot());
  expect(await refusal(s.handOver(b.identityPub))).toBe('AlreadyHandedOver');
});

test('no handover to an unregistered worker, one of another contract, one whose attestation does not verify, or one without a handover key', async () => {
  const s = await Scene.create();
  const unregistered = await s.joiner();
  expect(await refusal(s.handOver(unregistered.identityPub))).toBe('NotRegistered');

  const other = await s.joiner();
  await s.register(other, await other.attest(authority, s.keyholder.contractPub, NOW), contractId(2));
  expect(await refusal(s.handOver(other.identityPub))).toBe('OtherContract');

  const forged = await s.joiner();
  await s.register(forged, await forged.attest(stranger, s.keyholder.contractPub, NOW)); // not this chain's authority
  expect(await refusal(s.handOver(forged.identityPub))).toBe('AttestationInvalid');

  const impostor = await s.joiner();
  await s.register(impostor, await forged.attest(authority, s.keyholder.contractPub, NOW)); // a genuine report, but of another worker
  expect(await refusal(s.handOver(impostor.identityPub))).toBe('AttestationInvalid');

  const old = await s.joiner();
  const { handoverPub: _dropped, ...v2 } = await old.attest(authority, s.keyholder.contractPub, NOW);
  await s.register(old, await authority.attest(v2));
  expect(await refusal(s.handOver(old.identityPub))).toBe('NoHandoverKey');
});

test('no handover once the recipient\'s measurement is removed, and none on a proof of any other block than the last verified one', async () => {
  const s = await Scene.create();
  const b = await s.joiner();
  await s.register(b, await b.attest(authority, s.keyholder.contractPub, NOW));
  const stale = s.chain.storageAt([...Object.values(recipientKeys(b.identityPub)), allowedMeasurementKey(MEASUREMENT)]);
  await s.add([[allowedMeasurementKey(MEASUREMENT), null]]); // governance: removeMeasurement
  expect(await refusal(s.handOver(b.identityPub))).toBe('MeasurementNotAllowed');
  // The host replays the proof from before the removal: not the last verified block, refused.
  expect(await refusal(s.keyholder.handOver(b.identityPub, stale.header, stale.proof))).toBe('BadProof');
});

test('a handover sealed to another worker\'s key, or of keys that are not the contract\'s, is refused and nothing is used; the recipient keeps waiting', async () => {
  const s = await Scene.create();
  const [b, c] = [await s.joiner(), await s.joiner()];
  await s.register(b, await b.attest(authority, s.keyholder.contractPub, NOW));
  await s.register(c, await c.attest(authority, s.keyholder.contractPub, NOW));
  const toC = await s.handOver(c.identityPub);
  await s.add([[handedOverKey(b.identityPub), bytesValue(toC.sealedKeys)]]); // C's keys stored as B's
  expect(await refusal(s.receive(b))).toBe('WrongKeys');

  // A keyholder of another contract seals its keys properly to B: they are not this contract's key.
  const foreign = await Scene.create();
  await foreign.register(b, await b.attest(authority, foreign.keyholder.contractPub, NOW));
  const wrongKeys = await foreign.handOver(b.identityPub);
  await s.add([[handedOverKey(b.identityPub), bytesValue(wrongKeys.sealedKeys)]]);
  expect(await refusal(s.receive(b))).toBe('WrongKeys');

  // Still waiting, nothing taken: the right handover, once there, is accepted.
  await s.add([[handedOverKey(b.identityPub), null]]);
  const right = await s.handOver(b.identityPub);
  await s.add([[handedOverKey(b.identityPub), bytesValue(right.sealedKeys)]]);
  expect(toHex((await Enclave.restore((await s.receive(b))!, CONFIG, s.keyholder.seal())).contractPub)).toBe(toHex(s.keyholder.contractPub));
});
