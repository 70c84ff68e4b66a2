/**
 * A block body, checked against the header's `extrinsicsRoot` and decoded by the pinned metadata:
 * each extrinsic's signer (if signed) and call. The signatures are not checked again: a finalized
 * block is one the chain's runtime executed, and it included no extrinsic whose signature failed.
 */
import { equalBytes } from '@noble/curves/utils.js';
import { orderedTrieRoot } from '../../../shared/trie';
import { accountIdFromBytes, type AccountId } from '../../../shared/types';
import type { ScaleReader } from '../../../shared/protocol/scale';
import { refuse } from './errors';
import type { Header } from './header';
import type { RuntimeMetadata } from './metadata';
import { decodeOrRefuse } from './scale';
import { asBytes, asEnum, field, ShapeError, withShape, type Enum, type Value, type ValueDecoder } from './value';

export interface DecodedExtrinsic {
  index: number;
  /** The account that signed it; `null` for an unsigned (inherent or relayed) extrinsic. */
  signer: AccountId | null;
  pallet: string;
  call: string;
  args: ReadonlyMap<string, Value>;
}

const SIGNED = 0x80;
const EXTRINSIC_VERSION = 4;
const MAX_EXTRINSIC = 1 << 24;


/** Refuses a body whose ordered trie root is not the header's `extrinsicsRoot`. */
export function checkBody(header: Header, extrinsics: readonly Uint8Array[]): void {
  if (!equalBytes(orderedTrieRoot(extrinsics), header.extrinsicsRoot)) {
    throw refuse('ExtrinsicsRootMismatch', "The block body does not hash to the header's extrinsics root.");
  }
}

/** `MultiAddress::Id` is the only address this runtime resolves; any other could not have been included. */
function signerOf(address: Value): AccountId {
  const a = asEnum(address);
  if (a.variant !== 'Id') throw new ShapeError('not an Id address');
  return accountIdFromBytes(asBytes(field(a, '0'), 32));
}

function readExtrinsic(r: ScaleReader, metadata: RuntimeMetadata, values: ValueDecoder): Omit<DecodedExtrinsic, 'index'> {
  const inner = r.bytesVec(MAX_EXTRINSIC);
  return decodeOrRefuse('BadExtrinsic', 'An extrinsic', inner, (x) => {
    const version = x.u8();
    if ((version & ~SIGNED) !== EXTRINSIC_VERSION || metadata.extrinsic.version !== EXTRINSIC_VERSION) throw refuse('BadExtrinsic', 'An extrinsic has an unsupported version.');
    let signer: AccountId | null = null;
    if (version & SIGNED) {
      signer = signerOf(values.decode(x, metadata.extrinsic.address));
      values.decode(x, metadata.extrinsic.signature);
      values.decode(x, metadata.extrinsic.extra);
    }
    const pallet = asEnum(values.decode(x, metadata.extrinsic.call));
    const call: Enum = asEnum(field(pallet, '0'));
    return { signer, pallet: pallet.variant, call: call.variant, args: call.fields };
  });
}

/** Each extrinsic as the block holds it (SCALE `Vec<u8>`: compact length, then the extrinsic). */
export function decodeBody(extrinsics: readonly Uint8Array[], metadata: RuntimeMetadata, values: ValueDecoder): DecodedExtrinsic[] {
  return extrinsics.map((bytes, index) => withShape('BadExtrinsic', 'An extrinsic does not have the shape the pinned metadata gives it.', () =>
    ({ index, ...decodeOrRefuse('BadExtrinsic', 'An extrinsic', bytes, (r) => readExtrinsic(r, metadata, values)) })));
}
