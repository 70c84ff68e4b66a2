/**
 * Signing exactly as the polkadot-js extension does it, so `api.tx.x.signAndSend(addr, { signer })`
 * and `signatureVerify` work unchanged: raw data is wrapped in `<Bytes>…</Bytes>` (a raw signature can
 * never be a valid transaction), payload signatures carry the key-type prefix.
 */
import type {} from '@polkadot/types-augment';
import type { MetadataDef } from '@polkadot/extension-inject/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import { Metadata, TypeRegistry } from '@polkadot/types';
import type { Registry, SignerPayloadJSON, SignerPayloadRaw } from '@polkadot/types/types';
import { hexToBn, hexToNumber, hexToU8a, isHex, isUtf8, u8aToHex, u8aToString, u8aToU8a, u8aWrapBytes } from '@polkadot/util';
import { base64Decode } from '@polkadot/util-crypto';
import { isAccountDomainData } from '../../../shared/protocol/domain';
import { WalletError } from '../../messages/errors';
import { displayUnits } from '../../../shared/units';
import type { SignPayloadView } from '../../messages/types';

/**
 * Refuses raw data in Dark Wallet's account domain (query permits, shared/protocol/domain.ts). A
 * `<Bytes>`-wrapped signature can never be a permit anyway; refusing keeps a site from even asking.
 */
export function assertSignableRaw(data: string): void {
  if (isAccountDomainData(u8aToU8a(data))) {
    throw new WalletError('InvalidInput', 'Dark Wallet never signs raw data in its own query-permit format. Sites cannot ask for it.');
  }
}

export function signRaw(pair: KeyringPair, { data }: SignerPayloadRaw): `0x${string}` {
  assertSignableRaw(data);
  return u8aToHex(pair.sign(u8aWrapBytes(data)));
}

/** polkadot-js's `metadataExpand`: a registry that knows the chain's types, properties and calls. */
export function metadataRegistry(def: MetadataDef): TypeRegistry {
  const registry = new TypeRegistry();
  registry.register(def.types);
  registry.setChainProperties(registry.createType('ChainProperties', {
    ss58Format: def.ss58Format, tokenDecimals: def.tokenDecimals, tokenSymbol: def.tokenSymbol,
  }));
  const raw = def.rawMetadata ?? (def.metaCalls ? base64Decode(def.metaCalls) : null);
  if (raw) registry.setMetadata(new Metadata(registry, raw), undefined, def.userExtensions);
  return registry;
}

/** The registry polkadot-js signs with: the chain's metadata when known, else a bare one; then the payload's extensions. */
export function signingRegistry(payload: SignerPayloadJSON, def: MetadataDef | undefined): TypeRegistry {
  const registry = def ? metadataRegistry(def) : new TypeRegistry();
  registry.setSignedExtensions(payload.signedExtensions, def?.userExtensions);
  return registry;
}

export function signPayload(pair: KeyringPair, payload: SignerPayloadJSON, def: MetadataDef | undefined): `0x${string}` {
  const registry = signingRegistry(payload, def);
  return registry.createType('ExtrinsicPayload', payload, { version: payload.version }).sign(pair).signature;
}

/**
 * The transaction `signature` signs, encoded for submission: what a site that asked
 * `withSignedTransaction` submits when the wallet signed another payload than it sent. `registry`
 * is the chain's (it decodes the call and knows the signed extensions).
 */
export function signedTransaction(registry: Registry, payload: SignerPayloadJSON, signature: `0x${string}`): `0x${string}` {
  const extrinsic = registry.createType('Extrinsic', { method: payload.method }, { version: payload.version });
  return extrinsic.addSignature(payload.address, signature, payload).toHex();
}

/** Text people can read when the bytes are UTF-8 without control characters; null otherwise. */
export function readableText(data: string): string | null {
  const bytes = isHex(data) ? hexToU8a(data) : new TextEncoder().encode(data);
  if (!isUtf8(bytes)) return null;
  const text = u8aToString(bytes);
  return /[\u0000-\u0008\u000b-\u001f\u007f]/.test(text) ? null : text;
}

/** An amount in the chain's units: "1.2345 PHA". */
export const inChainUnits = (registry: Registry, value: bigint): string =>
  `${displayUnits(value, registry.chainDecimals[0] ?? 0)} ${registry.chainTokens[0] ?? 'units'}`;

type PayloadFacts = Pick<SignPayloadView, 'genesisHash' | 'specVersion' | 'nonce' | 'tip' | 'lifetime' | 'callHex'>;

/** What the approval view shows beside the decoded call; `registry` (the chain's) formats the tip. */
export function describePayload(payload: SignerPayloadJSON, registry: Registry): PayloadFacts {
  const era = new TypeRegistry().createType('ExtrinsicEra', payload.era);
  const block = hexToNumber(payload.blockNumber);
  const lifetime = era.isMortalEra
    ? `valid from block #${era.asMortalEra.birth(block).toLocaleString('en-US')} to #${era.asMortalEra.death(block).toLocaleString('en-US')}`
    : 'valid forever (immortal)';
  return {
    genesisHash: payload.genesisHash,
    specVersion: hexToNumber(payload.specVersion),
    nonce: hexToBn(payload.nonce).toString(),
    tip: inChainUnits(registry, BigInt(hexToBn(payload.tip).toString())),
    lifetime,
    callHex: payload.method,
  };
}
