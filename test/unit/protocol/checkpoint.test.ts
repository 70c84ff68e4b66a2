/**
 * The checkpoint wire format (shared/protocol/checkpoint.ts) against its committed vector
 * (test/vectors/checkpoint.json): recomputed with the current code and compared byte for byte,
 * rebuilt by hand from DESIGN.md §11's field list, and signed independently with node:crypto's ed25519.
 */
import { createPrivateKey, createPublicKey, sign as nodeSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyIdentitySignature } from '../../../shared/crypto/identity';
import { checkpointMessage, decodeCheckpoint, encodeCheckpoint } from '../../../shared/protocol/checkpoint';
import { fromHex, toHex } from '../../../shared/types';
import { checkpointVector } from '../../vectors/checkpoint';
import { concat } from './codecs';

const committed = JSON.parse(readFileSync(join(__dirname, '../../vectors/checkpoint.json'), 'utf8')) as ReturnType<typeof checkpointVector>;
const ED25519_PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
const ed25519Key = (seed: Uint8Array) => createPrivateKey({ key: Buffer.concat([ED25519_PKCS8, seed]), format: 'der', type: 'pkcs8' });

const u32le = (n: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
};

test('the current code reproduces the committed checkpoint vector exactly', () => {
  expect(checkpointVector()).toEqual(committed);
});

test('the bytes are the documented fields in order, under the "checkpoint" domain, and decode back', () => {
  const { inputs } = committed;
  const c = inputs.checkpoint;
  const scale = concat(u32le(c.contractId), u32le(c.blockNumber), fromHex(c.blockHash), fromHex(c.stateRoot), fromHex(c.worker));
  expect(toHex(scale)).toBe(committed.scale);
  const message = concat(new TextEncoder().encode('dark-wallet/v1/checkpoint'), fromHex(inputs.genesisHash), scale);
  expect(toHex(message)).toBe(committed.message);
  const decoded = decodeCheckpoint(scale);
  expect({ ...decoded, worker: toHex(decoded.worker) }).toEqual(c);
  expect(toHex(encodeCheckpoint(decoded))).toBe(committed.scale);
  expect(toHex(checkpointMessage(fromHex(inputs.genesisHash), decoded))).toBe(committed.message);
});

test('node:crypto signs the same bytes with the same seed; the signature verifies for the named worker only', () => {
  const seed = fromHex(committed.inputs.identitySeed);
  const message = fromHex(committed.message);
  const worker = createPublicKey(ed25519Key(seed)).export({ format: 'der', type: 'spki' });
  expect(toHex(new Uint8Array(worker.subarray(worker.length - 32)))).toBe(committed.inputs.checkpoint.worker);
  expect(toHex(new Uint8Array(nodeSign(null, message, ed25519Key(seed))))).toBe(committed.signature);
  const signature = fromHex(committed.signature);
  expect(verifyIdentitySignature(signature, message, fromHex(committed.inputs.checkpoint.worker))).toBe(true);
  // Another block number: a receipt-style replay of the signature does not carry over.
  const other = checkpointMessage(fromHex(committed.inputs.genesisHash), { ...decodeCheckpoint(fromHex(committed.scale)), blockNumber: 121 });
  expect(verifyIdentitySignature(signature, other, fromHex(committed.inputs.checkpoint.worker))).toBe(false);
});
