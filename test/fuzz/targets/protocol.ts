/** Fuzz targets for everything that decodes bytes from outside: envelopes, frames and every codec. */
import { ProtocolError } from '../../../shared/errors';
import { contractKeyFromSecret, openCommand, openEnvelope, queryAad, sealCommand, sealEnvelope, type CommandBinding } from '../../../shared/crypto/envelope';
import { openFrame, sealFrame } from '../../../shared/crypto/session';
import { randomSecret } from '../../../shared/crypto/x25519';
import { DEV_MEASUREMENT, decodeAttestation, encodeAttestation } from '../../../shared/protocol/attestation';
import { COMMAND_BUCKET, decodeCommand, encodeCommand, padCommand, unpadCommand, type SecretCommand } from '../../../shared/protocol/command';
import { decodeAssetInfo, decodeHistoryEntry, decodeReceipt, encodeAssetInfo, encodeHistoryEntry, encodeReceipt } from '../../../shared/protocol/ledger';
import {
  decodeQueryRequest, decodeQueryResponse, encodeQueryRequest, encodeQueryResponse, type QueryRequest, type QueryResponse,
} from '../../../shared/protocol/query';
import { permitId, type SignedPermit } from '../../../shared/protocol/permit';
import { accountId, amount, assetId, contractId, hash32, U128_MAX, type AccountId } from '../../../shared/types';
import type { FuzzTarget } from '../engine';

const acct = (b: number): AccountId => accountId(new Uint8Array(32).fill(b));
const onlyProtocolErrors = (e: unknown) => e instanceof ProtocolError;

export const sampleCommands: SecretCommand[] = [
  { kind: 'Transfer', asset: assetId(0), dest: acct(2), amount: amount(5n) },
  { kind: 'Transfer', asset: assetId(0xffff_ffff), dest: acct(3), amount: amount(U128_MAX) },
  { kind: 'Withdraw', dest: acct(4), amount: amount(1n) },
  { kind: 'Issue', symbol: 'GOLD', name: 'Gold ✦ token', decimals: 12, supply: amount(10n ** 30n) },
  { kind: 'Mint', asset: assetId(1), amount: amount(7n) },
  { kind: 'Burn', asset: assetId(1), amount: amount(7n) },
  { kind: 'RevokePermit', permit: permitId(new Uint8Array(16).fill(6)) },
];

const samplePermit: SignedPermit = {
  permit: {
    id: permitId(new Uint8Array(16).fill(4)), name: 'Tax ✦ 2026', genesisHash: hash32(new Uint8Array(32).fill(2)), contractId: contractId(1),
    owner: acct(1), auditor: acct(2), assets: [assetId(0), assetId(9)], fields: { balances: true, history: true }, expiresAtBlock: 77,
  },
  signature: { scheme: 'Sr25519', bytes: new Uint8Array(64).fill(7) },
};

const sampleRequests: QueryRequest[] = [
  { kind: 'Public', query: { kind: 'Assets' } },
  { kind: 'Signed', account: acct(1), issuedAt: 1_700_000_000_000n, query: { kind: 'History', from: 3, limit: 50 }, signature: { scheme: 'Sr25519', bytes: new Uint8Array(64).fill(9) } },
  { kind: 'OpenSession', account: acct(1), sessionPub: new Uint8Array(32).fill(5), expiresAt: 99n, signature: { scheme: 'Ed25519', bytes: new Uint8Array(64).fill(8) } },
  { kind: 'Signed', account: acct(2), issuedAt: 5n, query: { kind: 'AuditHistory', permit: samplePermit, from: 0, limit: 100 }, signature: { scheme: 'Ed25519', bytes: new Uint8Array(64).fill(1) } },
];

const entry = {
  block: 7, index: 1, kind: 'Transfer' as const, direction: 'Out' as const, asset: assetId(0), counterparty: acct(2),
  amount: amount(5n), outcome: { ok: false as const, error: 'InsufficientBalance' as const }, ref: hash32(new Uint8Array(32).fill(1)),
};
const info = { id: assetId(1), symbol: 'GOLD', name: 'Gold', decimals: 12, issuer: acct(1) };
const receipt = { contractId: contractId(1), seq: 3n, dest: acct(2), amount: amount(10n) };
const sampleResponses: QueryResponse[] = [
  { kind: 'Balances', balances: [{ asset: assetId(0), amount: amount(1n) }, { asset: assetId(1), amount: amount(U128_MAX) }] },
  { kind: 'History', total: 1, entries: [entry] },
  { kind: 'Receipt', receipt, signature: new Uint8Array(64).fill(3) },
  { kind: 'Assets', assets: [info] },
  { kind: 'Session', sessionId: new Uint8Array(16).fill(1), salt: new Uint8Array(32).fill(2), expiresAt: 5n },
  { kind: 'Error', code: 'Replay' },
];

/** A decoder must either decode or throw ProtocolError; whatever it decodes must re-encode. */
function codecTarget<T>(name: string, seeds: Uint8Array[], decode: (b: Uint8Array) => T, encode: (v: T) => Uint8Array): FuzzTarget {
  return {
    name, seeds, accepts: onlyProtocolErrors,
    run(input) {
      const v = decode(input);
      const again = encode(v);
      if (Buffer.compare(Buffer.from(again), Buffer.from(input)) !== 0) throw new Error('decoded value re-encodes differently (non-canonical accept)');
    },
  };
}

export async function protocolTargets(): Promise<FuzzTarget[]> {
  const key = await contractKeyFromSecret(randomSecret());
  const binding: CommandBinding = { genesisHash: new Uint8Array(32).fill(0xaa), contractId: contractId(1), signer: acct(1) };
  const envelopes = await Promise.all(sampleCommands.map((c) => sealCommand(key.publicKey, binding, c)));
  const qaad = queryAad(binding.genesisHash, binding.contractId);
  const queryEnvelopes = await Promise.all(sampleRequests.map(async (r) => (await sealEnvelope('query', key.publicKey, qaad, encodeQueryRequest(r))).envelope));
  const sessionKey = randomSecret();
  const frames = sampleResponses.map((r, i) => sealFrame(sessionKey, new Uint8Array(16).fill(1), BigInt(i + 1), 'request', encodeQueryResponse(r)));
  const report = {
    provider: 'Dev' as const, contractId: contractId(1), measurement: DEV_MEASUREMENT, identityPub: new Uint8Array(32).fill(1),
    ecdhPub: key.publicKey, issuedAt: 1n, signature: new Uint8Array(64).fill(2),
  };

  return [
    {
      name: 'command-envelope', seeds: envelopes, accepts: onlyProtocolErrors,
      // A mutated envelope must never open: any success on a changed input would be a forgery.
      async run(input) {
        const opened = await openCommand(key, binding, input);
        if (!envelopes.some((e) => Buffer.compare(Buffer.from(e), Buffer.from(input)) === 0)) {
          throw new Error(`a modified envelope opened (${opened.kind})`);
        }
      },
    },
    {
      name: 'query-envelope', seeds: queryEnvelopes, accepts: onlyProtocolErrors,
      async run(input) {
        const { plaintext } = await openEnvelope('query', key, qaad, input);
        decodeQueryRequest(plaintext);
      },
    },
    {
      name: 'session-frame', seeds: frames, accepts: onlyProtocolErrors,
      run(input) {
        decodeQueryResponse(openFrame(sessionKey, input, 'request'));
      },
    },
    codecTarget('command-bucket', sampleCommands.map(padCommand), unpadCommand, (c) => {
      const padded = padCommand(c);
      if (padded.length !== COMMAND_BUCKET) throw new Error('bucket size changed');
      return padded;
    }),
    codecTarget('command', sampleCommands.map(encodeCommand), decodeCommand, encodeCommand),
    codecTarget('query-request', sampleRequests.map(encodeQueryRequest), decodeQueryRequest, encodeQueryRequest),
    codecTarget('query-response', sampleResponses.map(encodeQueryResponse), decodeQueryResponse, encodeQueryResponse),
    codecTarget('history-entry', [encodeHistoryEntry(entry), encodeHistoryEntry({ ...entry, counterparty: null, outcome: { ok: true, receiptSeq: 4n } })], decodeHistoryEntry, encodeHistoryEntry),
    codecTarget('asset-info', [encodeAssetInfo(info), encodeAssetInfo({ ...info, issuer: null })], decodeAssetInfo, encodeAssetInfo),
    codecTarget('receipt', [encodeReceipt(receipt)], decodeReceipt, encodeReceipt),
    codecTarget('attestation', [encodeAttestation(report)], decodeAttestation, encodeAttestation),
  ];
}
