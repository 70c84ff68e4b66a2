/**
 * `phalaModule.handoverKey` through the real @polkadot/api (DESIGN.md §11): accepted only from a
 * keyholder of the contract, with its identity's signature, to a registered worker of that contract
 * whose measurement is still allowed and whose attestation names a handover key; the first valid one
 * per recipient is kept and later ones are refused at validation (1010), so nobody pays for them.
 * The chain cannot look inside the sealed keys: the recipient's enclave checks them (unit tests).
 */
import { readFileSync } from 'node:fs';
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { randomAsU8a } from '@polkadot/util-crypto';
import { startChain, type RunningChain } from '../../../contract/chain/index';
import { signDevAttestation } from '../../../shared/crypto/attestation';
import { generateIdentitySeed, identityFromSeed, type IdentityKey } from '../../../shared/crypto/identity';
import { DEV_MEASUREMENT, encodeAttestation } from '../../../shared/protocol/attestation';
import { HANDOVER_SEALED_BYTES, handoverMessage } from '../../../shared/protocol/handover';
import { contractId, fromHex, hash32, type Hash } from '../../../shared/types';
import { shutdown } from '../../helpers/teardown';
import { connect, devKeys, finalize } from './helpers';

let node: RunningChain;
let api: ApiPromise;
let keys: Awaited<ReturnType<typeof devKeys>>;
let authority: IdentityKey;
const CONTRACT = 1;
const contractPub = randomAsU8a(32);
const M2 = hash32(randomAsU8a(32));

beforeAll(async () => {
  node = await startChain({ port: 0 });
  api = await connect(node.url);
  keys = await devKeys();
  authority = identityFromSeed(fromHex(readFileSync(node.devAuthoritySeedPath, 'utf8').trim()));
  jest.spyOn(console, 'error').mockImplementation(() => undefined); // polkadot-js logs every refusal
});

afterAll(async () => {
  jest.restoreAllMocks();
  await shutdown(api, async () => node?.close());
});

const newIdentity = () => identityFromSeed(generateIdentitySeed());

/** Registers a worker of contract 1 with a dev report (with a handover key unless `handoverKey: false`). */
async function register(identity: IdentityKey, opts: { measurement?: Hash; handoverKey?: boolean } = {}): Promise<void> {
  const report = signDevAttestation(authority, fromHex(node.genesisHash), {
    provider: 'Dev', contractId: contractId(CONTRACT), measurement: opts.measurement ?? DEV_MEASUREMENT,
    identityPub: identity.publicKey, ecdhPub: contractPub, issuedAt: BigInt(Date.now()),
    ...(opts.handoverKey === false ? {} : { handoverPub: randomAsU8a(32) }),
  });
  await finalize(api.tx.phalaModule.registerWorker(identity.publicKey, contractPub, u8aToHex(encodeAttestation(report))), keys.bob);
}

function handover(sender: IdentityKey, recipient: Uint8Array, opts: { sealed?: Uint8Array; signer?: IdentityKey } = {}) {
  const sealed = opts.sealed ?? randomAsU8a(HANDOVER_SEALED_BYTES);
  const signature = (opts.signer ?? sender).sign(handoverMessage(fromHex(node.genesisHash), contractId(CONTRACT), recipient, sealed));
  return api.tx.phalaModule.handoverKey(CONTRACT, recipient, sender.publicKey, u8aToHex(sealed), signature);
}

async function refusal(tx: ReturnType<typeof handover>): Promise<string> {
  try {
    await tx.send();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the handover was accepted');
}

const keyholder = newIdentity();
const recipient = newIdentity();

test('the first worker holds the keys; a newly registered worker receives them once, unsigned, and stores the registration\'s attestation', async () => {
  await register(keyholder);
  await register(recipient);
  expect((await api.query.phalaModule.workerAttestation(recipient.publicKey)).isSome).toBe(true);
  const sealed = randomAsU8a(HANDOVER_SEALED_BYTES);
  const result = await finalize(handover(keyholder, recipient.publicKey, { sealed }));
  expect(result.names).toContain('phalaModule.KeyHandedOver');
  expect((await api.query.phalaModule.handedOverKeys(recipient.publicKey)).unwrap().toU8a(true)).toEqual(sealed);
  // The first valid one is kept: a second, from any keyholder, is refused before it is included.
  expect(await refusal(handover(keyholder, recipient.publicKey))).toMatch(/^1010: .*HandoverAlreadyDone/);
  expect(await refusal(handover(recipient, keyholder.publicKey))).toMatch(/^1010: .*HandoverAlreadyDone/);
});

test('refused at validation: unregistered recipient, a sender that holds no keys or did not sign, a wrong size', async () => {
  expect(await refusal(handover(keyholder, newIdentity().publicKey))).toMatch(/^1010: .*HandoverRecipientUnknown/);
  const keyless = newIdentity();
  await register(keyless);
  const other = newIdentity();
  await register(other);
  expect(await refusal(handover(keyless, other.publicKey))).toMatch(/^1010: .*NotAKeyholder/);
  expect(await refusal(handover(newIdentity(), other.publicKey))).toMatch(/^1010: .*NotAKeyholder/);
  expect(await refusal(handover(keyholder, other.publicKey, { signer: keyless }))).toMatch(/^1010: .*BadHandoverSignature/);
  expect(await refusal(handover(keyholder, other.publicKey, { sealed: randomAsU8a(HANDOVER_SEALED_BYTES - 1) }))).toMatch(/^1010: .*HandoverWrongSize/);
  const noKey = newIdentity();
  await register(noKey, { handoverKey: false }); // a report from before handover keys
  expect(await refusal(handover(keyholder, noKey.publicKey))).toMatch(/^1010: .*HandoverRecipientNoKey/);
  // A worker that received the keys hands them on.
  expect((await finalize(handover(recipient, other.publicKey))).names).toContain('phalaModule.KeyHandedOver');
});

test('never to a worker whose measurement governance removed', async () => {
  await finalize(api.tx.sudo.sudo(api.tx.phalaModule.addMeasurement(M2)), keys.alice);
  const upgraded = newIdentity();
  await register(upgraded, { measurement: M2 });
  await finalize(api.tx.sudo.sudo(api.tx.phalaModule.removeMeasurement(M2)), keys.alice);
  expect(await refusal(handover(keyholder, upgraded.publicKey))).toMatch(/^1010: .*MeasurementNotAllowed/);
});
