/**
 * `system_dryRun`: applies a transaction on top of a block's state as the next block would, keeps
 * nothing, and answers SCALE `ApplyExtrinsicResult` = Result<Result<(), DispatchError>,
 * TransactionValidityError>, as a Substrate node's `BlockBuilder_apply_extrinsic` does.
 */
import { hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import type { SealedBlock } from '../node/block';
import type { Chain } from '../node/chain';
import { Invalid, invalidTx, RPC_BAD_FORMAT, TxRejected } from '../runtime/errors';
import { checkExtrinsic } from '../runtime/extrinsic';
import { verifySignature } from '../runtime/signature';

/** Our refusal reasons as `TransactionValidityError` values (polkadot-js enum JSON). */
const VALIDITY: Record<string, object> = {
  [Invalid.badSignature]: { Invalid: { BadProof: null } },
  [Invalid.expired]: { Invalid: { BadProof: null } },
  [Invalid.stale]: { Invalid: { Stale: null } },
  [Invalid.future]: { Invalid: { Future: null } },
  [Invalid.payment]: { Invalid: { Payment: null } },
  [Invalid.ancientBirthBlock]: { Invalid: { AncientBirthBlock: null } },
  [Invalid.cannotLookup]: { Unknown: { CannotLookup: null } },
  [Invalid.call]: { Invalid: { Call: null } },
  [Invalid.zeroSender]: { Invalid: { BadSigner: null } },
};
/** A pallet's own refusal (`PhalaModule.ZeroAmount: …`) has no generic variant; Substrate's runtimes use Custom. */
const PALLET_REFUSAL = { Invalid: { Custom: 0 } };

function validityError(e: TxRejected): object {
  if (e.rpcCode === RPC_BAD_FORMAT) throw e; // undecodable: an RPC error, as in Substrate
  return VALIDITY[e.reason] ?? PALLET_REFUSAL;
}

export function dryRun(chain: Chain, at: SealedBlock, extrinsic: string): string {
  const number = at.number + 1;
  const reader = { get: (key: string) => chain.state.getAt(key, at.number) };
  const env = { number, genesisHash: hexToU8a(chain.genesisHash) };
  const { registry } = chain.runtime.codec;
  try {
    const tx = checkExtrinsic(chain.runtime.codec, chain, hexToU8a(extrinsic), number);
    if (tx.proof && !verifySignature(tx.proof())) throw invalidTx(Invalid.badSignature);
    const outcome = chain.runtime.newBlock(reader, env).applyWithOutcome(tx);
    if (outcome instanceof TxRejected) throw outcome;
    if (outcome.dispatchError === null) return u8aToHex(OK_OK);
    // The runtime's own DispatchError (its metadata type): @polkadot/types' built-in one is older.
    const dispatchError = registry.createType(registry.createLookupType(dispatchErrorType(chain)), outcome.dispatchError);
    return u8aToHex(u8aConcat(OK_ERR, dispatchError.toU8a()));
  } catch (e) {
    if (!(e instanceof TxRejected)) throw e;
    return u8aToHex(u8aConcat(ERR, registry.createType('TransactionValidityError', validityError(e)).toU8a()));
  }
}

/** Result tags of `Result<Result<(), DispatchError>, TransactionValidityError>`. */
const OK_OK = new Uint8Array([0, 0]);
const OK_ERR = new Uint8Array([0, 1]);
const ERR = new Uint8Array([1]);

function dispatchErrorType(chain: Chain): number {
  const found = chain.runtime.codec.registry.lookup.types.find((t) => t.type.path.join('::') === 'sp_runtime::DispatchError');
  if (!found) throw new Error('The metadata has no sp_runtime::DispatchError.');
  return found.id.toNumber();
}
