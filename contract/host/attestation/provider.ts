/**
 * Hardware attestation provider: asks the TEE (through a `QuoteSource`) for a quote whose report
 * data binds this chain, contract and keys, and the PCCS for its collateral. The measurement is the
 * TEE's (MRENCLAVE, or the TD's MRTD and RTMRs), learnt from a first quote when the provider opens.
 */
import { quoteMeasurement, readQuote } from '../../../shared/dcap';
import {
  PROVIDER_LABEL, workerReportData, type AttestationBody, type HardwareAttestationReport, type HardwareProvider,
} from '../../../shared/protocol/attestation';
import { hash32, type Hash } from '../../../shared/types';
import type { AttestationProvider } from '../../enclave/attestation';
import { AttestationError } from './errors';
import type { PccsClient } from './pccs';
import type { QuoteSource } from './quote-source';

export class HardwareAttestationProvider implements AttestationProvider {
  readonly kind: HardwareProvider;
  readonly label: string;

  private constructor(
    private readonly source: QuoteSource, private readonly pccs: PccsClient, private readonly genesisHash: Uint8Array,
    readonly measurement: Hash,
  ) {
    this.kind = source.tee === 'tdx' ? 'TdxDcap' : 'SgxDcap';
    this.label = PROVIDER_LABEL[this.kind];
  }

  /** Fails with one sentence when the machine has no such TEE interface. */
  static async open(source: QuoteSource, pccs: PccsClient, genesisHash: Uint8Array): Promise<HardwareAttestationProvider> {
    const probe = readQuote(await source.quote(new Uint8Array(64)));
    return new HardwareAttestationProvider(source, pccs, genesisHash, hash32(quoteMeasurement(probe.body)));
  }

  async attest(body: AttestationBody): Promise<HardwareAttestationReport> {
    if (body.provider !== this.kind || body.measurement !== this.measurement) {
      throw new AttestationError('AttestationUnavailable', `This provider attests ${this.kind} quotes of measurement ${this.measurement} only.`);
    }
    const quote = await this.source.quote(workerReportData(this.genesisHash, body.contractId, body.identityPub, body.ecdhPub, body.handoverPub));
    if (hash32(quoteMeasurement(readQuote(quote).body)) !== this.measurement) {
      throw new AttestationError('AttestationUnavailable', 'The TEE reported another measurement than when the worker started.');
    }
    return { ...body, provider: this.kind, quote, collateral: await this.pccs.collateralFor(quote) };
  }
}
