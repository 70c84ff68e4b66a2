import { DarkWalletError } from '../errors';

/**
 * Why a read proof does not prove anything:
 * - `missing-node`: no proof node hashes to a hash the walk needs (left out, or altered: a changed
 *   byte changes the node's hash, so an altered node is missing the same way);
 * - `missing-value`: a value stored by hash (state version 1) is not among the proof's nodes;
 * - `malformed-node`: a node that is not a valid trie node encoding;
 * - `bad-input`: the root or a key is not well-formed.
 * Nodes the walk never needs are allowed, as Substrate allows them.
 */
export type BadProofReason = 'missing-node' | 'missing-value' | 'malformed-node' | 'bad-input';

export class BadProof extends DarkWalletError {
  declare readonly code: 'BadProof';
  constructor(
    readonly reason: BadProofReason,
    message: string,
  ) {
    super('BadProof', message);
  }
}
