/**
 * The `ref` a history entry carries. For commands the SDK returns it (blake2-256 of the envelope). A
 * deposit has no payload: its ref names the `transferToTee` event from public facts anyone can
 * recompute — blake2-256("dark-wallet/v1/deposit" | blockHash | extrinsic index u32 | who | amount) —
 * so a dApp gets it the moment the deposit is included, as it does for commands.
 */
import { blake2b } from '@noble/hashes/blake2.js';
import { writeAccount, writeAmount, writeHash } from '../../../shared/protocol/primitives';
import { encodeWith } from '../../../shared/protocol/scale';
import { toHex, type AccountId, type Amount, type Hash } from '../../../shared/types';

const DEPOSIT_DOMAIN = new TextEncoder().encode('dark-wallet/v1/deposit');

export function depositRef(blockHash: string, index: number, who: AccountId, amount: Amount): string {
  const bytes = encodeWith(null, (w) => {
    w.fixed(DEPOSIT_DOMAIN, DEPOSIT_DOMAIN.length);
    writeHash(w, blockHash.toLowerCase() as Hash);
    w.u32(index);
    writeAccount(w, who);
    writeAmount(w, amount);
  }, 128);
  return toHex(blake2b(bytes, { dkLen: 32 }));
}
