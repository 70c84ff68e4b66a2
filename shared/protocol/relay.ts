/**
 * What a command envelope's plaintext bucket holds (DESIGN.md §12). Three forms, one bucket size:
 *
 * - a **direct** command: SCALE(SecretCommand), tags from 0 up, applied as the extrinsic's signer;
 * - a **relayed** command (tag 0xf0): sealed by a user, submitted by a relayer from the relayer's own
 *   account, applied as the user once the user's signature over `relayMessage` verifies;
 * - a **dummy** (tag 0xf1, then zeros): padding a relayer adds so every batch has one size; the
 *   enclave discards it without a trace.
 *
 * The form tags sit far above the SecretCommand tags so that commands can keep appending variants.
 * Every form is padded to COMMAND_BUCKET and sealed the same way, so no ciphertext tells them apart.
 *
 * Largest relayed command: 1 tag + 32 user + 8 nonce + 16 fee + 1 scheme + 65 (ecdsa) signature
 * + 64 (Issue with a 12-byte symbol and 32-byte name) = 187 bytes ≤ 256.
 */
import { ProtocolError } from '../errors';
import type { AccountId, Amount, ContractId } from '../types';
import { readCommand, readBucket, padToBucket, writeCommand, type SecretCommand } from './command';
import { accountMessage } from './domain';
import { readAccount, readAmount, writeAccount, writeAmount } from './primitives';
import { readSignature, writeSignature, type AccountSignature } from './signature';
import { ScaleReader, ScaleWriter, encodeWith } from './scale';

export const RELAYED_TAG = 0xf0;
export const DUMMY_TAG = 0xf1;

/** What the user signs and the relayer cannot read or change. */
export interface RelayedCommand {
  user: AccountId;
  /** The user's next relay nonce in the ledger: each nonce is used once, in order. */
  nonce: bigint;
  /** Secret PHA (asset 0) the ledger pays the relayer, even when it refuses the command. */
  fee: Amount;
  command: SecretCommand;
  signature: AccountSignature;
}

export type EnvelopeBody =
  | { kind: 'Direct'; command: SecretCommand }
  | { kind: 'Relayed'; relayed: RelayedCommand }
  | { kind: 'Dummy' };

export function writeBody(w: ScaleWriter, b: EnvelopeBody): void {
  switch (b.kind) {
    case 'Direct':
      writeCommand(w, b.command);
      return;
    case 'Relayed': {
      const x = b.relayed;
      w.u8(RELAYED_TAG);
      writeAccount(w, x.user);
      w.u64(x.nonce);
      writeAmount(w, x.fee);
      writeSignature(w, x.signature);
      writeCommand(w, x.command);
      return;
    }
    case 'Dummy':
      w.u8(DUMMY_TAG);
      return;
  }
}

export function readBody(r: ScaleReader): EnvelopeBody {
  const tag = r.peekU8();
  if (tag === DUMMY_TAG) {
    r.u8();
    return { kind: 'Dummy' };
  }
  if (tag !== RELAYED_TAG) return { kind: 'Direct', command: readCommand(r) };
  r.u8();
  const user = readAccount(r);
  const nonce = r.u64();
  const fee = readAmount(r);
  const signature = readSignature(r);
  return { kind: 'Relayed', relayed: { user, nonce, fee, signature, command: readCommand(r) } };
}

export const padBody = (b: EnvelopeBody): Uint8Array => padToBucket(encodeWith(b, writeBody, 256));
export const unpadBody = (bucket: Uint8Array): EnvelopeBody => readBucket(bucket, readBody);

/** The chain, contract and relayer a relayed command is signed for. */
export interface RelayTarget {
  genesisHash: Uint8Array;
  contractId: ContractId;
  /** The account that submits the envelope: the ledger pays the fee to it, and only to it. */
  relayer: AccountId;
}

/**
 * Signed by the user: account domain | genesis | contractId u32 | relayer | nonce u64 | fee u128 |
 * SCALE(command). Binding the relayer means another relayer cannot submit it and take the fee.
 */
export function relayMessage(t: RelayTarget, nonce: bigint, fee: Amount, command: SecretCommand): Uint8Array {
  if (typeof nonce !== 'bigint') throw new ProtocolError('OutOfRange', 'A relay nonce is a u64.');
  return accountMessage('relay', t.genesisHash, encodeWith(null, (w) => {
    w.u32(t.contractId);
    writeAccount(w, t.relayer);
    w.u64(nonce);
    writeAmount(w, fee);
    writeCommand(w, command);
  }, 128));
}
