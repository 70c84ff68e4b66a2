/**
 * The producing side of hardware attestation, against directories laid out like Linux configfs-tsm
 * and Gramine's /dev/attestation, and a PCCS on a loopback HTTP server serving the real fixture
 * collateral: the exact request each interface expects goes in, the quote and its collateral come out.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { AttestationError } from '../../../contract/host/attestation/errors';
import { PccsClient } from '../../../contract/host/attestation/pccs';
import { HardwareAttestationProvider } from '../../../contract/host/attestation/provider';
import { configfsTsmSource, gramineSource, nodeFiles, type TsmFiles } from '../../../contract/host/attestation/quote-source';
import { quoteMeasurement, readQuote, verifyQuote } from '../../../shared/dcap';
import { workerReportData } from '../../../shared/protocol/attestation';
import { contractId, hash32 } from '../../../shared/types';
import { SGX, TDX } from '../../helpers/dcap-fixtures';
import { rejected } from '../protocol/expect-error';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'dark-wallet-attest-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const reportData = Uint8Array.from({ length: 64 }, (_, i) => i * 3);

/**
 * The kernel's side of configfs-tsm over a real directory: a new entry gets `provider` and
 * `generation`; each `inblob` write bumps the generation; reading `outblob` quotes the last inblob.
 */
function fakeTsmKernel(quote: Uint8Array, provider = 'tdx_guest') {
  const requests: Uint8Array[] = [];
  const files: TsmFiles = {
    ...nodeFiles,
    async mkdir(p) {
      await fs.mkdir(p);
      await fs.writeFile(join(p, 'provider'), `${provider}\n`);
      await fs.writeFile(join(p, 'generation'), '0\n');
    },
    async rmdir(p) {
      await fs.rm(p, { recursive: true }); // configfs removes the attributes with the entry
    },
    async writeFile(p, d) {
      await fs.writeFile(p, d);
      if (basename(p) === 'inblob') {
        const g = Number(await fs.readFile(join(p, '..', 'generation'), 'utf8'));
        await fs.writeFile(join(p, '..', 'generation'), `${g + 1}\n`);
      }
    },
    async readFile(p) {
      if (basename(p) === 'outblob') {
        requests.push(new Uint8Array(await fs.readFile(join(p, '..', 'inblob'))));
        return quote;
      }
      return nodeFiles.readFile(p);
    },
  };
  return { files, requests };
}

function tsmRoot(): { root: string; reports: string } {
  const root = tempDir();
  const reports = join(root, 'sys', 'kernel', 'config', 'tsm', 'report');
  mkdirSync(reports, { recursive: true });
  return { root, reports };
}

describe('TDX through configfs-tsm', () => {
  test('one entry, the 64-byte inblob exactly, the outblob handed on, the entry removed', async () => {
    const { root, reports } = tsmRoot();
    const kernel = fakeTsmKernel(TDX.quote);
    const quote = await configfsTsmSource(root, kernel.files).quote(reportData);
    expect(quote).toStrictEqual(TDX.quote);
    expect(kernel.requests).toStrictEqual([reportData]);
    expect(readdirSync(reports)).toEqual([]);
  });

  test('a provider other than tdx_guest is refused, and the entry still removed', async () => {
    const { root, reports } = tsmRoot();
    const e = await rejected(() => configfsTsmSource(root, fakeTsmKernel(TDX.quote, 'sev_guest').files).quote(reportData));
    expect(e).toBeInstanceOf(AttestationError);
    expect((e as Error).message).toMatch(/sev_guest/);
    expect(readdirSync(reports)).toEqual([]);
  });

  test('no configfs-tsm on this machine: one clear sentence', async () => {
    const e = await rejected(() => configfsTsmSource(tempDir()).quote(reportData));
    expect(e).toBeInstanceOf(AttestationError);
    expect((e as Error).message).toMatch(/^This machine offers no TDX quotes: .*tsm\/report does not exist .*\.$/);
  });

  test('report data of any other size is refused before touching the device', async () => {
    const { root } = tsmRoot();
    const kernel = fakeTsmKernel(TDX.quote);
    expect(await rejected(() => configfsTsmSource(root, kernel.files).quote(new Uint8Array(32)))).toBeInstanceOf(AttestationError);
    expect(kernel.requests).toEqual([]);
  });
});

describe('SGX through Gramine /dev/attestation', () => {
  function gramineRoot(type = 'dcap'): string {
    const root = tempDir();
    const dir = join(root, 'dev', 'attestation');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'attestation_type'), type);
    writeFileSync(join(dir, 'user_report_data'), new Uint8Array(64));
    writeFileSync(join(dir, 'quote'), SGX.quote);
    return root;
  }

  test('writes exactly the 64 report-data bytes, hands on the quote', async () => {
    const root = gramineRoot();
    expect(await gramineSource(root).quote(reportData)).toStrictEqual(SGX.quote);
    expect(new Uint8Array(readFileSync(join(root, 'dev', 'attestation', 'user_report_data')))).toStrictEqual(reportData);
  });

  test('Gramine set up for EPID, or not there at all: refused with a sentence', async () => {
    expect(((await rejected(() => gramineSource(gramineRoot('epid')).quote(reportData))) as Error).message).toMatch(/epid attestation, not DCAP/);
    expect(((await rejected(() => gramineSource(tempDir()).quote(reportData))) as Error).message).toMatch(/^This machine offers no SGX quotes/);
  });
});

describe('collateral from a PCCS', () => {
  let server: Server;
  let url: string;
  const served: string[] = [];

  beforeAll(async () => {
    const c = TDX.collateralJson;
    const routes: Record<string, { body: string | Buffer; headers: Record<string, string> }> = {
      '/sgx/certification/v4/pckcrl?ca=platform&encoding=der': { body: Buffer.from(c.pck_crl, 'hex'), headers: { 'SGX-PCK-CRL-Issuer-Chain': encodeURIComponent(c.pck_crl_issuer_chain) } },
      '/sgx/certification/v4/rootcacrl': { body: c.root_ca_crl, headers: {} },
      '/tdx/certification/v4/tcb?fmspc=b0c06f000000': { body: `{"tcbInfo":${c.tcb_info},"signature":"${c.tcb_info_signature}"}`, headers: { 'TCB-Info-Issuer-Chain': encodeURIComponent(c.tcb_info_issuer_chain) } },
      '/tdx/certification/v4/qe/identity': { body: `{"enclaveIdentity":${c.qe_identity},"signature":"${c.qe_identity_signature}"}`, headers: { 'SGX-Enclave-Identity-Issuer-Chain': encodeURIComponent(c.qe_identity_issuer_chain) } },
    };
    server = createServer((req, res) => {
      served.push(req.url ?? '');
      const route = routes[req.url ?? ''];
      if (!route) return void res.writeHead(404).end();
      res.writeHead(200, route.headers).end(route.body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  test('the v4 API paths for the quote\'s FMSPC and PCK CA; the collateral verifies the quote; then served from the disk cache', async () => {
    const cacheDir = join(tempDir(), 'pccs');
    const collateral = await new PccsClient({ url, cacheDir }).collateralFor(TDX.quote);
    expect(collateral).toStrictEqual(TDX.collateral);
    expect(verifyQuote(TDX.quote, collateral, TDX.inside).status).toBe('UpToDate');
    const before = served.length;
    expect(await new PccsClient({ url, cacheDir }).collateralFor(TDX.quote)).toStrictEqual(TDX.collateral);
    expect(served.length).toBe(before);
  });

  test('PCCS down and nothing cached: CollateralUnavailable', async () => {
    const e = await rejected(() => new PccsClient({ url: 'http://127.0.0.1:1', cacheDir: join(tempDir(), 'pccs') }).collateralFor(TDX.quote));
    expect(e).toBeInstanceOf(AttestationError);
    expect((e as AttestationError).code).toBe('CollateralUnavailable');
  });

  test('the hardware provider: report data binds genesis, contract and keys; quote, measurement and collateral in the report', async () => {
    const { root } = tsmRoot();
    const kernel = fakeTsmKernel(TDX.quote);
    const genesis = new Uint8Array(32).fill(5);
    const pccs = new PccsClient({ url, cacheDir: join(tempDir(), 'pccs') });
    const provider = await HardwareAttestationProvider.open(configfsTsmSource(root, kernel.files), pccs, genesis);
    expect(provider.measurement).toBe(hash32(quoteMeasurement(readQuote(TDX.quote).body)));
    const body = {
      provider: provider.kind, contractId: contractId(3), measurement: provider.measurement,
      identityPub: new Uint8Array(32).fill(8), ecdhPub: new Uint8Array(32).fill(9), issuedAt: 1n,
    };
    const report = await provider.attest(body);
    expect(kernel.requests.at(-1)).toStrictEqual(workerReportData(genesis, body.contractId, body.identityPub, body.ecdhPub));
    expect(report).toMatchObject({ provider: 'TdxDcap', quote: TDX.quote, collateral: TDX.collateral, measurement: provider.measurement });
  });
});
