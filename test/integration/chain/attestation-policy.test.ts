/**
 * Hardware attestation at registerWorker through the real @polkadot/api: reports built around the
 * real Intel fixture quotes, on a chain whose clock is set inside (and then past) their collateral
 * window. Each refusal names its reason: the quote, the allow-list, the TCB policy, the key binding.
 */
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { u8aToHex } from '@polkadot/util';
import { startChain, type RunningChain } from '../../../contract/chain/index';
import { DEFAULT_TCB_POLICY } from '../../../shared/crypto/attestation';
import { verifyQuote, type TcbStatus } from '../../../shared/dcap';
import { encodeAttestation, type HardwareAttestationReport } from '../../../shared/protocol/attestation';
import { contractId, hash32, type Hash } from '../../../shared/types';
import { SGX, TDX, TDX_OUTDATED, type DcapFixture } from '../../helpers/dcap-fixtures';
import { shutdown } from '../../helpers/teardown';
import { connect, devKeys, finalize } from './helpers';

let node: RunningChain;
let api: ApiPromise;
let keys: Awaited<ReturnType<typeof devKeys>>;
/** Inside both the SGX and the TDX fixture's collateral window. */
let chainTime = Date.parse('2025-07-01T00:00:00Z');

beforeAll(async () => {
  node = await startChain({ port: 0, now: () => chainTime });
  node.chain.produceBlock(); // a first block, so Timestamp's now is chainTime before any registration
  api = await connect(node.url);
  keys = await devKeys();
  jest.spyOn(console, 'error').mockImplementation(() => undefined); // polkadot-js logs each refused submission
});

afterAll(async () => {
  jest.restoreAllMocks();
  await shutdown(api, async () => node?.close());
});

const measurementOf = (f: DcapFixture): Hash => hash32(verifyQuote(f.quote, f.collateral, f.inside).measurement);
const identityPub = new Uint8Array(32).fill(1);
const ecdhPub = new Uint8Array(32).fill(2);

function register(f: DcapFixture, provider: HardwareAttestationReport['provider'], opts: { quote?: Uint8Array; measurement?: Hash } = {}) {
  const report: HardwareAttestationReport = {
    provider, contractId: contractId(0), measurement: opts.measurement ?? measurementOf(f), identityPub, ecdhPub,
    issuedAt: BigInt(chainTime), quote: opts.quote ?? f.quote, collateral: f.collateral,
  };
  return api.tx.phalaModule.registerWorker(identityPub, ecdhPub, u8aToHex(encodeAttestation(report)));
}

async function refusal(tx: SubmittableExtrinsic<'promise'>): Promise<string> {
  try {
    await tx.signAndSend(keys.bob);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the registration was accepted');
}

const sudo = (call: SubmittableExtrinsic<'promise'>) => finalize(api.tx.sudo.sudo(call), keys.alice);

test('default policy on chain: up to date or SW hardening needed, collateral of the last 30 days', async () => {
  expect((await api.query.phalaModule.acceptedTcbStatuses()).toJSON()).toEqual([...DEFAULT_TCB_POLICY.acceptedStatuses]);
  expect(Number((await api.query.phalaModule.maxCollateralAge()).toString())).toBe(DEFAULT_TCB_POLICY.maxCollateralAgeMs);
});

test('a quote with a changed byte does not verify: QuoteInvalid', async () => {
  const quote = TDX.quote.slice();
  quote[700] ^= 1; // inside the quote's signature
  expect(await refusal(register(TDX, 'TdxDcap', { quote }))).toMatch(/^1010: .*QuoteInvalid/);
  expect(await refusal(register(TDX, 'SgxDcap'))).toMatch(/QuoteInvalid/); // a TDX quote in an SGX report
});

test('a genuine quote whose measurement is not on the allow-list: MeasurementNotAllowed', async () => {
  expect(await refusal(register(TDX, 'TdxDcap'))).toMatch(/^1010: .*MeasurementNotAllowed/);
});

test('allowed, genuine, but outside the TCB policy (SGX needs configuration): TcbStatusNotAccepted', async () => {
  await sudo(api.tx.phalaModule.addMeasurement(measurementOf(SGX)));
  await sudo(api.tx.phalaModule.addMeasurement(measurementOf(TDX)));
  expect(await refusal(register(SGX, 'SgxDcap'))).toMatch(/^1010: .*TcbStatusNotAccepted/);
});

test('allowed, genuine, up to date, but quoted for other keys: ReportDataMismatch', async () => {
  expect(await refusal(register(TDX, 'TdxDcap'))).toMatch(/^1010: .*ReportDataMismatch/);
});

test('setTcbPolicy is root only; once root accepts the SGX status, SGX passes the policy and stops at the key binding', async () => {
  const wider: TcbStatus[] = [...DEFAULT_TCB_POLICY.acceptedStatuses, 'ConfigurationAndSWHardeningNeeded'];
  const direct = await finalize(api.tx.phalaModule.setTcbPolicy(wider, DEFAULT_TCB_POLICY.maxCollateralAgeMs), keys.bob);
  expect(direct.names).toContain('system.ExtrinsicFailed');
  const set = await sudo(api.tx.phalaModule.setTcbPolicy(wider, DEFAULT_TCB_POLICY.maxCollateralAgeMs));
  expect(set.names).toEqual(expect.arrayContaining(['phalaModule.TcbPolicySet', 'sudo.Sudid']));
  expect((await api.query.phalaModule.acceptedTcbStatuses()).toJSON()).toEqual(wider);
  expect(await refusal(register(SGX, 'SgxDcap'))).toMatch(/ReportDataMismatch/);
});

test('collateral older than the policy\'s maximum age: CollateralTooOld', async () => {
  await sudo(api.tx.phalaModule.setTcbPolicy([...DEFAULT_TCB_POLICY.acceptedStatuses], 3_600_000));
  expect(await refusal(register(TDX, 'TdxDcap'))).toMatch(/^1010: .*CollateralTooOld/);
  await sudo(api.tx.phalaModule.setTcbPolicy([...DEFAULT_TCB_POLICY.acceptedStatuses], DEFAULT_TCB_POLICY.maxCollateralAgeMs));
});

test('chain time past the collateral window: the same quote no longer verifies', async () => {
  chainTime = TDX.validUntil + 3_600_000;
  node.chain.produceBlock();
  expect(await refusal(register(TDX, 'TdxDcap'))).toMatch(/QuoteInvalid/);
});

test('the outdated TDX platform, inside its own window, is refused', async () => {
  chainTime = TDX_OUTDATED.inside;
  node.chain.produceBlock();
  expect(await refusal(register(TDX_OUTDATED, 'TdxDcap', { measurement: hash32(new Uint8Array(32)) }))).toMatch(/QuoteInvalid/);
});
