/**
 * The on-chain account of a key pair: the public key for sr25519 and ed25519, blake2-256 of the
 * compressed key for ecdsa (what Substrate's MultiSigner::Ecdsa becomes). The ledger, queries and
 * relayed commands name accounts by it, so an ecdsa account reads and relays like any other.
 */
import type { KeyringPair } from '@polkadot/keyring/types';
import { accountId, type AccountId } from '../types';

export const accountOf = (pair: Pick<KeyringPair, 'addressRaw'>): AccountId => accountId(pair.addressRaw);
