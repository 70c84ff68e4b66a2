/** Dev attestation reports and enclave-signed withdraw receipts: what verifies, and what must not. */
import { blake2b } from '@noble/hashes/blake2.js';
import fc from 'fast-check';
import { signDevAttestation, verifyDevAttestation } from '../../../shared/crypto/attestation';
import { generateIdentitySeed, identityFromSeed, verifyIdentitySignature } from '../../../shared/crypto/identity';
import {
  DEV_MEASUREMENT, PROVIDER_LABEL, devMeasurement, attestationMessage, decodeAttestation, encodeAttestation, type DevAttestationReport,
} from '../../../shared/protocol/attestation';
import { receiptMessage, type WithdrawReceipt } from '../../../shared/protocol/ledger';
import { hash32, type ContractId } from '../../../shared/types';
import { bytes, devAttestationArb, receiptArb } from './arbitraries';

const authority = identityFromSeed(generateIdentitySeed());
const stranger = identityFromSeed(generateIdentitySeed());
const enclave = identityFromSeed(generateIdentitySeed());
const genesis = new Uint8Array(32).fill(0x61);
const bodyArb = (): fc.Arbitrary<Omit<DevAttestationReport, 'signature'>> => devAttestationArb().map(({ signature: _s, ...body }) => body);
const flip = (b: Uint8Array, i = 0) => {
  const c = b.slice();
  c[i % c.length] ^= 1;
  return c;
};

describe('dev attestation', () => {
  test('signDevAttestation / verifyDevAttestation round trip, also after SCALE encode/decode', () => {
    fc.assert(fc.property(bodyArb(), (body) => {
      const report = signDevAttestation(authority, genesis, body);
      expect(report).toMatchObject(body);
      expect(report.signature.length).toBe(64);
      expect(verifyDevAttestation(report, genesis, authority.publicKey)).toBe(true);
      expect(verifyDevAttestation(decodeAttestation(encodeAttestation(report)), genesis, authority.publicKey)).toBe(true);
    }), { numRuns: 60 });
  });

  test('another chain (genesis) or another authority key: false', () => {
    fc.assert(fc.property(bodyArb(), bytes(32), fc.nat(31), (body, otherGenesis, i) => {
      const report = signDevAttestation(authority, genesis, body);
      expect(verifyDevAttestation(report, flip(genesis, i), authority.publicKey)).toBe(false);
      if (Buffer.compare(otherGenesis, genesis) !== 0) expect(verifyDevAttestation(report, otherGenesis, authority.publicKey)).toBe(false);
      expect(verifyDevAttestation(report, genesis, stranger.publicKey)).toBe(false);
      expect(verifyDevAttestation(signDevAttestation(stranger, genesis, body), genesis, authority.publicKey)).toBe(false);
    }), { numRuns: 40 });
  });

  test('any changed field of the report (keys, measurement, contract, time, evidence): false', () => {
    fc.assert(fc.property(bodyArb(), fc.nat(), (body, i) => {
      const report = signDevAttestation(authority, genesis, body);
      const tampered = [
        { ...report, ecdhPub: flip(report.ecdhPub, i) },
        { ...report, identityPub: flip(report.identityPub, i) },
        { ...report, measurement: hash32(flip(Buffer.from(report.measurement.slice(2), 'hex'), i)) },
        { ...report, contractId: ((report.contractId + 1) % 2 ** 32) as ContractId },
        { ...report, issuedAt: report.issuedAt ^ 1n },
        { ...report, signature: flip(report.signature, i) },
        { ...report, signature: report.signature.subarray(0, 63) },
        // the handover key (version 3) is signed too: changed, added or dropped, the report fails
        ...(report.handoverPub
          ? [{ ...report, handoverPub: flip(report.handoverPub, i) }, { ...report, handoverPub: undefined }]
          : [{ ...report, handoverPub: new Uint8Array(32).fill(7) }]),
      ];
      for (const t of tampered) expect(verifyDevAttestation(t, genesis, authority.publicKey)).toBe(false);
    }), { numRuns: 40 });
  });

  test('a report naming a provider other than Dev is not accepted as a dev attestation', () => {
    const report = signDevAttestation(authority, genesis, fc.sample(bodyArb(), 1)[0]);
    expect(verifyDevAttestation({ ...report, provider: 'SgxDcap' as never }, genesis, authority.publicKey)).toBe(false);
    expect(PROVIDER_LABEL.Dev).toMatch(/not hardware protected/);
  });

  test('the dev measurement is a fixed 32-byte hash: dev build 1, other builds differ', () => {
    expect(DEV_MEASUREMENT).toMatch(/^0x[0-9a-f]{64}$/);
    expect(DEV_MEASUREMENT).toBe(hash32(blake2b(new TextEncoder().encode('dark-wallet/dev-enclave/v1'), { dkLen: 32 })));
    expect(devMeasurement(1)).toBe(DEV_MEASUREMENT);
    expect(new Set([1, 2, 3].map(devMeasurement)).size).toBe(3);
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => devMeasurement(bad)).toThrow(/whole number from 1/);
  });
});

describe('withdraw receipts', () => {
  test('the enclave identity signature over receiptMessage verifies; any change to the receipt or chain does not', () => {
    fc.assert(fc.property(receiptArb(), fc.nat(31), (r, i) => {
      const sig = enclave.sign(receiptMessage(genesis, r));
      expect(verifyIdentitySignature(sig, receiptMessage(genesis, r), enclave.publicKey)).toBe(true);
      const others: WithdrawReceipt[] = [
        { ...r, seq: r.seq ^ 1n },
        { ...r, amount: (r.amount ^ 1n) as never },
        { ...r, contractId: ((r.contractId + 1) % 2 ** 32) as ContractId },
        { ...r, dest: `0x${Buffer.from(flip(Buffer.from(r.dest.slice(2), 'hex'), i)).toString('hex')}` as never },
      ];
      for (const o of others) expect(verifyIdentitySignature(sig, receiptMessage(genesis, o), enclave.publicKey)).toBe(false);
      expect(verifyIdentitySignature(sig, receiptMessage(flip(genesis, i), r), enclave.publicKey)).toBe(false);
      expect(verifyIdentitySignature(sig, receiptMessage(genesis, r), stranger.publicKey)).toBe(false);
    }), { numRuns: 60 });
  });

  test('receipt and attestation signatures are domain-separated: one never verifies as the other', () => {
    fc.assert(fc.property(bodyArb(), receiptArb(), (body, r) => {
      const report = signDevAttestation(authority, genesis, body);
      expect(verifyIdentitySignature(report.signature, receiptMessage(genesis, r), authority.publicKey)).toBe(false);
      const receiptSig = authority.sign(receiptMessage(genesis, r));
      expect(verifyDevAttestation({ ...report, signature: receiptSig }, genesis, authority.publicKey)).toBe(false);
      expect(new TextDecoder().decode(receiptMessage(genesis, r).subarray(0, 22))).toBe('dark-wallet/v1/receipt');
      expect(new TextDecoder().decode(attestationMessage(genesis, body).subarray(0, 26))).toBe('dark-wallet/v1/attestation');
    }), { numRuns: 30 });
  });

  test('malformed signatures or keys are false, never an exception', () => {
    const msg = receiptMessage(genesis, fc.sample(receiptArb(), 1)[0]);
    const sig = enclave.sign(msg);
    for (const s of [new Uint8Array(0), sig.subarray(0, 63), new Uint8Array(64), new Uint8Array(64).fill(0xff)]) {
      expect(verifyIdentitySignature(s, msg, enclave.publicKey)).toBe(false);
    }
    for (const k of [new Uint8Array(0), enclave.publicKey.subarray(0, 31), new Uint8Array(32).fill(0xff)]) {
      expect(verifyIdentitySignature(sig, msg, k)).toBe(false);
    }
  });

  test('identity keys are deterministic from their seed, and the seed is copied (later changes do not leak in)', () => {
    const seed = generateIdentitySeed();
    const a = identityFromSeed(seed);
    const pub = a.publicKey.slice();
    expect(identityFromSeed(seed.slice()).publicKey).toStrictEqual(pub);
    const msg = Uint8Array.of(1, 2, 3);
    const before = a.sign(msg);
    seed.fill(0);
    expect(a.sign(msg)).toStrictEqual(before);
    expect(verifyIdentitySignature(before, msg, pub)).toBe(true);
  });
});
