/**
 * Where hardware quotes come from: the kernel's and Gramine's file interfaces (DESIGN.md §10).
 * Both take the root directory they live under, so tests point them at a directory they lay out.
 *
 * TDX, Linux configfs-tsm (Documentation/ABI/testing/configfs-tsm): mkdir an entry under
 * `sys/kernel/config/tsm/report/`, write the 64-byte `inblob`, read `outblob`; `provider` names the
 * TEE and `generation` counts writes, so a changed generation means another writer raced us.
 * SGX, Gramine: write 64 bytes to `/dev/attestation/user_report_data`, read `/dev/attestation/quote`.
 */
import { randomBytes } from 'node:crypto';
import { promises as nodeFs } from 'node:fs';
import { join } from 'node:path';
import { AttestationError } from './errors';

export interface QuoteSource {
  readonly tee: 'tdx' | 'sgx';
  /** A quote whose report data is exactly `reportData` (64 bytes). */
  quote(reportData: Uint8Array): Promise<Uint8Array>;
}

/** The file operations used, so a test can stand in for the kernel behind configfs. */
export interface TsmFiles {
  mkdir(path: string): Promise<void>;
  rmdir(path: string): Promise<void>;
  writeFile(path: string, data: Uint8Array): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
  exists(path: string): Promise<boolean>;
}

export const nodeFiles: TsmFiles = {
  mkdir: async (p) => void (await nodeFs.mkdir(p)),
  rmdir: (p) => nodeFs.rmdir(p),
  writeFile: (p, d) => nodeFs.writeFile(p, d),
  readFile: async (p) => new Uint8Array(await nodeFs.readFile(p)),
  exists: (p) => nodeFs.access(p).then(() => true, () => false),
};

const text = (b: Uint8Array) => new TextDecoder().decode(b).trim();

function checkReportData(reportData: Uint8Array): void {
  if (reportData.length !== 64) throw new AttestationError('AttestationUnavailable', 'Quote report data is exactly 64 bytes.');
}

export function configfsTsmSource(root: string, files: TsmFiles = nodeFiles): QuoteSource {
  const reports = join(root, 'sys', 'kernel', 'config', 'tsm', 'report');
  return {
    tee: 'tdx',
    async quote(reportData) {
      checkReportData(reportData);
      if (!(await files.exists(reports))) {
        throw new AttestationError('AttestationUnavailable', `This machine offers no TDX quotes: ${reports} does not exist (not a TDX confidential VM, or configfs is not mounted).`);
      }
      const entry = join(reports, `dark-wallet-${randomBytes(8).toString('hex')}`);
      await files.mkdir(entry);
      try {
        const provider = text(await files.readFile(join(entry, 'provider')));
        if (provider !== 'tdx_guest') throw new AttestationError('AttestationUnavailable', `configfs-tsm offers a ${provider} quote, not TDX.`);
        await files.writeFile(join(entry, 'inblob'), reportData);
        const before = text(await files.readFile(join(entry, 'generation')));
        const quote = await files.readFile(join(entry, 'outblob'));
        const after = text(await files.readFile(join(entry, 'generation')));
        // Our entry saw exactly our one write; anything else means the quote may be for another inblob.
        if (before !== '1' || after !== before) throw new AttestationError('AttestationUnavailable', 'Another writer changed the configfs-tsm entry while the quote was read.');
        return quote;
      } finally {
        await files.rmdir(entry);
      }
    },
  };
}

export function gramineSource(root: string, files: TsmFiles = nodeFiles): QuoteSource {
  const dir = join(root, 'dev', 'attestation');
  return {
    tee: 'sgx',
    async quote(reportData) {
      checkReportData(reportData);
      if (!(await files.exists(join(dir, 'quote')))) {
        throw new AttestationError('AttestationUnavailable', `This machine offers no SGX quotes: ${join(dir, 'quote')} does not exist (not running inside Gramine with remote attestation enabled).`);
      }
      const kind = await files.exists(join(dir, 'attestation_type')) ? text(await files.readFile(join(dir, 'attestation_type'))) : 'dcap';
      if (kind !== 'dcap') throw new AttestationError('AttestationUnavailable', `Gramine is set up for ${kind} attestation, not DCAP.`);
      await files.writeFile(join(dir, 'user_report_data'), reportData);
      return files.readFile(join(dir, 'quote'));
    },
  };
}
