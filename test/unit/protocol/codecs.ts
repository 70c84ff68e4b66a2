/** Every wire structure with its arbitrary, encoder and decoder, so each property runs over all of them. */
import { u8aConcat } from '@polkadot/util';
import fc from 'fast-check';
import { decodeCommand, encodeCommand, type SecretCommand } from '../../../shared/protocol/command';
import {
  decodeAssetInfo, decodeHistoryEntry, decodeReceipt, encodeAssetInfo, encodeHistoryEntry, encodeReceipt,
} from '../../../shared/protocol/ledger';
import {
  decodeQuery, decodeQueryRequest, decodeQueryResponse, encodeQuery, encodeQueryRequest, encodeQueryResponse,
} from '../../../shared/protocol/query';
import { decodeAttestation, encodeAttestation } from '../../../shared/protocol/attestation';
import {
  assetInfoArb, attestationArb, commandArbs, historyEntryArb, queryArbs, queryRequestArbs, queryResponseArbs, receiptArb,
} from './arbitraries';

export interface Codec {
  name: string;
  arb: fc.Arbitrary<unknown>;
  encode(v: unknown): Uint8Array;
  decode(b: Uint8Array): unknown;
}

function codec<T>(name: string, arb: fc.Arbitrary<T>, encode: (v: T) => Uint8Array, decode: (b: Uint8Array) => T): Codec {
  return { name, arb, encode: encode as (v: unknown) => Uint8Array, decode };
}

const perKind = <T>(
  type: string, arbs: Record<string, fc.Arbitrary<T>>, encode: (v: T) => Uint8Array, decode: (b: Uint8Array) => T,
): Codec[] => Object.entries(arbs).map(([kind, arb]) => codec(`${type}.${kind}`, arb, encode, decode));

export const CODECS: Codec[] = [
  ...perKind<SecretCommand>('SecretCommand', commandArbs, encodeCommand, decodeCommand),
  codec('HistoryEntry', historyEntryArb(), encodeHistoryEntry, decodeHistoryEntry),
  codec('AssetInfo', assetInfoArb(), encodeAssetInfo, decodeAssetInfo),
  codec('WithdrawReceipt', receiptArb(), encodeReceipt, decodeReceipt),
  codec('AttestationReport', attestationArb(), encodeAttestation, decodeAttestation),
  ...perKind('Query', queryArbs, encodeQuery, decodeQuery),
  ...perKind('QueryRequest', queryRequestArbs, encodeQueryRequest, decodeQueryRequest),
  ...perKind('QueryResponse', queryResponseArbs, encodeQueryResponse, decodeQueryResponse),
];

/** The decoders alone, for feeding hostile bytes. */
export const DECODERS: { name: string; decode(b: Uint8Array): unknown }[] = [
  { name: 'SecretCommand', decode: decodeCommand },
  { name: 'HistoryEntry', decode: decodeHistoryEntry },
  { name: 'AssetInfo', decode: decodeAssetInfo },
  { name: 'WithdrawReceipt', decode: decodeReceipt },
  { name: 'AttestationReport', decode: decodeAttestation },
  { name: 'Query', decode: decodeQuery },
  { name: 'QueryRequest', decode: decodeQueryRequest },
  { name: 'QueryResponse', decode: decodeQueryResponse },
];

export const concat = (...parts: Uint8Array[]): Uint8Array => u8aConcat(...parts);
