/**
 * SecretCommand: what a user asks the confidential asset contract to do. Encoded with SCALE and padded
 * to one fixed 256-byte bucket, the smallest power of two that holds the largest relayed command
 * (shared/protocol/relay.ts), so every command kind, direct, relayed or dummy, yields the same
 * ciphertext size on chain.
 */
import { ProtocolError } from '../errors';
import type { AccountId, Amount, AssetId } from '../types';
import { readAccount, readAmount, readAsset, variants, writeAccount, writeAmount, writeAsset } from './primitives';
import { readPermitId, writePermitId, type PermitId } from './permit';
import { MAX_DECIMALS, MAX_NAME_BYTES, MAX_SYMBOL_BYTES } from './rules';
import { ScaleReader, ScaleWriter, decodeExact } from './scale';

export const COMMAND_BUCKET = 256;

export type SecretCommand =
  | { kind: 'Transfer'; asset: AssetId; dest: AccountId; amount: Amount }
  | { kind: 'Withdraw'; dest: AccountId; amount: Amount }
  | { kind: 'Issue'; symbol: string; name: string; decimals: number; supply: Amount }
  | { kind: 'Mint'; asset: AssetId; amount: Amount }
  | { kind: 'Burn'; asset: AssetId; amount: Amount }
  /** The sender's view permit `permit` reads nothing from the block after this one (shared/protocol/permit.ts). */
  | { kind: 'RevokePermit'; permit: PermitId };

export type CommandKind = SecretCommand['kind'];
export const CommandKinds = variants(['Transfer', 'Withdraw', 'Issue', 'Mint', 'Burn', 'RevokePermit'] as const);

export function writeCommand(w: ScaleWriter, c: SecretCommand): void {
  w.u8(CommandKinds.tagOf(c.kind));
  switch (c.kind) {
    case 'Transfer':
      writeAsset(w, c.asset);
      writeAccount(w, c.dest);
      writeAmount(w, c.amount);
      return;
    case 'Withdraw':
      writeAccount(w, c.dest);
      writeAmount(w, c.amount);
      return;
    case 'Issue':
      if (c.symbol.length === 0 || c.name.length === 0) throw new ProtocolError('OutOfRange', 'A token needs a symbol and a name.');
      if (!Number.isInteger(c.decimals) || c.decimals < 0 || c.decimals > MAX_DECIMALS) throw new ProtocolError('OutOfRange', `Decimals must be 0 to ${MAX_DECIMALS}.`);
      w.str(c.symbol, MAX_SYMBOL_BYTES).str(c.name, MAX_NAME_BYTES).u8(c.decimals);
      writeAmount(w, c.supply);
      return;
    case 'Mint':
    case 'Burn':
      writeAsset(w, c.asset);
      writeAmount(w, c.amount);
      return;
    case 'RevokePermit':
      writePermitId(w, c.permit);
      return;
  }
}

export function readCommand(r: ScaleReader): SecretCommand {
  const kind = CommandKinds.read(r);
  switch (kind) {
    case 'Transfer':
      return { kind, asset: readAsset(r), dest: readAccount(r), amount: readAmount(r) };
    case 'Withdraw':
      return { kind, dest: readAccount(r), amount: readAmount(r) };
    case 'Issue': {
      const symbol = r.str(MAX_SYMBOL_BYTES);
      const name = r.str(MAX_NAME_BYTES);
      const decimals = r.u8();
      if (symbol.length === 0 || name.length === 0) throw new ProtocolError('OutOfRange', 'A token needs a symbol and a name.');
      if (decimals > MAX_DECIMALS) throw new ProtocolError('OutOfRange', `Decimals must be 0 to ${MAX_DECIMALS}.`);
      return { kind, symbol, name, decimals, supply: readAmount(r) };
    }
    case 'Mint':
    case 'Burn':
      return { kind, asset: readAsset(r), amount: readAmount(r) };
    case 'RevokePermit':
      return { kind, permit: readPermitId(r) };
  }
}

export const encodeCommand = (c: SecretCommand): Uint8Array => {
  const w = new ScaleWriter(COMMAND_BUCKET);
  writeCommand(w, c);
  return w.finish();
};
export const decodeCommand = (b: Uint8Array): SecretCommand => decodeExact(b, readCommand);

/** SCALE bytes followed by zeros up to the bucket size. */
export function padToBucket(enc: Uint8Array): Uint8Array {
  if (enc.length > COMMAND_BUCKET) throw new ProtocolError('FieldTooLong', 'Command does not fit the plaintext bucket.');
  const out = new Uint8Array(COMMAND_BUCKET);
  out.set(enc);
  return out;
}

/** Reads one value from a bucket whose every byte after it must be zero. */
export function readBucket<T>(bucket: Uint8Array, read: (r: ScaleReader) => T): T {
  if (bucket.length !== COMMAND_BUCKET) throw new ProtocolError('BadLength', 'Command plaintext has the wrong size.');
  const r = new ScaleReader(bucket);
  const value = read(r);
  for (let i = bucket.length - r.remaining; i < bucket.length; i++) {
    if (bucket[i] !== 0) throw new ProtocolError('BadPadding', 'Command padding is not zero.');
  }
  return value;
}

/** SCALE(command) followed by zeros up to the bucket size. */
export const padCommand = (c: SecretCommand): Uint8Array => padToBucket(encodeCommand(c));

export const unpadCommand = (bucket: Uint8Array): SecretCommand => readBucket(bucket, readCommand);
