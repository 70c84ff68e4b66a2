/** pallet_sudo: the genesis sudo account (Alice) dispatches calls as root, and may hand the key over. */
import type { PalletSudoCall } from '@polkadot/types/lookup';
import type { AccountId } from '../../../../shared/types';
import { accountIdFromBytes } from '../../../../shared/types';
import { ensureSigned, type CallTable, type Origin } from '../dispatch';
import { palletError } from '../errors';
import type { Storage } from '../storage';
import { lookupAccount } from './balances';

const SUDO_WEIGHT = 50_000_000n;

function ensureSudo(st: Storage, origin: Origin): AccountId {
  const who = ensureSigned(origin);
  const key = st.get('sudo', 'key');
  if (!key || accountIdFromBytes(key.toU8a()) !== who) throw palletError('Sudo', 'RequireSudo');
  return who;
}

export const sudoCalls: CallTable<PalletSudoCall, 'sudo' | 'setKey'> = {
  sudo: {
    weight: SUDO_WEIGHT,
    extraWeight: ({ call }, weigh) => weigh(call),
    dispatch: (ctx, { call }) => {
      ensureSudo(ctx.storage, ctx.origin);
      // The sudo call itself succeeds; the inner call's outcome is reported in `Sudid`.
      const error = ctx.dispatchNested(call, { kind: 'root' });
      ctx.deposit('Sudo', 'Sudid', { sudoResult: error === null ? { Ok: null } : { Err: error } });
    },
  },
  setKey: {
    weight: SUDO_WEIGHT,
    dispatch: (ctx, { new_: next }) => {
      const old = ensureSudo(ctx.storage, ctx.origin);
      const key = lookupAccount(next);
      ctx.storage.put('sudo', 'key', [], key);
      ctx.deposit('Sudo', 'KeyChanged', { old, new: key });
    },
  },
};
