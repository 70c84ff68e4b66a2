/**
 * GRANDPA finality of the dev node. Every block is final once sealed; its justification is a commit
 * of one round in which every authority of the set in force whose seed the node holds precommits
 * the block: an ed25519 signature over SCALE(Message::Precommit{target_hash, target_number}, round,
 * set_id), as sp_consensus_grandpa's `localized_payload`. The set in force for block n is the one
 * block n-1's state names (so the block that enacts a change is still finalized by the old set).
 * Justifications are derived on demand: ed25519 is deterministic, so they are the same after a restart.
 */
import type { TypeRegistry } from '@polkadot/types';
import { u8aConcat } from '@polkadot/util';
import { authoritySetOf, type AuthoritySet } from '../runtime/pallets/grandpa';
import type { SealedBlock } from './block';
import type { Chain } from './chain';
import type { GrandpaKeystore } from './grandpaKeys';

/** `finality_grandpa::Message::Precommit` variant index. */
const PRECOMMIT = 1;

const le = (n: bigint, bytes: 4 | 8) => {
  const out = new Uint8Array(bytes);
  const view = new DataView(out.buffer);
  if (bytes === 4) view.setUint32(0, Number(n), true);
  else view.setBigUint64(0, n, true);
  return out;
};

/** The bytes an authority signs to precommit `targetHash` at `targetNumber` in `round` of set `setId`. */
export const precommitPayload = (targetHash: Uint8Array, targetNumber: number, round: bigint, setId: bigint): Uint8Array =>
  u8aConcat([PRECOMMIT], targetHash, le(BigInt(targetNumber), 4), le(round, 8), le(setId, 8));

/** finality_grandpa's VoterSet threshold: the weight a commit needs (more than 2/3 of the total). */
export function supermajority(total: bigint): bigint {
  return total - (total - 1n) / 3n;
}

export type JustificationListener = (block: SealedBlock, justification: Uint8Array) => void;

export class GrandpaFinality {
  constructor(
    private readonly chain: Chain,
    private readonly keys: GrandpaKeystore,
  ) {}

  get #registry(): TypeRegistry {
    return this.chain.runtime.codec.registry;
  }

  /** The authority set that block `number`'s state names: it finalizes the blocks after it. */
  authoritySetAfter(number: number): AuthoritySet {
    return authoritySetOf((key) => this.chain.state.getAt(key, number), this.chain.runtime.codec.key('grandpa', 'currentSetId'));
  }

  /**
   * SCALE `GrandpaJustification` finalizing block `number`; null for genesis (finalized by
   * definition), an unknown block, or when the node holds too little of its set's weight to sign.
   */
  justification(number: number): Uint8Array | null {
    const block = this.chain.block(number);
    if (!block || number === 0) return null;
    const { setId, authorities } = this.authoritySetAfter(number - 1);
    // Rounds only need to differ within a set; the block number is one that survives restarts.
    const round = BigInt(number);
    const target = block.header.hash.toU8a();
    const payload = precommitPayload(target, number, round, setId);
    const precommits = [];
    let weight = 0n;
    for (const { id, weight: w } of authorities) {
      const key = this.keys.signer(id);
      if (!key) continue;
      precommits.push({ precommit: { targetHash: target, targetNumber: number }, signature: key.sign(payload), id });
      weight += w;
    }
    const total = authorities.reduce((sum, a) => sum + a.weight, 0n);
    if (weight < supermajority(total)) return null;
    return this.#registry.createType('GrandpaJustification', {
      round, commit: { targetHash: target, targetNumber: number, precommits }, votesAncestries: [],
    }).toU8a();
  }

  /** SCALE `FinalityProof { block, justification, unknown_headers }` for block `number` (its own justification). */
  finalityProof(number: number): Uint8Array | null {
    const justification = this.justification(number);
    if (!justification) return null;
    return this.#registry.createType('(Hash, Bytes, Vec<Header>)', [this.chain.block(number)!.hash, justification, []]).toU8a();
  }

  /** Each new block's justification, as it is sealed (blocks the node cannot justify are skipped). */
  onJustification(listener: JustificationListener): () => void {
    return this.chain.onBlock((block) => {
      const justification = this.justification(block.number);
      if (justification) listener(block, justification);
    });
  }
}
