/**
 * The RFC-78 metadata hash of the chain the background is connected to, read from that chain: its V15
 * metadata (`Metadata_metadata_at_version(15)`), merkleized with its ss58 prefix, token and runtime
 * version. Signing with CheckMetadataHash mode 1 and this hash commits the signature to the metadata
 * the wallet decoded the call with: were it another, the chain refuses the signature.
 *
 * Lives in the background only: merkleize-metadata must stay out of the popup bundle.
 */
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { merkleizeMetadata } from '@polkadot-api/merkleize-metadata';
import { chainProperties } from '../../../shared/client/chain-properties';

export const METADATA_HASH_EXTENSION = 'CheckMetadataHash';

/** Signer options that make @polkadot/api sign with mode 1 and the hash (none when the chain has no hash). */
export type MetadataHashOptions = { mode: 1; metadataHash: `0x${string}` } | Record<string, never>;

/** One digest per (genesis, spec version): a runtime upgrade changes the metadata, so the hash too. */
const cache = new Map<string, Promise<`0x${string}` | null>>();

/** The chain's metadata hash; null when it does not check one (no CheckMetadataHash) or serves no V15. */
export function metadataHashOf(api: ApiPromise): Promise<`0x${string}` | null> {
  if (!api.registry.signedExtensions.includes(METADATA_HASH_EXTENSION)) return Promise.resolve(null);
  const key = `${api.genesisHash.toHex()}/${api.runtimeVersion.specVersion.toString()}`;
  let hash = cache.get(key);
  if (!hash) {
    hash = computeHash(api);
    cache.set(key, hash);
    hash.catch(() => cache.delete(key)); // a dropped connection: ask again next time
  }
  return hash;
}

async function computeHash(api: ApiPromise): Promise<`0x${string}` | null> {
  const served = await api.call.metadata.metadataAtVersion(15);
  if (served.isNone) return null;
  const { tokenSymbol, tokenDecimals, ss58Format } = chainProperties(api);
  const { specName, specVersion } = api.runtimeVersion;
  return u8aToHex(merkleizeMetadata(served.unwrap().toU8a(true), {
    base58Prefix: ss58Format,
    decimals: tokenDecimals,
    tokenSymbol,
    specName: specName.toString(),
    specVersion: specVersion.toNumber(),
  }).digest());
}

/** What the extension's own transactions sign with: mode 1 whenever the chain has a metadata hash. */
export async function metadataHashOptions(api: ApiPromise): Promise<MetadataHashOptions> {
  const metadataHash = await metadataHashOf(api);
  return metadataHash ? { mode: 1, metadataHash } : {};
}
