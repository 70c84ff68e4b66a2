/**
 * Where a contract's public funds sit (DESIGN.md §4): one custody account per contract, derived the
 * way Substrate derives a pallet's sub-accounts (`PalletId::into_sub_account_truncating`):
 * SCALE(b"modl", palletId [u8; 8], contractId u32) = "modl" | palletId | contractId LE, zero-padded
 * to 32 bytes. Nobody holds a key for such an account; only the pallet moves its balance.
 */
import { accountIdFromBytes, type AccountId, type ContractId } from '../types';

/** `PhalaModule::PalletId`: eight bytes, as `frame_support::PalletId` requires. */
export const PHALA_PALLET_ID = new TextEncoder().encode('phala/cu');

const MODL = new TextEncoder().encode('modl');

export function custodyAccount(contract: ContractId): AccountId {
  const bytes = new Uint8Array(32);
  bytes.set(MODL);
  bytes.set(PHALA_PALLET_ID, MODL.length);
  new DataView(bytes.buffer).setUint32(MODL.length + PHALA_PALLET_ID.length, contract, true);
  return accountIdFromBytes(bytes);
}
