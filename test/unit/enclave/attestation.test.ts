/** Dev attestation: a report over the enclave's identity and contract keys, signed by the dev chain's authority. */
import { blake2b } from '@noble/hashes/blake2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { DevAttestationProvider, EnclaveError, type AttestationProvider } from '../../../contract/enclave';
import { verifyDevAttestation } from '../../../shared/crypto/attestation';
import { DEV_MEASUREMENT, PROVIDER_LABEL, decodeAttestation, devMeasurement, encodeAttestation } from '../../../shared/protocol/attestation';
import { isProtocolError } from '../../../shared/errors';
import { hash32, toHex } from '../../../shared/types';
import { CONTRACT, GENESIS, NOW, newEnclave, thrown } from './helpers';

describe('DevAttestationProvider', () => {
  it("attests the enclave's keys under the dev measurement, verifiable with the authority key", async () => {
    const seed = randomBytes(32);
    const provider = DevAttestationProvider.fromSeedFile(`${toHex(seed)}\n`, GENESIS);
    expect(provider.label).toBe(PROVIDER_LABEL.Dev);
    expect(provider.label).toBe('development attestation — not hardware protected');
    const e = await newEnclave();
    const report = await e.attest(provider, NOW);
    expect(report).toMatchObject({ provider: 'Dev', contractId: CONTRACT, measurement: DEV_MEASUREMENT, issuedAt: BigInt(NOW) });
    expect(toHex(report.identityPub)).toBe(toHex(e.identityPub));
    expect(toHex(report.ecdhPub)).toBe(toHex(e.contractPub));
    const decoded = decodeAttestation(encodeAttestation(report));
    expect(verifyDevAttestation(decoded, GENESIS, provider.authorityPub)).toBe(true);
    expect(verifyDevAttestation(decoded, blake2b(GENESIS, { dkLen: 32 }), provider.authorityPub)).toBe(false);
    expect(verifyDevAttestation({ ...decoded, ecdhPub: randomBytes(32) }, GENESIS, provider.authorityPub)).toBe(false);
    // The seed file may omit 0x.
    expect(toHex(DevAttestationProvider.fromSeedFile(toHex(seed).slice(2), GENESIS).authorityPub)).toBe(toHex(provider.authorityPub));
  });

  it('vouches for the dev measurement only, and refuses a malformed seed', async () => {
    const provider = new DevAttestationProvider(randomBytes(32), GENESIS);
    const e = await newEnclave();
    // A provider wired to report a measurement the dev authority cannot know about.
    const other: AttestationProvider = { kind: 'Dev', label: provider.label, measurement: hash32(randomBytes(32)), attest: (b) => provider.attest(b) };
    const err = await thrown(() => e.attest(other, NOW));
    expect(err).toBeInstanceOf(EnclaveError);
    expect((err as EnclaveError).code).toBe('AttestationRefused');
    expect(isProtocolError(await thrown(() => e.attest(provider, Number.NaN)), 'OutOfRange')).toBe(true);
    expect(isProtocolError(await thrown(() => new DevAttestationProvider(randomBytes(31), GENESIS)), 'BadLength')).toBe(true);
    expect(isProtocolError(await thrown(() => DevAttestationProvider.fromSeedFile('not hex', GENESIS)))).toBe(true);
  });

  it('started as dev build 2 (an upgrade rehearsal), reports and vouches for build 2 only', async () => {
    const seed = randomBytes(32);
    const v2 = DevAttestationProvider.fromSeedFile(toHex(seed), GENESIS, devMeasurement(2));
    const e = await newEnclave();
    const report = await e.attest(v2, NOW);
    expect(report.measurement).toBe(devMeasurement(2));
    expect(verifyDevAttestation(decodeAttestation(encodeAttestation(report)), GENESIS, v2.authorityPub)).toBe(true);
    // The same authority, asked by a build-2 worker to vouch for build 1, refuses.
    const claimsV1: AttestationProvider = { kind: 'Dev', label: v2.label, measurement: DEV_MEASUREMENT, attest: (b) => v2.attest(b) };
    expect(((await thrown(() => e.attest(claimsV1, NOW))) as EnclaveError).code).toBe('AttestationRefused');
  });
});
