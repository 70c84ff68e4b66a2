/**
 * An independent GRANDPA follower for tests: decodes justifications with @polkadot/types, rebuilds
 * the signed payload byte by byte (SCALE Message::Precommit, round, set id — sp_consensus_grandpa's
 * `localized_payload`) and verifies each precommit with @noble/curves, against the authority set
 * read from the parent block's `:grandpa_authorities` and `Grandpa.CurrentSetId`. Nothing here calls
 * the chain's own signing or encoding code.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import type { ApiPromise } from '@polkadot/api';
import { hexToU8a, u8aConcat } from '@polkadot/util';

export const GRANDPA_AUTHORITIES_KEY = '0x3a6772616e6470615f617574686f726974696573';
const FRNK = '0x46524e4b';

export interface AuthoritySet {
  setId: bigint;
  authorities: Array<{ id: string; weight: bigint }>;
}

const le = (n: bigint, bytes: number) => {
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return out;
};

/** The set that finalizes the children of block `at`, from its state. */
export async function authoritySetAt(api: ApiPromise, at: string): Promise<AuthoritySet> {
  const raw = await api.rpc.state.getStorage(GRANDPA_AUTHORITIES_KEY, at);
  const [version, list] = api.createType('(u8, Vec<([u8; 32], u64)>)', (raw as unknown as { unwrap(): { toU8a(bare: boolean): Uint8Array } }).unwrap().toU8a(true));
  if (version.toNumber() !== 1) throw new Error('unexpected VersionedAuthorityList version');
  const setId = (await api.rpc.state.getStorage(api.query.grandpa.currentSetId.key(), at)) as unknown as { unwrap(): { toU8a(bare: boolean): Uint8Array } };
  return {
    setId: api.createType('u64', setId.unwrap().toU8a(true)).toBigInt(),
    authorities: list.map(([id, weight]) => ({ id: id.toHex(), weight: weight.toBigInt() })),
  };
}

/** The FRNK justification bytes of a block, as `chain_getBlock` returns them. */
export async function justificationOf(api: ApiPromise, hash: string): Promise<Uint8Array | null> {
  const { justifications } = await api.rpc.chain.getBlock(hash);
  if (justifications.isNone) return null;
  const frnk = justifications.unwrap().find(([engine]) => engine.toHex() === FRNK);
  return frnk ? frnk[1].toU8a(true) : null;
}

/** Throws unless `bytes` is a justification of (hash, number) by more than 2/3 of `set`'s weight. */
export function verifyJustification(api: ApiPromise, bytes: Uint8Array, hash: string, number: number, set: AuthoritySet): void {
  const j = api.createType('GrandpaJustification', bytes);
  if (j.toU8a().length !== bytes.length) throw new Error('justification has trailing bytes');
  if (j.commit.targetHash.toHex() !== hash || j.commit.targetNumber.toNumber() !== number) throw new Error('justification targets another block');
  const weights = new Map(set.authorities.map((a) => [a.id, a.weight]));
  const signed = new Set<string>();
  let weight = 0n;
  for (const { precommit, signature, id } of j.commit.precommits) {
    // Ancestries are empty, so every precommit must target the commit target itself.
    if (precommit.targetHash.toHex() !== hash || precommit.targetNumber.toNumber() !== number) throw new Error('precommit for another block');
    const payload = u8aConcat([1], hexToU8a(hash), le(BigInt(number), 4), le(j.round.toBigInt(), 8), le(set.setId, 8));
    if (!ed25519.verify(signature.toU8a(), payload, id.toU8a())) throw new Error(`bad precommit signature by ${id.toHex()}`);
    const w = weights.get(id.toHex());
    if (w === undefined) throw new Error(`precommit by ${id.toHex()}, not in set ${set.setId}`);
    if (signed.has(id.toHex())) throw new Error('two precommits by one authority');
    signed.add(id.toHex());
    weight += w;
  }
  if (j.votesAncestries.length) throw new Error('unexpected vote ancestries');
  const total = set.authorities.reduce((sum, a) => sum + a.weight, 0n);
  if (weight < total - (total - 1n) / 3n) throw new Error(`precommits weigh ${weight} of ${total}: not a supermajority`);
}

export interface ScheduledChange {
  at: number;
  delay: number;
  next: Array<{ id: string; weight: bigint }>;
}

/** GRANDPA `ScheduledChange` consensus logs in a block header's digest. */
export function scheduledChanges(api: ApiPromise, header: { number: { toNumber(): number }; digest: { logs: Array<{ isConsensus: boolean; asConsensus: [{ toHex(): string }, { toU8a(bare: boolean): Uint8Array }] }> } }): ScheduledChange[] {
  return header.digest.logs.filter((log) => log.isConsensus && log.asConsensus[0].toHex() === FRNK).map((log) => {
    const data = log.asConsensus[1].toU8a(true);
    if (data[0] !== 1) throw new Error('not a ScheduledChange');
    const [next, delay] = api.createType('(Vec<([u8; 32], u64)>, u32)', data.subarray(1));
    return { at: header.number.toNumber(), delay: delay.toNumber(), next: next.map(([id, w]) => ({ id: id.toHex(), weight: w.toBigInt() })) };
  });
}

/**
 * Walks blocks 1..`to`, verifying every justification against the set in force (starting from the
 * genesis state's set) and following scheduled changes: a change signalled in block N with delay d
 * must be enacted in block N+d's state (the next set, set id + 1). Returns the set id of each block.
 */
export async function followChain(api: ApiPromise, to: number): Promise<bigint[]> {
  let set = await authoritySetAt(api, (await api.rpc.chain.getBlockHash(0)).toHex());
  const setIds: bigint[] = [];
  let pending: ScheduledChange | null = null;
  for (let n = 1; n <= to; n++) {
    const hash = (await api.rpc.chain.getBlockHash(n)).toHex();
    const justification = await justificationOf(api, hash);
    if (!justification) throw new Error(`block #${n} has no justification`);
    verifyJustification(api, justification, hash, n, set);
    setIds.push(set.setId);
    const header = await api.rpc.chain.getHeader(hash);
    for (const change of scheduledChanges(api, header)) pending ??= change;
    const after = await authoritySetAt(api, hash);
    if (pending && pending.at + pending.delay === n) {
      const expected = { setId: set.setId + 1n, authorities: pending.next };
      if (JSON.stringify(after, big) !== JSON.stringify(expected, big)) throw new Error(`block #${n} did not enact the scheduled change`);
      pending = null;
    } else if (JSON.stringify(after, big) !== JSON.stringify(set, big)) throw new Error(`block #${n} changed the set without a scheduled change`);
    set = after;
  }
  return setIds;
}

const big = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);
