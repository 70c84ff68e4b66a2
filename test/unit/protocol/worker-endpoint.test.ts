/**
 * The worker endpoint a worker publishes on chain: which URLs are endpoints at all, and the message
 * its identity key signs — pinned byte for byte by a vector and re-derived with node:crypto, and
 * bound to its chain, its identity and its URL.
 */
import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import { identityFromSeed, verifyIdentitySignature } from '../../../shared/crypto/identity';
import {
  checkWorkerEndpoint, MAX_WORKER_ENDPOINT_BYTES, workerEndpointMessage, workerEndpointProblem,
} from '../../../shared/protocol/worker-endpoint';
import { fromHex, toHex } from '../../../shared/types';
import { expectProtocolError, thrown } from './expect-error';

const GENESIS = new Uint8Array(32).fill(0x11);
const SEED = new Uint8Array(32).fill(0x22);
const URL_ = 'https://worker-1.example:8000';

/** The committed vector: identity of seed 0x22…, message and ed25519 signature for URL_ on GENESIS. */
const VECTOR = {
  identityPub: '0xa09aa5f47a6759802ff955f8dc2d2a14a5c99d23be97f864127ff9383455a4f0',
  message: '0x6461726b2d77616c6c65742f76312f776f726b65722d656e64706f696e74' + '11'.repeat(32)
    + 'a09aa5f47a6759802ff955f8dc2d2a14a5c99d23be97f864127ff9383455a4f0' + '1d000000' + '68747470733a2f2f776f726b65722d312e6578616d706c653a38303030',
  signature: '0x2cbad81196c53034adc502d4798c67bccc529585ea6805612ea858e2d726deb49ca6edb2033882298c77203ff02f915dd32edfc3dc5823190245906d82cdca07',
};

describe('the endpoint message', () => {
  const identity = identityFromSeed(SEED);

  test('matches the committed vector, and its layout re-derived by hand: tag | genesis | identity | u32 LE length | URL', () => {
    expect(toHex(identity.publicKey)).toBe(VECTOR.identityPub);
    const message = workerEndpointMessage(GENESIS, identity.publicKey, URL_);
    expect(toHex(message)).toBe(VECTOR.message);
    const len = Buffer.alloc(4);
    len.writeUInt32LE(URL_.length);
    const byHand = Buffer.concat([Buffer.from('dark-wallet/v1/worker-endpoint'), GENESIS, identity.publicKey, len, Buffer.from(URL_)]);
    expect(toHex(new Uint8Array(byHand))).toBe(VECTOR.message);
  });

  test('the signature in the vector is what node:crypto makes with the seed, and it verifies', () => {
    const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), SEED]);
    const bySpec = new Uint8Array(nodeSign(null, fromHex(VECTOR.message), createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })));
    expect(toHex(bySpec)).toBe(VECTOR.signature);
    expect(toHex(identity.sign(fromHex(VECTOR.message)))).toBe(VECTOR.signature);
    expect(verifyIdentitySignature(fromHex(VECTOR.signature), fromHex(VECTOR.message), identity.publicKey)).toBe(true);
  });

  test('a signature for one chain, identity or URL does not verify for another', () => {
    const signature = fromHex(VECTOR.signature);
    const other = identityFromSeed(new Uint8Array(32).fill(0x33)).publicKey;
    expect(verifyIdentitySignature(signature, workerEndpointMessage(new Uint8Array(32).fill(0x12), identity.publicKey, URL_), identity.publicKey)).toBe(false);
    expect(verifyIdentitySignature(signature, workerEndpointMessage(GENESIS, other, URL_), other)).toBe(false);
    expect(verifyIdentitySignature(signature, workerEndpointMessage(GENESIS, identity.publicKey, 'https://attacker.example:8000'), identity.publicKey)).toBe(false);
    expect(verifyIdentitySignature(signature, workerEndpointMessage(GENESIS, identity.publicKey, `${URL_}/`), identity.publicKey)).toBe(false);
  });

  test('a malformed URL or identity is refused before anything is signed', () => {
    expectProtocolError(thrown(() => workerEndpointMessage(GENESIS, identity.publicKey, 'ftp://x')), 'BadEndpoint');
    expectProtocolError(thrown(() => workerEndpointMessage(GENESIS, new Uint8Array(31), URL_)), 'BadLength');
    expectProtocolError(thrown(() => workerEndpointMessage(new Uint8Array(31), identity.publicKey, URL_)), 'BadLength');
  });
});

describe('which URLs are worker endpoints', () => {
  test.each([
    'http://127.0.0.1:8000', 'https://worker.example', 'https://worker.example:8443/dark', 'http://[::1]:8000', `https://${'a'.repeat(MAX_WORKER_ENDPOINT_BYTES - 8)}`,
  ])('%s is accepted', (url) => {
    expect(workerEndpointProblem(url)).toBeNull();
    expect(checkWorkerEndpoint(url)).toBe(url);
  });

  test.each([
    ['', /1 to 200/],
    [`https://${'a'.repeat(MAX_WORKER_ENDPOINT_BYTES - 7)}`, /1 to 200/],
    ['ws://worker.example', /http:\/\/ or https:\/\//],
    ['javascript:alert(1)', /http:\/\/ or https:\/\//],
    ['https:/worker.example', /http:\/\/ or https:\/\//],
    ['worker.example:8000', /http:\/\/ or https:\/\//],
    ['https://user:pw@worker.example', /user name or password/],
    ['https://worker.example/?x=1', /query or fragment/],
    ['https://worker.example/#x', /query or fragment/],
    ['https://worker .example', /printable ASCII/],
    ['https://wörker.example', /printable ASCII/],
    ['not a url', /printable ASCII/],
    ['http://', /URL such as/],
  ])('%j is refused: %s', (url, why) => {
    expect(workerEndpointProblem(url)).toMatch(why);
    expectProtocolError(thrown(() => checkWorkerEndpoint(url)), 'BadEndpoint', 'FieldTooLong');
  });
});
