/**
 * GRANDPA authority sets: the ed25519 voters and weights that must sign a block's finality, as
 * sp-consensus-grandpa encodes them — `AuthorityList = Vec<(AuthorityId, u64)>`, stored under
 * `:grandpa_authorities` as `VersionedAuthorityList` (a version byte, 1, then the list).
 */
import { U64_MAX } from '../../../shared/types';
import { ScaleWriter, type ScaleReader } from '../../../shared/protocol/scale';
import { refuse, type LightClientErrorCode } from './errors';
import { decodeOrRefuse } from './scale';

export interface Authority {
  id: Uint8Array;
  weight: bigint;
}

export interface AuthoritySet {
  setId: bigint;
  authorities: Authority[];
}

const AUTHORITIES_VERSION = 1;
/** Far above any real set (Polkadot has ~300 validators), low enough to bound the work one list costs. */
export const MAX_AUTHORITIES = 10_000;

export const readAuthorityList = (r: ScaleReader): Authority[] =>
  r.vec(MAX_AUTHORITIES, (x) => ({ id: x.fixed(32), weight: x.u64() }));

export function writeAuthorityList(w: ScaleWriter, list: readonly Authority[]): void {
  w.vec(list, MAX_AUTHORITIES, (x, a) => x.fixed(a.id, 32).u64(a.weight));
}

/**
 * A list GRANDPA can vote with: non-empty, no zero weight (finality-grandpa's VoterSet refuses both),
 * no voter twice, and a total weight that fits a u64.
 */
export function checkAuthorityList(list: readonly Authority[], code: LightClientErrorCode): void {
  if (list.length === 0) throw refuse(code, 'An authority set is empty.');
  const seen = new Set<string>();
  let total = 0n;
  for (const a of list) {
    if (a.weight === 0n) throw refuse(code, 'An authority has zero weight.');
    const key = a.id.join(',');
    if (seen.has(key)) throw refuse(code, 'An authority appears twice in one set.');
    seen.add(key);
    total += a.weight;
  }
  if (total > U64_MAX) throw refuse(code, "An authority set's total weight overflows a u64.");
}

export function decodeVersionedAuthorityList(bytes: Uint8Array, code: LightClientErrorCode): Authority[] {
  const list = decodeOrRefuse(code, 'The :grandpa_authorities value', bytes, (r) => {
    if (r.u8() !== AUTHORITIES_VERSION) throw refuse(code, 'The :grandpa_authorities value has an unknown version.');
    return readAuthorityList(r);
  });
  checkAuthorityList(list, code);
  return list;
}

export function encodeVersionedAuthorityList(list: readonly Authority[]): Uint8Array {
  const w = new ScaleWriter(1 + 40 * list.length + 5);
  w.u8(AUTHORITIES_VERSION);
  writeAuthorityList(w, list);
  return w.finish();
}

export const totalWeight = (set: AuthoritySet): bigint => set.authorities.reduce((n, a) => n + a.weight, 0n);

/** finality-grandpa's `VoterSet::threshold`: total minus the most weight that may be faulty (f < n/3). */
export function finalityThreshold(set: AuthoritySet): bigint {
  const total = totalWeight(set);
  return total - (total - 1n) / 3n;
}
