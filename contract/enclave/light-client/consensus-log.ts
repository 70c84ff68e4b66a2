/**
 * GRANDPA's messages to light clients in header digests: `DigestItem::Consensus(b"FRNK",
 * ConsensusLog)` (sp-consensus-grandpa). A standard `ScheduledChange` in block N with delay d hands
 * finality to the next set once block N+d is finalized; that is the only change this client follows.
 */
import { U32_MAX } from '../../../shared/types';
import { readAuthorityList, checkAuthorityList, type Authority } from './authority-set';
import { refuse } from './errors';
import type { Header } from './header';
import { decodeOrRefuse } from './scale';

export const GRANDPA_ENGINE = 'FRNK';

export interface ScheduledChange {
  nextAuthorities: Authority[];
  delay: number;
}

// ConsensusLog's SCALE tags.
const SCHEDULED_CHANGE = 1;
const FORCED_CHANGE = 2;
const ON_DISABLED = 3;
const PAUSE = 4;
const RESUME = 5;

/**
 * The standard change a header schedules, if any. Refused:
 * - a forced change: it is enacted without the old set's justification, on the runtime's word after
 *   a finality stall (nodes trust it because they follow the best chain; a light client fed by its
 *   adversary cannot), so it needs a new enclave configuration instead;
 * - two changes in one header (pallet_grandpa never schedules them).
 * `OnDisabled`, `Pause` and `Resume` change no voter or weight, so finality proofs stay valid as they
 * are: they are ignored.
 */
export function scheduledChangeOf(header: Header): ScheduledChange | null {
  let change: ScheduledChange | null = null;
  for (const item of header.digest) {
    if (item.kind !== 'consensus' || item.engine !== GRANDPA_ENGINE) continue;
    const log = decodeOrRefuse('BadHeader', 'A GRANDPA digest log', item.data, (r) => {
      const tag = r.u8();
      if (tag === SCHEDULED_CHANGE) return { nextAuthorities: readAuthorityList(r), delay: r.u32() };
      if (tag === FORCED_CHANGE) throw refuse('UnsupportedAuthorityChange', 'A header forces a GRANDPA authority change; this client follows only scheduled changes.');
      if (tag === ON_DISABLED) return void r.u64();
      if (tag === PAUSE || tag === RESUME) return void r.u32();
      throw refuse('BadHeader', 'A GRANDPA digest log has an unknown kind.');
    });
    if (log === undefined) continue;
    if (change !== null) throw refuse('UnsupportedAuthorityChange', 'A header schedules two GRANDPA authority changes.');
    checkAuthorityList(log.nextAuthorities, 'UnsupportedAuthorityChange');
    if (header.number + log.delay > U32_MAX) throw refuse('UnsupportedAuthorityChange', 'A scheduled change takes effect past the last u32 block.');
    change = log;
  }
  return change;
}
