/**
 * fast-check arbitraries for every wire type: valid values only, with the edges weighted in
 * (u128 0 and 2^128-1, u32/u64 limits, UTF-8 strings of 1-4 byte characters filling their byte limit).
 */
import { MAX_PERMIT_ASSETS, MAX_PERMIT_NAME_BYTES, permitId, type SignedPermit, type ViewPermit } from '../../../shared/protocol/permit';
import fc from 'fast-check';
import type { SecretCommand } from '../../../shared/protocol/command';
import { MAX_DECIMALS, MAX_NAME_BYTES, MAX_SYMBOL_BYTES } from '../../../shared/protocol/rules';
import {
  Directions, HistoryKinds, LedgerErrorCodes, type AssetInfo, type HistoryEntry, type Outcome, type WithdrawReceipt,
} from '../../../shared/protocol/ledger';
import {
  MAX_HISTORY_PAGE, QueryErrorCodes, SESSION_ID_BYTES, SignatureSchemes, signatureBytes,
  type AccountSignature, type Query, type QueryRequest, type QueryResponse,
} from '../../../shared/protocol/query';
import type { DcapCollateral } from '../../../shared/dcap';
import type { AttestationReport, DevAttestationReport, HardwareAttestationReport } from '../../../shared/protocol/attestation';
import {
  U128_MAX, U32_MAX, U64_MAX, accountIdFromBytes, hash32,
  type AccountId, type Amount, type AssetId, type ContractId, type Hash,
} from '../../../shared/types';

const utf8 = new TextEncoder();
/** Records with an ordinary prototype, like the decoders build (so toStrictEqual compares them). */
const rec = <T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> => fc.record(model, { noNullPrototype: true });
export const byteLength = (s: string): number => utf8.encode(s).length;

export const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
export const u8 = () => fc.integer({ min: 0, max: 0xff });
export const u16 = () => fc.oneof(fc.constantFrom(0, 0xffff), fc.integer({ min: 0, max: 0xffff }));
export const u32 = () => fc.oneof(fc.constantFrom(0, 1, U32_MAX - 1, U32_MAX), fc.integer({ min: 0, max: U32_MAX }));
export const u64 = () => fc.oneof(fc.constantFrom(0n, 1n, U64_MAX - 1n, U64_MAX), fc.bigInt({ min: 0n, max: U64_MAX }));
export const u128 = () =>
  fc.oneof(fc.constantFrom(0n, 1n, U64_MAX, U64_MAX + 1n, U128_MAX - 1n, U128_MAX), fc.bigInt({ min: 0n, max: U128_MAX }));

export const amountArb = (): fc.Arbitrary<Amount> => u128().map((v) => v as Amount);
export const assetArb = (): fc.Arbitrary<AssetId> => u32().map((v) => v as AssetId);
export const contractIdArb = (): fc.Arbitrary<ContractId> => u32().map((v) => v as ContractId);
export const accountArb = (): fc.Arbitrary<AccountId> => bytes(32).map(accountIdFromBytes);
export const hashArb = (): fc.Arbitrary<Hash> => bytes(32).map(hash32);

/**
 * One code point per unit, mixing 1-, 2-, 3- and 4-byte UTF-8, NUL, a BOM (which must survive a
 * round trip even at the start of a string) and arbitrary code points.
 */
const charUnit = fc.oneof(
  fc.constantFrom('a', 'Z', '0', ' ', '\u0000', 'é', 'ß', '€', '中', '\uFEFF', '😀', '𝄞'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
);

/** A UTF-8 string of `min`..`maxBytes` code points whose encoding fits `maxBytes`; often exactly full. */
export function utf8String(maxBytes: number, nonEmpty: boolean): fc.Arbitrary<string> {
  return fc.array(charUnit, { minLength: nonEmpty ? 1 : 0, maxLength: maxBytes }).map((units) => {
    let s = '';
    for (const u of units) {
      if (byteLength(s + u) > maxBytes) continue;
      s += u;
    }
    return s;
  }).filter((s) => !nonEmpty || s.length > 0);
}

const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/**
 * Symbols an Issue may carry (isIssuableSymbol): 1 to 12 ASCII letters and digits, the first a letter,
 * with both length limits among the constants. Look-alikes from other scripts are refused by the
 * ledger, so a client never seals one.
 */
export const symbolArb = () => fc.oneof(
  fc.constantFrom('PHA', 'A', 'z', 'Q1', 'vDOT', 'ABCDEFGHIJKL', 'Z00000000009'),
  fc.tuple(
    fc.constantFrom(...letters),
    fc.string({ unit: fc.constantFrom(...letters, ...'0123456789'), maxLength: MAX_SYMBOL_BYTES - 1 }),
  ).map(([first, rest]) => first + rest),
);
/**
 * Symbols asset metadata may carry: issuable ones, and any UTF-8 up to 12 bytes, as the chain's native
 * symbol and assets issued before the symbol rule may have.
 */
export const metadataSymbolArb = () => fc.oneof(symbolArb(), utf8String(MAX_SYMBOL_BYTES, true));
export const nameArb = (nonEmpty = true) => utf8String(MAX_NAME_BYTES, nonEmpty);
export const decimalsArb = () => fc.oneof(fc.constantFrom(0, 12, 18, MAX_DECIMALS), fc.integer({ min: 0, max: MAX_DECIMALS }));

export const commandArbs = {
  Transfer: rec({ kind: fc.constant('Transfer' as const), asset: assetArb(), dest: accountArb(), amount: amountArb() }),
  Withdraw: rec({ kind: fc.constant('Withdraw' as const), dest: accountArb(), amount: amountArb() }),
  Issue: rec({
    kind: fc.constant('Issue' as const), symbol: symbolArb(), name: nameArb(), decimals: decimalsArb(), supply: amountArb(),
  }),
  Mint: rec({ kind: fc.constant('Mint' as const), asset: assetArb(), amount: amountArb() }),
  Burn: rec({ kind: fc.constant('Burn' as const), asset: assetArb(), amount: amountArb() }),
  RevokePermit: rec({ kind: fc.constant('RevokePermit' as const), permit: fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => permitId(b)) }),
} satisfies { [K in SecretCommand['kind']]: fc.Arbitrary<Extract<SecretCommand, { kind: K }>> };

export const commandArb = (): fc.Arbitrary<SecretCommand> => fc.oneof(...Object.values(commandArbs));

const outcomeArb = (): fc.Arbitrary<Outcome> => fc.oneof(
  rec({ ok: fc.constant(true as const), receiptSeq: fc.option(u64(), { nil: null }) }),
  rec({ ok: fc.constant(false as const), error: fc.constantFrom(...LedgerErrorCodes.names) }),
);

export const historyEntryArb = (): fc.Arbitrary<HistoryEntry> => rec({
  block: u32(),
  index: u32(),
  kind: fc.constantFrom(...HistoryKinds.names),
  direction: fc.constantFrom(...Directions.names),
  asset: assetArb(),
  counterparty: fc.option(accountArb(), { nil: null }),
  amount: amountArb(),
  outcome: outcomeArb(),
  ref: hashArb(),
});

export const assetInfoArb = (): fc.Arbitrary<AssetInfo> => rec({
  id: assetArb(),
  symbol: metadataSymbolArb(),
  name: nameArb(false),
  decimals: u8(),
  issuer: fc.option(accountArb(), { nil: null }),
});

export const receiptArb = (): fc.Arbitrary<WithdrawReceipt> =>
  rec({ contractId: contractIdArb(), seq: u64(), dest: accountArb(), amount: amountArb() });

/** Version 3 reports name a handover key; older ones do not (and must still round-trip and verify). */
const attestationBodyArb = () => fc.tuple(rec({
  contractId: contractIdArb(),
  measurement: hashArb(),
  identityPub: bytes(32),
  ecdhPub: bytes(32),
  issuedAt: u64(),
}), fc.option(bytes(32), { nil: null })).map(([body, handoverPub]) => (handoverPub ? { ...body, handoverPub } : body));

export const devAttestationArb = (): fc.Arbitrary<DevAttestationReport> => fc.tuple(attestationBodyArb(), fc.oneof(bytes(64), fc.uint8Array({ maxLength: 300 })))
  .map(([body, signature]) => ({ ...body, provider: 'Dev' as const, signature }));

const collateralArb = (): fc.Arbitrary<DcapCollateral> => {
  const text = () => fc.string({ maxLength: 40 });
  const blob = () => fc.uint8Array({ maxLength: 80 });
  return rec({
    pckCrlIssuerChain: text(), rootCaCrl: blob(), pckCrl: blob(),
    tcbInfoIssuerChain: text(), tcbInfo: text(), tcbInfoSignature: bytes(64),
    qeIdentityIssuerChain: text(), qeIdentity: text(), qeIdentitySignature: bytes(64),
  });
};

export const hardwareAttestationArb = (): fc.Arbitrary<HardwareAttestationReport> =>
  fc.tuple(attestationBodyArb(), fc.constantFrom('SgxDcap' as const, 'TdxDcap' as const), fc.uint8Array({ maxLength: 600 }), collateralArb())
    .map(([body, provider, quote, collateral]) => ({ ...body, provider, quote, collateral }));

export const attestationArb = (): fc.Arbitrary<AttestationReport> => fc.oneof(devAttestationArb(), hardwareAttestationArb());

export const signatureArb = (): fc.Arbitrary<AccountSignature> =>
  fc.constantFrom(...SignatureSchemes.names).chain((scheme) => rec({ scheme: fc.constant(scheme), bytes: bytes(signatureBytes(scheme)) }));

export const viewPermitArb = (): fc.Arbitrary<ViewPermit> => rec({
  id: bytes(16).map((b) => permitId(b)),
  name: utf8String(MAX_PERMIT_NAME_BYTES, true),
  genesisHash: hashArb(),
  contractId: u32().map((n) => n as ContractId),
  owner: accountArb(),
  auditor: accountArb(),
  assets: fc.uniqueArray(u32(), { minLength: 1, maxLength: MAX_PERMIT_ASSETS }).map((a) => a.sort((x, y) => x - y) as AssetId[]),
  fields: fc.constantFrom({ balances: true, history: false }, { balances: false, history: true }, { balances: true, history: true }),
  expiresAtBlock: u32(),
});
export const signedPermitArb = (): fc.Arbitrary<SignedPermit> => rec({ permit: viewPermitArb(), signature: signatureArb() });

export const queryArbs = {
  Balances: fc.constant({ kind: 'Balances' as const }),
  History: rec({ kind: fc.constant('History' as const), from: u32(), limit: u16() }),
  Receipt: rec({ kind: fc.constant('Receipt' as const), seq: u64() }),
  AssetInfo: rec({ kind: fc.constant('AssetInfo' as const), asset: assetArb() }),
  Assets: fc.constant({ kind: 'Assets' as const }),
  AuditBalances: rec({ kind: fc.constant('AuditBalances' as const), permit: signedPermitArb() }),
  AuditHistory: rec({ kind: fc.constant('AuditHistory' as const), permit: signedPermitArb(), from: u32(), limit: u16() }),
  RelayNonce: fc.constant({ kind: 'RelayNonce' as const }),
} satisfies { [K in Query['kind']]: fc.Arbitrary<Extract<Query, { kind: K }>> };
export const queryArb = (): fc.Arbitrary<Query> => fc.oneof(...Object.values(queryArbs));
export const queryRequestArbs = {
  Public: rec({ kind: fc.constant('Public' as const), query: queryArb() }),
  Signed: rec({
    kind: fc.constant('Signed' as const), account: accountArb(), issuedAt: u64(), query: queryArb(), signature: signatureArb(),
  }),
  OpenSession: rec({
    kind: fc.constant('OpenSession' as const), account: accountArb(), sessionPub: bytes(32), expiresAt: u64(), signature: signatureArb(),
  }),
} satisfies { [K in QueryRequest['kind']]: fc.Arbitrary<Extract<QueryRequest, { kind: K }>> };
export const queryRequestArb = (): fc.Arbitrary<QueryRequest> => fc.oneof(...Object.values(queryRequestArbs));

export const queryResponseArbs = {
  Balances: rec({
    kind: fc.constant('Balances' as const),
    balances: fc.array(rec({ asset: assetArb(), amount: amountArb() }), { maxLength: 70 }),
  }),
  History: rec({
    kind: fc.constant('History' as const), total: u32(), entries: fc.array(historyEntryArb(), { maxLength: 8 }),
  }),
  Receipt: rec({
    kind: fc.constant('Receipt' as const),
    receipt: fc.option(receiptArb(), { nil: null }),
    signature: fc.option(bytes(64), { nil: null }),
  }),
  AssetInfo: rec({ kind: fc.constant('AssetInfo' as const), info: fc.option(assetInfoArb(), { nil: null }) }),
  Assets: rec({ kind: fc.constant('Assets' as const), assets: fc.array(assetInfoArb(), { maxLength: 6 }) }),
  Session: rec({ kind: fc.constant('Session' as const), sessionId: bytes(SESSION_ID_BYTES), salt: bytes(32), expiresAt: u64() }),
  Error: rec({ kind: fc.constant('Error' as const), code: fc.constantFrom(...QueryErrorCodes.names) }),
  RelayNonce: rec({ kind: fc.constant('RelayNonce' as const), next: u64() }),
} satisfies { [K in QueryResponse['kind']]: fc.Arbitrary<Extract<QueryResponse, { kind: K }>> };
export const queryResponseArb = (): fc.Arbitrary<QueryResponse> => fc.oneof(...Object.values(queryResponseArbs));

export { MAX_HISTORY_PAGE };
