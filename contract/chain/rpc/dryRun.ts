/**
 * `system_dryRun`: applies a transaction on top of a block's state as the next block would, keeps
 * nothing, and answers SCALE `ApplyExtrinsicResult` = Result<Result<(), DispatchError>,
 * TransactionValidityError>, as a Substrate node's `BlockBuilder_apply_extrinsic` does.
 */
import { hexToU8a, u8aToHex } from '@polkadot/util';
import type { SealedBlock } from '../node/block';
import type { Chain } from '../node/chain';
import { Invalid, invalidTx, RPC_BAD_FORMAT, TxRejected, type DispatchErrorValue } from '../runtime/errors';
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
  let result: { Ok: { Ok: [] } | { Err: DispatchErrorValue } } | { Err: object };
  try {
    const tx = checkExtrinsic(chain.runtime.codec, chain, hexToU8a(extrinsic), number);
    if (tx.proof && !verifySignature(tx.proof())) throw invalidTx(Invalid.badSignature);
    const outcome = chain.runtime.newBlock(reader, env).applyWithOutcome(tx);
    if (outcome instanceof TxRejected) throw outcome;
    result = { Ok: outcome.dispatchError === null ? { Ok: [] } : { Err: outcome.dispatchError } };
  } catch (e) {
    if (!(e instanceof TxRejected)) throw e;
    result = { Err: validityError(e) };
  }
  return u8aToHex(chain.runtime.codec.registry.createType('ApplyExtrinsicResult', result).toU8a());
}
