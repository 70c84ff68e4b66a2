/**
 * How a dApp's `signPayload` is signed with respect to CheckMetadataHash (RFC-78), decided once for
 * the approval view and for the signature, so what the user saw is what is signed.
 *
 * As polkadot-js extension (Ledger generic app) and Talisman do: a site that accepts a signed
 * transaction back (`withSignedTransaction`) gets mode 1 and the chain's hash whenever the wallet can
 * compute it, and receives the transaction the wallet signed; a site that cannot take one back gets
 * its payload signed as sent (mode 0), since @polkadot/api refuses an unrequested `signedTransaction`.
 * A site that already chose mode 1 keeps it, unless its hash is not the chain's (the chain would
 * refuse the signature anyway: better a sentence now than a fee-less failure later).
 */
import type { SignerPayloadJSON } from '@polkadot/types/types';
import { hexToNumber } from '@polkadot/util';
import type { MetadataHashView } from '../../messages/types';
import type { ChainAccess } from '../chain/client';
import { METADATA_HASH_EXTENSION } from '../chain/metadata-hash';
import { invalid } from '../validate';

export async function metadataHashPlan(payload: SignerPayloadJSON, chain: Pick<ChainAccess, 'metadataHash'>): Promise<MetadataHashView> {
  if (!payload.signedExtensions.includes(METADATA_HASH_EXTENSION)) {
    return { mode: 0, reason: 'this chain does not check a metadata hash' };
  }
  const chainHash = () => chain.metadataHash(payload.genesisHash, hexToNumber(payload.specVersion));
  if (payload.mode === 1) {
    if (!payload.metadataHash) throw invalid('The transaction asks for a metadata hash check (mode 1) without a hash, so the chain would refuse it. Dark Wallet will not sign it.');
    const known = await chainHash();
    if (known && known !== payload.metadataHash) {
      throw invalid('The transaction commits to another metadata hash than the chain\'s, so the chain would refuse it. Ask the site to update its metadata.');
    }
    return { mode: 1, hash: payload.metadataHash, byWallet: false };
  }
  if (!payload.withSignedTransaction) return { mode: 0, reason: 'the site cannot take back a transaction with the hash added' };
  const known = await chainHash();
  if (!known) return { mode: 0, reason: 'Dark Wallet is not connected to this chain at this runtime version, so it cannot compute the hash' };
  return { mode: 1, hash: known, byWallet: true };
}

/** The payload as it is signed: with mode 1 and the hash when the wallet adds them. */
export function payloadToSign(payload: SignerPayloadJSON, plan: MetadataHashView): SignerPayloadJSON {
  return plan.mode === 1 && plan.byWallet ? { ...payload, mode: 1, metadataHash: plan.hash } : payload;
}
