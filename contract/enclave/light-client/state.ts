/**
 * What the light client remembers between blocks, and its canonical SCALE encoding (sealed with the
 * ledger): the last accepted header, the authority set that must finalize the next blocks, and the
 * standard change that set has scheduled but not yet handed over.
 */
import { ScaleWriter } from '../../../shared/protocol/scale';
import { checkAuthorityList, readAuthorityList, writeAuthorityList, type Authority, type AuthoritySet } from './authority-set';
import { refuse } from './errors';
import { decodeOrRefuse } from './scale';

export interface PendingChange {
  /** The block whose finality enacts the change (scheduled block + delay). */
  enactAt: number;
  nextAuthorities: Authority[];
}

export interface LightClientState {
  lastHash: Uint8Array;
  lastNumber: number;
  set: AuthoritySet;
  pending: PendingChange | null;
}

const STATE_VERSION = 1;

export function encodeLightClientState(s: LightClientState): Uint8Array {
  const w = new ScaleWriter(128 + 40 * s.set.authorities.length);
  w.u8(STATE_VERSION).fixed(s.lastHash, 32).u32(s.lastNumber).u64(s.set.setId);
  writeAuthorityList(w, s.set.authorities);
  w.option(s.pending, (x, p) => {
    x.u32(p.enactAt);
    writeAuthorityList(x, p.nextAuthorities);
  });
  return w.finish();
}

export function decodeLightClientState(bytes: Uint8Array): LightClientState {
  const s = decodeOrRefuse('BadConfig', 'A sealed light-client state', bytes, (r) => {
    if (r.u8() !== STATE_VERSION) throw refuse('BadConfig', 'A sealed light-client state has an unknown version.');
    const lastHash = r.fixed(32);
    const lastNumber = r.u32();
    const setId = r.u64();
    const authorities = readAuthorityList(r);
    const pending = r.option((x) => ({ enactAt: x.u32(), nextAuthorities: readAuthorityList(x) }));
    return { lastHash, lastNumber, set: { setId, authorities }, pending };
  });
  checkAuthorityList(s.set.authorities, 'BadConfig');
  if (s.pending) {
    checkAuthorityList(s.pending.nextAuthorities, 'BadConfig');
    if (s.pending.enactAt <= s.lastNumber) throw refuse('BadConfig', 'A sealed light-client state has a pending change in the past.');
  }
  return s;
}
