/**
 * Attestation providers: who vouches that this enclave's code (measurement) holds its identity and
 * contract keys. Pluggable (DESIGN.md §4); SGX DCAP / SEV-SNP providers implement the same interface.
 */
import { signDevAttestation } from '../../shared/crypto/attestation';
import { identityFromSeed, type IdentityKey } from '../../shared/crypto/identity';
import { ProtocolError } from '../../shared/errors';
import {
  DEV_MEASUREMENT, PROVIDER_LABEL,
  type AttestationBody, type AttestationProvider as ProviderKind, type AttestationReport,
} from '../../shared/protocol/attestation';
import { fromHex, type ContractId, type Hash } from '../../shared/types';
import { EnclaveError } from './errors';
import { hostMillis } from './clock';
import type { WorkerKeys } from './secret';

export interface AttestationProvider {
  readonly kind: ProviderKind;
  /** The code measurement this provider reports for the running enclave. */
  readonly measurement: Hash;
  /** What users are shown about this kind of evidence. */
  readonly label: string;
  attest(body: AttestationBody): Promise<AttestationReport>;
}

/**
 * Development attestation — not hardware protected. The dev chain names an authority key in its
 * genesis and writes its seed (hex) to `<chain base-path>/dev-attestation-authority.seed`; a report
 * signed with it proves only that whoever holds that file vouched for these keys.
 */
export class DevAttestationProvider implements AttestationProvider {
  readonly kind: ProviderKind = 'Dev';
  readonly measurement: Hash;
  readonly label = PROVIDER_LABEL.Dev;
  readonly #authority: IdentityKey;
  readonly #genesisHash: Uint8Array;

  /** `measurement`: the dev build this worker claims to run (`devMeasurement(N)`); only it is ever vouched for. */
  constructor(authoritySeed: Uint8Array, genesisHash: Uint8Array, measurement: Hash = DEV_MEASUREMENT) {
    if (!(authoritySeed instanceof Uint8Array) || authoritySeed.length !== 32) throw new ProtocolError('BadLength', 'The dev attestation authority seed is 32 bytes.');
    if (!(genesisHash instanceof Uint8Array) || genesisHash.length !== 32) throw new ProtocolError('BadLength', 'A genesis hash is 32 bytes.');
    this.#authority = identityFromSeed(authoritySeed);
    this.#genesisHash = genesisHash.slice();
    this.measurement = measurement;
  }

  /** From the contents of the dev chain's seed file (0x-hex, surrounding whitespace allowed). */
  static fromSeedFile(contents: string, genesisHash: Uint8Array, measurement: Hash = DEV_MEASUREMENT): DevAttestationProvider {
    const hex = contents.trim().toLowerCase();
    return new DevAttestationProvider(fromHex(hex.startsWith('0x') ? hex : `0x${hex}`), genesisHash, measurement);
  }

  get authorityPub(): Uint8Array {
    return this.#authority.publicKey.slice();
  }

  async attest(body: AttestationBody): Promise<AttestationReport> {
    // The dev authority vouches for the dev build only, never for a measurement it cannot know.
    if (body.provider !== 'Dev' || body.measurement !== this.measurement) {
      throw new EnclaveError('AttestationRefused', 'The dev provider attests only the dev enclave measurement it was started with.');
    }
    return signDevAttestation(this.#authority, this.#genesisHash, { ...body, provider: 'Dev' });
  }
}

/**
 * The report a worker registers with: its own identity and handover keys and the contract's envelope
 * key (its own once it holds the contract keys; a joiner names the one on chain it asks to be handed).
 */
export function attestWorker(provider: AttestationProvider, contractId: ContractId, keys: WorkerKeys, contractPub: Uint8Array, now: number): Promise<AttestationReport> {
  return provider.attest({
    provider: provider.kind,
    contractId,
    measurement: provider.measurement,
    identityPub: keys.identity.publicKey.slice(),
    ecdhPub: contractPub.slice(),
    handoverPub: keys.handover.publicKey.slice(),
    issuedAt: BigInt(hostMillis(now)),
  });
}
