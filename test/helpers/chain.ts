/** Small chain facts every test layer (integration, e2e, faults) reads the same way. */
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { merkleizeMetadata } from '@polkadot-api/merkleize-metadata';

export const PHA = 10n ** 12n;

/** Free balance at the head, or as of the end of block `at` (a block hash). */
export async function freeBalance(api: ApiPromise, who: string, at?: string): Promise<bigint> {
  const info = at ? await (await api.at(at)).query.system.account(who) : await api.query.system.account(who);
  return info.data.free.toBigInt();
}

/**
 * The RFC-78 metadata hash of the V15 metadata `api`'s chain serves, computed the way wallets do
 * (@polkadot-api/merkleize-metadata, independently of the node's own computation).
 */
export async function servedMetadataHash(api: ApiPromise): Promise<string> {
  const served = await api.call.metadata.metadataAtVersion(15);
  const { specName, specVersion } = api.runtimeVersion;
  return u8aToHex(merkleizeMetadata(served.unwrap().toU8a(true), {
    base58Prefix: api.consts.system.ss58Prefix.toNumber(),
    decimals: api.registry.chainDecimals[0],
    tokenSymbol: api.registry.chainTokens[0],
    specName: specName.toString(),
    specVersion: specVersion.toNumber(),
  }).digest());
}

/** CheckMetadataHash mode of the extrinsic `txHash` in block `blockHash` (null when it is not there). */
export async function includedMode(api: ApiPromise, blockHash: string, txHash: string): Promise<number | null> {
  const block = await api.rpc.chain.getBlock(blockHash);
  return block.block.extrinsics.find((x) => x.hash.toHex() === txHash)?.mode.toNumber() ?? null;
}
