/**
 * The `ref` of a history entry. A command's is blake2-256 of its envelope (the pushCommand payload). A
 * deposit (`phalaModule.transferToTee`) carries no payload to hash, so its ref names the event from
 * public facts anyone can recompute:
 * blake2-256("dark-wallet/v1/deposit" | blockHash | extrinsic index u32 | who | amount u128).
 * The enclave records it; the extension hands it to a dApp the moment the deposit is included, as it
 * does a command's ref. Pinned by test/vectors/protocol.json.
 */
import { blake2b } from '@noble/hashes/blake2.js';
import { hash32, type AccountId, type Amount, type Hash } from '../types';
import { writeAccount, writeAmount, writeHash } from './primitives';
import { encodeWith } from './scale';

const DEPOSIT_DOMAIN = new TextEncoder().encode('dark-wallet/v1/deposit');

/** The bytes a deposit ref hashes (exported for the vectors). */
export const depositRefPreimage = (blockHash: Hash, index: number, who: AccountId, amount: Amount): Uint8Array =>
  encodeWith(null, (w) => {
    w.fixed(DEPOSIT_DOMAIN, DEPOSIT_DOMAIN.length);
    writeHash(w, blockHash);
    w.u32(index);
    writeAccount(w, who);
    writeAmount(w, amount);
  }, 128);

export const depositRef = (blockHash: Hash, index: number, who: AccountId, amount: Amount): Hash =>
  hash32(blake2b(depositRefPreimage(blockHash, index, who, amount), { dkLen: 32 }));

/** A command's ref: blake2-256 of its sealed envelope, as the enclave records it. */
export const commandRef = (envelope: Uint8Array): Hash => hash32(blake2b(envelope, { dkLen: 32 }));
