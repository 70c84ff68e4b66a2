/**
 * GRANDPA justifications (sp-consensus-grandpa `GrandpaJustification`, engine id `FRNK`): a commit
 * for a target block with the precommits of the current authority set, and the headers linking
 * precommits for descendants back to the target. Verified as substrate/client/consensus/grandpa's
 * `justification.rs` does, a little stricter where a justification the node builds never differs:
 * one precommit per voter (no equivocations) and no repeated ancestry header.
 */
import { equalBytes } from '@noble/curves/utils.js';
import { verifyIdentitySignature } from '../../../shared/crypto/identity';
import { ScaleWriter, type ScaleReader } from '../../../shared/protocol/scale';
import { toHex } from '../../../shared/types';
import { finalityThreshold, type AuthoritySet } from './authority-set';
import { refuse } from './errors';
import { blake2_256 } from '../../../shared/trie/codec';
import { encodeHeader, readHeaderFields, type Header } from './header';
import { decodeOrRefuse } from './scale';

export const GRANDPA_JUSTIFICATION_ENGINE = 'FRNK';

export interface SignedPrecommit {
  targetHash: Uint8Array;
  targetNumber: number;
  signature: Uint8Array;
  id: Uint8Array;
}

export interface Justification {
  round: bigint;
  targetHash: Uint8Array;
  targetNumber: number;
  precommits: SignedPrecommit[];
  votesAncestries: Header[];
}

/** Bounds that only stop absurd input: a commit has one precommit per voter, ancestries a few headers each. */
const MAX_PRECOMMITS = 100_000;
const MAX_ANCESTRIES = 100_000;

const PRECOMMIT = 1; // finality_grandpa::Message::Precommit

function readPrecommit(r: ScaleReader): SignedPrecommit {
  return { targetHash: r.fixed(32), targetNumber: r.u32(), signature: r.fixed(64), id: r.fixed(32) };
}

function readAncestry(r: ScaleReader): Header {
  const fields = readHeaderFields(r);
  return { hash: blake2_256(encodeHeader(fields)), ...fields };
}

export function decodeJustification(bytes: Uint8Array): Justification {
  return decodeOrRefuse('BadJustification', 'A GRANDPA justification', bytes, (r) => ({
    round: r.u64(),
    targetHash: r.fixed(32),
    targetNumber: r.u32(),
    precommits: r.vec(MAX_PRECOMMITS, readPrecommit),
    votesAncestries: r.vec(MAX_ANCESTRIES, readAncestry),
  }));
}

/** What each voter signs: SCALE(Message::Precommit{target}) ++ round u64 ++ set id u64 (sp-consensus-grandpa `localized_payload`). */
export function precommitPayload(targetHash: Uint8Array, targetNumber: number, round: bigint, setId: bigint): Uint8Array {
  return new ScaleWriter(53).u8(PRECOMMIT).fixed(targetHash, 32).u32(targetNumber).u64(round).u64(setId).finish();
}

const bad = (why: string) => refuse('BadJustification', `A GRANDPA justification ${why}.`);

/**
 * Follows parent links from a precommit's target down to the commit target through the ancestry
 * headers, marking each header used; a precommit must vote for the target or one of its descendants.
 */
function checkDescends(p: SignedPrecommit, j: Justification, ancestry: Map<string, Header>, used: Set<string>): void {
  let hash = p.targetHash;
  let number = p.targetNumber;
  while (!equalBytes(hash, j.targetHash)) {
    const header = ancestry.get(toHex(hash));
    if (header === undefined || header.number !== number || number <= j.targetNumber) {
      throw bad('has a precommit that is not for the commit target or a proven descendant');
    }
    used.add(toHex(hash));
    hash = header.parentHash;
    number -= 1;
  }
  if (number !== j.targetNumber) throw bad('has a precommit whose target number does not match its hash');
}

/**
 * Refuses unless `bytes` is a justification by `set` that finalizes exactly (`hash`, `number`).
 * Cheap structure checks run before any signature, so junk costs no ed25519 work.
 */
export function verifyJustification(bytes: Uint8Array, set: AuthoritySet, hash: Uint8Array, number: number): Justification {
  const j = decodeJustification(bytes);
  if (!equalBytes(j.targetHash, hash) || j.targetNumber !== number) throw bad('finalizes another block');

  const ancestry = new Map<string, Header>();
  for (const h of j.votesAncestries) {
    if (ancestry.has(toHex(h.hash))) throw bad('repeats an ancestry header');
    ancestry.set(toHex(h.hash), h);
  }
  const weights = new Map(set.authorities.map((a) => [toHex(a.id), a.weight]));
  const voted = new Set<string>();
  const used = new Set<string>();
  let weight = 0n;
  for (const p of j.precommits) {
    const voter = toHex(p.id);
    const w = weights.get(voter);
    if (w === undefined) throw refuse('UnknownAuthoritySet', 'A GRANDPA justification is signed by a voter outside the current authority set.');
    if (voted.has(voter)) throw bad('has two precommits from one voter');
    voted.add(voter);
    checkDescends(p, j, ancestry, used);
    weight += w;
  }
  if (used.size !== ancestry.size) throw bad('carries ancestry headers no precommit uses');
  if (weight < finalityThreshold(set)) throw bad('lacks the weight of more than two thirds of the authority set');

  for (const p of j.precommits) {
    const message = precommitPayload(p.targetHash, p.targetNumber, j.round, set.setId);
    if (!verifyIdentitySignature(p.signature, message, p.id)) throw bad('has a precommit whose signature does not verify for this round and set');
  }
  return j;
}
