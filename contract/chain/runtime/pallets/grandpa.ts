/**
 * pallet_grandpa, as far as a light client needs it: the authority set under the well-known key
 * `:grandpa_authorities` (SCALE `VersionedAuthorityList`) and in `Grandpa.Authorities`, the set id in
 * `Grandpa.CurrentSetId`, and root-scheduled set changes signalled the way GRANDPA does — a
 * `ScheduledChange` consensus log (engine `FRNK`) in the header of the block that schedules it — and
 * enacted at the end of block (scheduled at + delay). That block is still finalized by the old set;
 * the state it leaves (new authorities, set id + 1) is the set that finalizes its descendants.
 * One deviation from pallet_grandpa: the set id is raised at enactment, not when the change is
 * scheduled, so the state of any block names exactly the set that finalizes the next one.
 */
import type { Struct, u32, u64, Vec } from '@polkadot/types';
import type { Codec, ITuple } from '@polkadot/types/types';
import { compactFromU8a, compactToU8a, u8aConcat, u8aToHex, u8aToU8a } from '@polkadot/util';
import { ensureRoot, type CallHandler } from '../dispatch';
import { palletError } from '../errors';
import type { Storage } from '../storage';

/** `sp_consensus_grandpa::GRANDPA_AUTHORITIES_KEY`, hex. */
export const GRANDPA_AUTHORITIES_KEY = u8aToHex(new TextEncoder().encode(':grandpa_authorities'));
/** `GRANDPA_ENGINE_ID`: consensus logs and justifications of GRANDPA carry it. */
export const GRANDPA_ENGINE_ID = new TextEncoder().encode('FRNK');
const AUTHORITIES_VERSION = 1;
/** `ConsensusLog::ScheduledChange` variant index. */
const SCHEDULED_CHANGE = 1;

export interface GrandpaAuthority {
  /** ed25519 public key. */
  id: Uint8Array;
  weight: bigint;
}

/** The set that finalizes the descendants of a block, read from that block's state. */
export interface AuthoritySet {
  setId: bigint;
  authorities: GrandpaAuthority[];
}

/** A header digest item `DigestItem::Consensus(engine, data)`. */
export interface ConsensusDigest {
  engine: Uint8Array;
  data: Uint8Array;
}

/**
 * The digest item in the shape @polkadot/types takes: hex, because it reads a Uint8Array given for
 * `Bytes` as already length-prefixed.
 */
export const digestItemValue = (d: ConsensusDigest) => ({ Consensus: [u8aToHex(d.engine), u8aToHex(d.data)] });

const u64Le = (n: bigint) => {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n, true);
  return out;
};
const u32Le = (n: number) => {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, true);
  return out;
};

/** SCALE `AuthorityList` = Vec<(ed25519 public, u64 weight)>. */
export const encodeAuthorityList = (list: GrandpaAuthority[]): Uint8Array =>
  u8aConcat(compactToU8a(list.length), ...list.flatMap((a) => [a.id, u64Le(a.weight)]));

/** Decodes `:grandpa_authorities` (`VersionedAuthorityList`: version 1, then the list). */
export function decodeVersionedAuthorityList(bytes: Uint8Array): GrandpaAuthority[] {
  if (bytes[0] !== AUTHORITIES_VERSION) throw new Error('Unknown :grandpa_authorities version.');
  const [prefix, count] = compactFromU8a(bytes.subarray(1));
  const at = 1 + prefix;
  if (bytes.length !== at + count.toNumber() * 40) throw new Error(':grandpa_authorities has a bad length.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: count.toNumber() }, (_, i) => ({
    id: bytes.slice(at + i * 40, at + i * 40 + 32),
    weight: view.getBigUint64(at + i * 40 + 32, true),
  }));
}

/** `ConsensusLog::ScheduledChange(ScheduledChange { next_authorities, delay })` as a header digest item. */
export const scheduledChangeDigest = (next: GrandpaAuthority[], delay: number): ConsensusDigest =>
  ({ engine: GRANDPA_ENGINE_ID, data: u8aConcat([SCHEDULED_CHANGE], encodeAuthorityList(next), u32Le(delay)) });

function putAuthorities(st: Storage, list: GrandpaAuthority[]): void {
  st.kv.set(GRANDPA_AUTHORITIES_KEY, u8aConcat([AUTHORITIES_VERSION], encodeAuthorityList(list)));
  st.put('grandpa', 'authorities', [], list.map((a) => [a.id, a.weight]));
}

export function grandpaGenesis(st: Storage, authorities: GrandpaAuthority[]): void {
  if (!validAuthorities(authorities)) throw new Error('The genesis GRANDPA authority set is empty or invalid.');
  putAuthorities(st, authorities);
  st.put('grandpa', 'currentSetId', [], 0n);
}

/** A usable set: not empty, every weight positive, no authority twice (VoterSet::new's rules). */
function validAuthorities(list: GrandpaAuthority[]): boolean {
  const ids = new Set(list.map((a) => u8aToHex(a.id)));
  return list.length > 0 && ids.size === list.length && list.every((a) => a.id.length === 32 && a.weight > 0n);
}

type AuthorityListCodec = Vec<ITuple<[Codec, u64]>>;

interface PendingChangeCodec extends Struct {
  scheduledAt: u32;
  delay: u32;
  nextAuthorities: AuthorityListCodec;
}

const authoritiesOf = (list: AuthorityListCodec): GrandpaAuthority[] =>
  list.map(([id, weight]) => ({ id: u8aToU8a(id.toU8a()), weight: weight.toBigInt() }));

export const grandpaCalls: Record<string, CallHandler> = {
  scheduleChange: {
    weight: 50_000_000n,
    dispatch: ({ storage, origin, env }, { nextAuthorities, delay }) => {
      ensureRoot(origin);
      const next = authoritiesOf(nextAuthorities as AuthorityListCodec);
      if (!validAuthorities(next)) throw palletError('Grandpa', 'InvalidAuthorities');
      if (storage.has('grandpa', 'pendingChange')) throw palletError('Grandpa', 'ChangePending');
      storage.put('grandpa', 'pendingChange', [], {
        scheduledAt: env.number, delay: (delay as u32).toNumber(), nextAuthorities: next.map((a) => [a.id, a.weight]), forced: null,
      });
    },
  },
};

/**
 * pallet_grandpa's `on_finalize`: signals a change scheduled in this block (its header digest item)
 * and enacts a change whose delay ends here. Returns the block's GRANDPA digest items.
 */
export function grandpaOnFinalize(
  st: Storage, number: number, deposit: (pallet: string, name: string, fields: Record<string, unknown>) => void,
): ConsensusDigest[] {
  const pending = st.get<PendingChangeCodec>('grandpa', 'pendingChange');
  if (!pending) return [];
  const scheduledAt = pending.scheduledAt.toNumber();
  const delay = pending.delay.toNumber();
  const next = authoritiesOf(pending.nextAuthorities);
  const digest = scheduledAt === number ? [scheduledChangeDigest(next, delay)] : [];
  if (scheduledAt + delay === number) {
    putAuthorities(st, next);
    st.put('grandpa', 'currentSetId', [], st.get<u64>('grandpa', 'currentSetId')!.toBigInt() + 1n);
    st.remove('grandpa', 'pendingChange');
    deposit('Grandpa', 'NewAuthorities', { authoritySet: next.map((a) => [a.id, a.weight]) });
  }
  return digest;
}

/** The authority set a block's state names (it finalizes that block's descendants). */
export function authoritySetOf(read: (key: string) => Uint8Array | null, setIdKey: string): AuthoritySet {
  const list = read(GRANDPA_AUTHORITIES_KEY);
  const setId = read(setIdKey);
  if (!list || !setId || setId.length !== 8) throw new Error('The state holds no GRANDPA authority set.');
  return {
    setId: new DataView(setId.buffer, setId.byteOffset, 8).getBigUint64(0, true),
    authorities: decodeVersionedAuthorityList(list),
  };
}
