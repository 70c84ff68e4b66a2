/**
 * The user's side of a relayed command (DESIGN.md §12): sign (relayer, nonce, fee, command) with the
 * account key, then seal it bound to the relayer's account, the extrinsic signer that will push it.
 * The relayer sees only a ciphertext of the one envelope size: it can neither read nor change the
 * command, the fee or the user, and no other relayer can submit it.
 */
import type { KeyringPair } from '@polkadot/keyring/types';
import { signAsAccount } from '../crypto/account-signature';
import { sealBody } from '../crypto/envelope';
import type { SecretCommand } from '../protocol/command';
import { relayMessage, type RelayTarget } from '../protocol/relay';
import type { Amount } from '../types';
import { accountOf } from './account';

export interface RelayedSeal extends RelayTarget {
  contractPub: Uint8Array;
}

export function sealRelayed(pair: KeyringPair, to: RelayedSeal, nonce: bigint, fee: Amount, command: SecretCommand): Promise<Uint8Array> {
  const signature = signAsAccount(pair, relayMessage(to, nonce, fee, command));
  return sealBody(to.contractPub, { genesisHash: to.genesisHash, contractId: to.contractId, signer: to.relayer }, {
    kind: 'Relayed', relayed: { user: accountOf(pair), nonce, fee, command, signature },
  });
}

/** Padding for a relayer's fixed-size batch: the enclave discards it, and nothing tells it from a command. */
export const sealDummy = (to: RelayedSeal): Promise<Uint8Array> =>
  sealBody(to.contractPub, { genesisHash: to.genesisHash, contractId: to.contractId, signer: to.relayer }, { kind: 'Dummy' });
