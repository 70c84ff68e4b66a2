/**
 * Stateless extrinsic checks: decoding and the signed extensions that do not read storage (spec and
 * transaction version, genesis, mortality, metadata hash — all committed to by the signed payload,
 * whose signature check this prepares). Nonce and fee depend on state and are checked by the runtime.
 */
import type { Extrinsic, Call } from '@polkadot/types/interfaces';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { compactFromU8a, hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { fromHex, type AccountId } from '../../../shared/types';
import { addressToAccount } from './address';
import { RUNTIME_VERSION } from '../config';
import type { RuntimeCodec } from './codec';
import { Invalid, invalidTx, RPC_BAD_FORMAT, TxRejected } from './errors';
import type { SignatureCheck } from './signature';

/** What the checks need to know about the chain the transaction is for. */
export interface ChainView {
  genesisHash: string;
  /** Hash of block `n`, when it exists. */
  blockHash(n: number): string | null;
}

export interface CheckedTx {
  bytes: Uint8Array;
  hash: string;
  call: Call;
  /** `null` for an unsigned transaction. */
  signer: AccountId | null;
  nonce: number;
  tip: bigint;
  /** First block number at which the transaction is no longer valid (mortal era), else Infinity. */
  death: number;
  /** The signature check to run before admitting it (built on demand: a replayed block skips it). */
  proof: (() => SignatureCheck) | null;
}

interface MultiSignatureCodec {
  type: string;
  value: { toU8a(): Uint8Array };
  encodedLength: number;
}

export function decodeExtrinsic(codec: RuntimeCodec, bytes: Uint8Array): Extrinsic {
  try {
    const ext = codec.registry.createType('Extrinsic', bytes);
    if (ext.version !== 4 && ext.version !== 0x84) throw new Error('version');
    if (ext.encodedLength !== bytes.length) throw new Error('trailing bytes');
    return ext;
  } catch {
    throw new TxRejected(RPC_BAD_FORMAT, 'Extrinsic has invalid format: could not decode it');
  }
}

/** Checks a transaction as it would be included in block `number`, all but its signature. */
export function checkExtrinsic(codec: RuntimeCodec, view: ChainView, bytes: Uint8Array, number: number): CheckedTx {
  const ext = decodeExtrinsic(codec, bytes);
  const base = { bytes, hash: u8aToHex(blake2AsU8a(bytes, 256)), call: ext.method as Call };
  if (!ext.isSigned) return { ...base, signer: null, nonce: 0, tip: 0n, death: Infinity, proof: null };

  const signer = addressToAccount(ext.signer);
  if (signer === null) throw invalidTx(Invalid.cannotLookup);
  if (/^0x0+$/.test(signer)) throw invalidTx(Invalid.zeroSender);
  const signerBytes = fromHex(signer);

  // CheckMortality: the payload commits to the hash of the era's birth block, which must exist.
  // As in Substrate, once the era has passed, birth(number) is a later block than the one signed
  // for, so an expired transaction fails as a bad signature.
  const era = ext.era;
  let checkpoint = view.genesisHash;
  let death = Infinity;
  if (era.isMortalEra) {
    const birth = era.asMortalEra.birth(number);
    death = era.asMortalEra.death(number);
    const known = birth < number ? view.blockHash(birth) : null;
    if (known === null) throw invalidTx(Invalid.ancientBirthBlock);
    checkpoint = known;
  }

  // CheckMetadataHash: mode 1 signs Some(the chain's RFC-78 hash), mode 0 None; frame's `Mode` enum
  // has no other variant, so another byte does not decode.
  const mode = ext.mode.toNumber();
  if (mode > 1) throw new TxRejected(RPC_BAD_FORMAT, 'Extrinsic has invalid format: CheckMetadataHash mode must be 0 or 1');

  const genesisHash = view.genesisHash;
  const proof = (): SignatureCheck => {
    const sig = (ext.inner.signature as unknown as { multiSignature: MultiSignatureCodec }).multiSignature;
    const metadataHash = mode === 1 ? u8aConcat([1], codec.metadataHash()) : new Uint8Array([0]);
    const data = signingPayload(codec, bytes, ext, sig, genesisHash, checkpoint, metadataHash);
    return { kind: sig.type, message: data.length > 256 ? blake2AsU8a(data, 256) : data, signature: sig.value.toU8a(), account: signerBytes };
  };
  return { ...base, signer, nonce: ext.nonce.toNumber(), tip: ext.tip.toBigInt(), death, proof };
}

/**
 * What the signer signed: call | extra | additional. The extra (era, nonce, tip, metadata-hash mode)
 * is taken as carried between the signature and the call; the additional data follows the
 * signed-extension order of metadata/build.ts: spec version, transaction version, genesis hash, era
 * checkpoint, `Option<metadata hash>`. Assembled from slices because building an ExtrinsicPayload
 * codec costs more than the verify.
 */
function signingPayload(
  codec: RuntimeCodec, bytes: Uint8Array, ext: Extrinsic, sig: MultiSignatureCodec, genesisHash: string, checkpoint: string, metadataHash: Uint8Array,
): Uint8Array {
  const [prefix] = compactFromU8a(bytes);
  const extraStart = prefix + 1 + ext.signer.encodedLength + sig.encodedLength;
  const callStart = bytes.length - ext.method.encodedLength;
  return u8aConcat(
    bytes.subarray(callStart),
    bytes.subarray(extraStart, callStart),
    codec.registry.createType('(u32, u32)', [RUNTIME_VERSION.specVersion, RUNTIME_VERSION.transactionVersion]).toU8a(),
    hexToU8a(genesisHash),
    hexToU8a(checkpoint),
    metadataHash,
  );
}
