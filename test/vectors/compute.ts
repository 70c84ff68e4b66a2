/**
 * Computes the protocol test vectors from fixed inputs with the current shared code. The committed
 * `protocol.json` is the reference both the extension and the contract test against; `generate.ts`
 * prints a fresh copy, and test/unit/protocol/vectors.test.ts recomputes and compares every byte.
 *
 * Every secret here is a published test value: derived as sha256("dark-wallet/test-vector/<label>").
 * Never use them, or `sealEnvelopeWith`, outside test vectors.
 */
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { signDevAttestation } from '../../shared/crypto/attestation';
import { signAsAccount } from '../../shared/crypto/account-signature';
import {
  commandAad, contractKeyFromSecret, deriveKey, queryAad, sealEnvelopeWith, type CommandBinding,
} from '../../shared/crypto/envelope';
import { identityFromSeed } from '../../shared/crypto/identity';
import { sealFrame, sessionIdOf, sessionKeyOf } from '../../shared/crypto/session';
import { x25519Backend } from '../../shared/crypto/x25519';
import {
  DEV_MEASUREMENT, attestationMessage, encodeAttestation, workerReportData, type DevAttestationReport, type HardwareAttestationReport,
} from '../../shared/protocol/attestation';
import { encodeCommand, padCommand, type SecretCommand } from '../../shared/protocol/command';
import { padBody, relayMessage, type RelayTarget } from '../../shared/protocol/relay';
import {
  encodeAssetInfo, encodeHistoryEntry, encodeReceipt, receiptMessage, type AssetInfo, type HistoryEntry, type WithdrawReceipt,
} from '../../shared/protocol/ledger';
import {
  encodeQuery, encodeQueryRequest, encodeQueryResponse, openSessionMessage, signedQueryMessage,
  type Query, type QueryRequest, type QueryResponse, type QueryTarget,
} from '../../shared/protocol/query';
import { depositRef, depositRefPreimage } from '../../shared/protocol/refs';
import { encodeSignedPermit, permitId, permitMessage, type SignedPermit, type ViewPermit } from '../../shared/protocol/permit';
import { permitToFile } from '../../shared/protocol/permit-file';
import {
  U128_MAX, U32_MAX, accountIdFromBytes, hash32, toHex, type AccountId, type Amount, type AssetId, type ContractId,
} from '../../shared/types';

export const fixed = (label: string, n = 32): Uint8Array =>
  sha256(new TextEncoder().encode(`dark-wallet/test-vector/${label}`)).slice(0, n);

/** JSON form: bigint → decimal string, bytes → 0x-hex; everything else as is. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export function toJson(v: unknown): Json {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return toHex(v);
  if (Array.isArray(v)) return v.map(toJson);
  if (v !== null && typeof v === 'object') {
    const out: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v)) out[k] = toJson(x);
    return out;
  }
  return v as Json;
}

const PHA = 10n ** 12n;
const amt = (v: bigint) => v as Amount;
const asset = (v: number) => v as AssetId;

export async function computeVectors(): Promise<Json> {
  await cryptoWaitReady();
  const backend = await x25519Backend();

  const contractSecret = fixed('contract-secret');
  const contract = await contractKeyFromSecret(contractSecret);
  const genesisHash = fixed('genesis-hash');
  const contractId = 1 as ContractId;
  const accountSeed = fixed('account-seed');
  const account = new Keyring({ type: 'ed25519' }).addFromSeed(accountSeed);
  const signer = accountIdFromBytes(account.publicKey);
  const dest: AccountId = accountIdFromBytes(fixed('dest-account'));
  const identitySeed = fixed('enclave-identity-seed');
  const identity = identityFromSeed(identitySeed);
  const authoritySeed = fixed('dev-authority-seed');
  const authority = identityFromSeed(authoritySeed);
  const sessionSecret = fixed('session-secret');
  const sessionPub = await backend.publicKey(sessionSecret);
  const binding: CommandBinding = { genesisHash, contractId, signer };
  const target: QueryTarget = { genesisHash, contractId, contractPub: contract.publicKey };
  const issuedAt = 1_750_000_000_000n;
  const expiresAt = issuedAt + 8n * 3_600_000n;

  /** An envelope with its intermediate values, so an implementation that drifts can see where. */
  async function envelope(purpose: 'command' | 'query', name: string, aad: Uint8Array, plaintext: Uint8Array) {
    const ephemeralSecret = fixed(`ephemeral-secret/${name}`);
    const nonce = fixed(`nonce/${name}`, 24);
    const ephemeralPub = await backend.publicKey(ephemeralSecret);
    const sharedSecret = await (await backend.prepare(ephemeralSecret))(contract.publicKey);
    const sealed = await sealEnvelopeWith(purpose, contract.publicKey, aad, plaintext, { ephemeralSecret, nonce });
    return {
      ephemeralSecret, ephemeralPub, nonce, sharedSecret,
      key: deriveKey(purpose, sharedSecret, contract.publicKey, ephemeralPub),
      aad, plaintext, envelope: sealed.envelope, replyKey: sealed.replyKey,
    };
  }

  // ---- commands: one per kind, plus the edges (u32/u128 maxima, 12-byte symbol, 32-byte multi-byte UTF-8 name, 38 decimals)
  const commands: [string, SecretCommand][] = [
    ['transfer', { kind: 'Transfer', asset: asset(7), dest, amount: amt(1n * PHA) }],
    ['transfer-max', { kind: 'Transfer', asset: asset(U32_MAX), dest, amount: amt(U128_MAX) }],
    ['withdraw', { kind: 'Withdraw', dest, amount: amt(25n * PHA / 10n) }],
    ['issue', { kind: 'Issue', symbol: 'DARK', name: 'Dark Token', decimals: 12, supply: amt(21_000_000n * PHA) }],
    ['issue-limits', { kind: 'Issue', symbol: '~!EDGE-12#$%', name: 'Ünïcødé 🪙 token 123456789', decimals: 38, supply: amt(U128_MAX) }],
    ['mint', { kind: 'Mint', asset: asset(1), amount: amt(500n) }],
    ['burn', { kind: 'Burn', asset: asset(1), amount: amt(1n) }],
    ['revoke-permit', { kind: 'RevokePermit', permit: permitId(fixed('permit-id', 16)) }],
  ];
  const commandVectors = [];
  for (const [name, command] of commands) {
    const { replyKey: _unused, ...e } = await envelope('command', `command/${name}`, commandAad(binding), padCommand(command));
    commandVectors.push({ name, command, scale: encodeCommand(command), ...e });
  }

  // ---- relayed commands (the user signs, a relayer submits: AAD binds the relayer) and a dummy
  const relayer: AccountId = accountIdFromBytes(fixed('relayer-account'));
  const relayTarget: RelayTarget = { genesisHash, contractId, relayer };
  const relayBinding: CommandBinding = { genesisHash, contractId, signer: relayer };
  const relayVectors = [];
  for (const [name, command, nonce, fee] of [
    ['relayed-transfer', commands[0][1], 0n, amt(PHA / 100n)],
    ['relayed-issue-limits', commands[4][1], 7n, amt(U128_MAX)],
  ] as const) {
    const message = relayMessage(relayTarget, nonce, fee, command);
    const signature = signAsAccount(account, message);
    const body = { kind: 'Relayed' as const, relayed: { user: signer, nonce, fee, command, signature } };
    const { replyKey: _unused, ...e } = await envelope('command', `command/${name}`, commandAad(relayBinding), padBody(body));
    relayVectors.push({ name, relayer, message, body, ...e });
  }
  const { replyKey: _dummyReply, ...dummy } = await envelope('command', 'command/dummy', commandAad(relayBinding), padBody({ kind: 'Dummy' }));
  relayVectors.push({ name: 'dummy', relayer, body: { kind: 'Dummy' }, ...dummy });

  // ---- receipt and attestation
  const receipt: WithdrawReceipt = { contractId, seq: 42n, dest, amount: amt(25n * PHA / 10n) };
  const receiptMsg = receiptMessage(genesisHash, receipt);
  const receiptSignature = identity.sign(receiptMsg);
  const report: DevAttestationReport = signDevAttestation(authority, genesisHash, {
    provider: 'Dev', contractId, measurement: DEV_MEASUREMENT, identityPub: identity.publicKey, ecdhPub: contract.publicKey, issuedAt,
  });
  const { signature: _evidence, ...attestationBody } = report;
  // Wire format only: the evidence is short filler (real quotes are in test/fixtures/attestation).
  const hardwareReport: HardwareAttestationReport = {
    ...attestationBody, provider: 'TdxDcap', measurement: hash32(fixed('tdx-measurement')), quote: fixed('quote', 24),
    collateral: {
      pckCrlIssuerChain: 'pck-crl-issuer-chain', rootCaCrl: fixed('root-ca-crl', 8), pckCrl: fixed('pck-crl', 8),
      tcbInfoIssuerChain: 'tcb-info-issuer-chain', tcbInfo: '{"id":"TDX"}', tcbInfoSignature: fixed('tcb-info-signature', 64),
      qeIdentityIssuerChain: 'qe-identity-issuer-chain', qeIdentity: '{"id":"TD_QE"}', qeIdentitySignature: fixed('qe-identity-signature', 64),
    },
  };

  // ---- signed query and open session (ed25519 account: deterministic signatures)
  const signedQuery: Query = { kind: 'History', from: 0, limit: 20 };
  const signedQueryMsg = signedQueryMessage(target, signer, issuedAt, signedQuery);
  const signedQuerySig = signAsAccount(account, signedQueryMsg);
  const openSessionMsg = openSessionMessage(target, signer, sessionPub, expiresAt);
  const openSessionSig = signAsAccount(account, openSessionMsg);
  const signedRequest: QueryRequest = { kind: 'Signed', account: signer, issuedAt, query: signedQuery, signature: signedQuerySig };
  const openSessionRequest: QueryRequest = { kind: 'OpenSession', account: signer, sessionPub, expiresAt, signature: openSessionSig };

  // ---- a view permit (shared/protocol/permit.ts), signed by the same ed25519 account, and its file form
  const viewPermit: ViewPermit = {
    id: permitId(fixed('permit-id', 16)), name: 'Tax 2026 — Ünïcødé', genesisHash: hash32(genesisHash), contractId,
    owner: signer, auditor: dest, assets: [asset(0), asset(1), asset(U32_MAX)], fields: { balances: true, history: true }, expiresAtBlock: 1_234_567,
  };
  const viewPermitMsg = permitMessage(viewPermit);
  const signedPermit: SignedPermit = { permit: viewPermit, signature: signAsAccount(account, viewPermitMsg) };

  const sessionId = sessionIdOf(sessionPub);
  const sessionShared = await (await backend.prepare(sessionSecret))(contract.publicKey);
  const sessionSalt = new Uint8Array(32).fill(0x5a);
  const sessionKey = sessionKeyOf(sessionShared, contract.publicKey, sessionPub, sessionSalt);

  // ---- structures
  const native: AssetInfo = { id: asset(0), symbol: 'PHA', name: 'Phala', decimals: 12, issuer: null };
  const issued: AssetInfo = { id: asset(1), symbol: 'DARK', name: 'Dark Token', decimals: 12, issuer: signer };
  const history: HistoryEntry[] = [
    {
      block: 12, index: 0, kind: 'Transfer', direction: 'Out', asset: asset(7), counterparty: dest, amount: amt(PHA),
      outcome: { ok: true, receiptSeq: null }, ref: hash32(fixed('ref/transfer')),
    },
    {
      block: 13, index: 2, kind: 'Withdraw', direction: 'Out', asset: asset(0), counterparty: dest, amount: amt(25n * PHA / 10n),
      outcome: { ok: true, receiptSeq: 42n }, ref: hash32(fixed('ref/withdraw')),
    },
    {
      block: U32_MAX, index: U32_MAX, kind: 'Invalid', direction: 'Self', asset: asset(0), counterparty: null, amount: amt(0n),
      outcome: { ok: false, error: 'InvalidCommand' }, ref: hash32(fixed('ref/invalid')),
    },
    {
      block: 14, index: 1, kind: 'RevokePermit', direction: 'Self', asset: asset(0), counterparty: null, amount: amt(0n),
      outcome: { ok: true, receiptSeq: null }, ref: hash32(fixed('ref/revoke-permit')),
    },
  ];
  const queries: Query[] = [
    { kind: 'Balances' }, signedQuery, { kind: 'Receipt', seq: 42n }, { kind: 'AssetInfo', asset: asset(1) }, { kind: 'Assets' },
    { kind: 'AuditBalances', permit: signedPermit }, { kind: 'AuditHistory', permit: signedPermit, from: 100, limit: 50 },
  ];
  const requests: QueryRequest[] = [{ kind: 'Public', query: { kind: 'AssetInfo', asset: asset(1) } }, signedRequest, openSessionRequest];
  const balances: QueryResponse = { kind: 'Balances', balances: [{ asset: asset(0), amount: amt(3n * PHA) }, { asset: asset(1), amount: amt(U128_MAX) }] };
  const responses: QueryResponse[] = [
    balances,
    { kind: 'History', total: 3, entries: history.slice(0, 2) },
    { kind: 'Receipt', receipt, signature: receiptSignature },
    { kind: 'AssetInfo', info: native },
    { kind: 'Assets', assets: [native, issued] },
    { kind: 'Session', sessionId, salt: sessionSalt, expiresAt },
    { kind: 'Error', code: 'Replay' },
  ];
  const structures = [
    ...history.map((value, i) => ({ type: 'HistoryEntry', name: `history-${i}`, value, scale: encodeHistoryEntry(value) })),
    ...[native, issued].map((value) => ({ type: 'AssetInfo', name: `asset-${value.symbol}`, value, scale: encodeAssetInfo(value) })),
    { type: 'WithdrawReceipt', name: 'receipt', value: receipt, scale: encodeReceipt(receipt) },
    { type: 'AttestationReport', name: 'dev-attestation', value: report, scale: encodeAttestation(report) },
    { type: 'AttestationReport', name: 'tdx-attestation', value: hardwareReport, scale: encodeAttestation(hardwareReport) },
    { type: 'SignedPermit', name: 'view-permit', value: signedPermit, scale: encodeSignedPermit(signedPermit) },
    ...queries.map((value) => ({ type: 'Query', name: value.kind, value, scale: encodeQuery(value) })),
    ...requests.map((value) => ({ type: 'QueryRequest', name: value.kind, value, scale: encodeQueryRequest(value) })),
    ...responses.map((value) => ({ type: 'QueryResponse', name: value.kind, value, scale: encodeQueryResponse(value) })),
  ];

  // ---- the ref of a deposit (no payload to hash: it names the transferToTee event from public facts)
  const deposits = [
    { name: 'deposit', blockHash: hash32(fixed('deposit-block-hash')), index: 3, who: signer, amount: amt(123n * PHA) },
    { name: 'deposit-max', blockHash: hash32(fixed('deposit-block-hash-max')), index: U32_MAX, who: dest, amount: amt(U128_MAX) },
  ].map((d) => ({ ...d, preimage: depositRefPreimage(d.blockHash, d.index, d.who, d.amount), ref: depositRef(d.blockHash, d.index, d.who, d.amount) }));

  // ---- a signed one-shot query in a query envelope, and the reply under its reply key
  const queryEnvelope = await envelope('query', 'query/signed', queryAad(genesisHash, contractId), encodeQueryRequest(signedRequest));
  const replyBody = encodeQueryResponse(balances);
  const replyNonce = fixed('nonce/reply', 24);
  const reply = new Uint8Array(24 + replyBody.length + 16);
  reply.set(replyNonce);
  reply.set(xchacha20poly1305(queryEnvelope.replyKey, replyNonce, new TextEncoder().encode('dark-wallet/v1/reply')).encrypt(replyBody), 24);

  // ---- a session: opened in a query envelope, then one request frame and its reply frame
  const openEnvelope = await envelope('query', 'query/open-session', queryAad(genesisHash, contractId), encodeQueryRequest(openSessionRequest));
  const frameRequest = encodeQuery({ kind: 'Balances' });
  const frameReply = encodeQueryResponse(balances);

  return toJson({
    about: 'Dark Wallet wire-protocol test vectors (DESIGN.md §3). Generated by test/vectors/generate.ts; checked by '
      + 'test/unit/protocol/vectors.test.ts. Hex is 0x-prefixed; u64/u128 are decimal strings. Every secret here is public.',
    inputs: {
      contractSecret, contractPub: contract.publicKey, genesisHash, contractId, signer, accountSeed, dest,
      identitySeed, identityPub: identity.publicKey, authoritySeed, authorityPub: authority.publicKey,
      sessionSecret, sessionPub, issuedAt, expiresAt,
    },
    commands: commandVectors,
    relayed: relayVectors,
    structures,
    deposits,
    signatures: {
      signedQuery: { query: signedQuery, message: signedQueryMsg, signature: signedQuerySig },
      openSession: { message: openSessionMsg, signature: openSessionSig },
      viewPermit: { permit: viewPermit, message: viewPermitMsg, signature: signedPermit.signature, file: permitToFile(signedPermit) },
      receipt: { receipt, message: receiptMsg, signature: receiptSignature },
      attestation: { body: attestationBody, message: attestationMessage(genesisHash, attestationBody), signature: report.signature, report: encodeAttestation(report) },
      workerReportData: workerReportData(genesisHash, contractId, identity.publicKey, contract.publicKey),
    },
    query: {
      request: signedRequest, ...queryEnvelope,
      response: balances, responseScale: replyBody, replyNonce, reply,
    },
    session: {
      request: openSessionRequest, ...openEnvelope,
      sessionId, sessionSalt, sessionSharedSecret: sessionShared, sessionKey,
      frames: [
        { direction: 'request', counter: 1n, body: frameRequest, frame: sealFrame(sessionKey, sessionId, 1n, 'request', frameRequest) },
        { direction: 'reply', counter: 1n, body: frameReply, frame: sealFrame(sessionKey, sessionId, 1n, 'reply', frameReply) },
      ],
    },
  });
}
