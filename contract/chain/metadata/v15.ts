/**
 * V15 metadata beside V14, and the RFC-78 metadata hash computed from it. V15 is what
 * `Metadata_metadata_at_version(15)` serves (and what wallets merkleize); the hash is what a
 * signature with `CheckMetadataHash` mode 1 commits to, so a wallet that decoded the call with other
 * metadata than the chain's produces a signature the chain refuses.
 */
import { merkleizeMetadata } from '@polkadot-api/merkleize-metadata';
import type { TypeRegistry } from '@polkadot/types';
import { u8aConcat } from '@polkadot/util';
import { RUNTIME_VERSION, type ChainProperties } from '../config';
import type { MetadataV14Json, PalletJson, TypeTable, V15RootsJson } from './portable';

const METADATA_MAGIC = new Uint8Array([0x6d, 0x65, 0x74, 0x61]); // "meta"

/** SCALE `RuntimeMetadataPrefixed` of a V14 or V15 metadata body. */
export const prefixed = (version: 14 | 15, body: Uint8Array): Uint8Array => u8aConcat(METADATA_MAGIC, new Uint8Array([version]), body);

/**
 * The references V15 adds: the parts of `UncheckedExtrinsic<Address, Call, Signature, Extra>` and the
 * outer enums. Substrate's `RuntimeError` (one variant per pallet with errors, at the pallet's index)
 * has no counterpart in V14, so it is made here.
 */
export function v15Roots(table: TypeTable, extrinsicType: number, pallets: PalletJson[], runtime: string): V15RootsJson {
  const params = new Map(table.get(extrinsicType).params.map((p) => [p.name, p.type]));
  const param = (name: string): number => {
    const id = params.get(name);
    if (id == null) throw new Error(`UncheckedExtrinsic has no ${name} parameter.`);
    return id;
  };
  const errorType = table.def({
    variant: {
      variants: pallets.filter((p) => p.errors).map((p) => ({
        name: p.name, index: p.index, fields: [{ name: null, type: p.errors!.type, typeName: null, docs: [] }], docs: [],
      })),
    },
  }, [runtime, 'RuntimeError']);
  return {
    addressType: param('Address'),
    callType: param('Call'),
    signatureType: param('Signature'),
    extraType: param('Extra'),
    eventType: table.byPath(`${runtime}::RuntimeEvent`),
    errorType,
  };
}

/** The V15 encoding of pruned metadata (its `v15` roots set); no runtime APIs are declared. */
export function encodeV15(registry: TypeRegistry, json: MetadataV14Json): Uint8Array {
  const roots = json.v15;
  if (!roots) throw new Error('V15 needs the extrinsic and outer-enum type references.');
  const v15 = registry.createType('MetadataV15', {
    lookup: json.lookup,
    pallets: json.pallets.map((p) => ({ ...p, docs: [] })),
    extrinsic: {
      version: json.extrinsic.version,
      addressType: roots.addressType,
      callType: roots.callType,
      signatureType: roots.signatureType,
      extraType: roots.extraType,
      signedExtensions: json.extrinsic.signedExtensions,
    },
    type: json.type,
    apis: [],
    outerEnums: { callType: roots.callType, eventType: roots.eventType, errorType: roots.errorType },
    custom: { map: {} },
  });
  return prefixed(15, v15.toU8a());
}

/** RFC-78 digest of V15 metadata with this chain's token, ss58 prefix and runtime version. */
export function metadataDigest(v15: Uint8Array, properties: ChainProperties): Uint8Array {
  return merkleizeMetadata(v15, {
    base58Prefix: properties.ss58Format,
    decimals: properties.tokenDecimals,
    tokenSymbol: properties.tokenSymbol,
    specName: RUNTIME_VERSION.specName,
    specVersion: RUNTIME_VERSION.specVersion,
  }).digest();
}
