/**
 * Attested key handover (DESIGN.md §11): the wire form both the pallet and the enclaves know.
 *
 * A keyholder worker seals the contract seed (32 bytes, from which the contract's X25519 envelope key
 * and its sealing key both derive) to the recipient worker's attested X25519 handover key:
 *   sealedKeys = ephemeralPub 32 | nonce 24 | XChaCha20-Poly1305(seed 32 + tag 16)
 * key  = HKDF-SHA256(X25519(ephemeral, handoverPub), info = "dark-wallet/v1/handover" | handoverPub | ephemeralPub)
 * aad  = handoverAad(genesis, contractId, recipient identity)
 * and signs `handoverMessage` with its identity key, so the chain accepts handovers only from a
 * registered keyholder of the contract (nobody else can take the recipient's one slot).
 */
import { ProtocolError } from '../errors';
import type { ContractId } from '../types';
import { domainMessage } from './domain';
import { ScaleWriter } from './scale';

export const HANDOVER_SEED_BYTES = 32;
/** ephemeralPub | nonce | ciphertext of the seed | tag. */
export const HANDOVER_SEALED_BYTES = 32 + 24 + HANDOVER_SEED_BYTES + 16;

function check32(bytes: Uint8Array, what: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 32) throw new ProtocolError('BadLength', `${what} is 32 bytes.`);
}

/** What the sealed keys are bound to: this chain, this contract, this recipient worker. */
export function handoverAad(genesisHash: Uint8Array, contractId: ContractId, recipientIdentity: Uint8Array): Uint8Array {
  check32(genesisHash, 'A genesis hash');
  check32(recipientIdentity, 'A worker identity key');
  return new ScaleWriter(69).u8(1).fixed(genesisHash, 32).u32(contractId).fixed(recipientIdentity, 32).finish();
}

/** What the sending keyholder signs with its identity key: domain | genesis | contractId | recipient | sealedKeys. */
export function handoverMessage(genesisHash: Uint8Array, contractId: ContractId, recipientIdentity: Uint8Array, sealedKeys: Uint8Array): Uint8Array {
  check32(recipientIdentity, 'A worker identity key');
  const body = new ScaleWriter(36 + sealedKeys.length).u32(contractId).fixed(recipientIdentity, 32).fixed(sealedKeys, sealedKeys.length).finish();
  return domainMessage('handover', genesisHash, body);
}
