/** The worker's `--attestation dev|tdx|sgx` choice, turned into a provider once the chain's genesis is known. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { devMeasurement } from '../../../shared/protocol/attestation';
import { DevAttestationProvider, type AttestationProvider } from '../../enclave';
import { AttestationError } from './errors';
import { PccsClient } from './pccs';
import { HardwareAttestationProvider } from './provider';
import { configfsTsmSource, gramineSource } from './quote-source';

export type AttestationChoice =
  /** `version`: the dev build reported (`--dev-enclave-version`, development only; 1 when absent). */
  | { kind: 'dev'; seedPath: string; version?: number }
  /** `root` is `/` on a real machine; tests point it at a directory they lay out. */
  | { kind: 'tdx' | 'sgx'; root: string; pccsUrl?: string };

export async function openAttestationProvider(choice: AttestationChoice, genesisHash: Uint8Array, basePath: string): Promise<AttestationProvider> {
  if (choice.kind === 'dev') {
    return DevAttestationProvider.fromSeedFile(readFileSync(choice.seedPath, 'utf8'), genesisHash, devMeasurement(choice.version ?? 1));
  }
  if (!choice.pccsUrl) throw new AttestationError('CollateralUnavailable', `--attestation ${choice.kind} needs --pccs URL to fetch the quote's collateral.`);
  const source = choice.kind === 'tdx' ? configfsTsmSource(choice.root) : gramineSource(choice.root);
  const pccs = new PccsClient({ url: choice.pccsUrl, cacheDir: join(basePath, 'pccs-cache') });
  return HardwareAttestationProvider.open(source, pccs, genesisHash);
}
