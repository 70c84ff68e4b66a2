/** pallet_sudo: the genesis sudo account (Alice) dispatches calls as root, and may hand the key over. */
import type { AccountId32, Call } from '@polkadot/types/interfaces';
import type { AccountId } from '../../../../shared/types';
import { accountIdFromBytes } from '../../../../shared/types';
import { ensureSigned, type CallHandler, type Origin } from '../dispatch';
import { palletError } from '../errors';
import type { Storage } from '../storage';
import { lookupAccount } from './balances';

const SUDO_WEIGHT = 50_000_000n;

function ensureSudo(st: Storage, origin: Origin): AccountId {
  const who = ensureSigned(origin);
  const key = st.get<AccountId32>('sudo', 'key');
  if (!key || accountIdFromBytes(key.toU8a()) !== who) throw palletError('Sudo', 'RequireSudo');
  return who;
}

export const sudoCalls: Record<string, CallHandler> = {
  sudo: {
    weight: ({ call }, weigh) => SUDO_WEIGHT + weigh(call as Call),
    dispatch: (ctx, { call }) => {
      ensureSudo(ctx.storage, ctx.origin);
      // The sudo call itself succeeds; the inner call's outcome is reported in `Sudid`.
      const error = ctx.dispatchNested(call as Call, { kind: 'root' });
      ctx.deposit('Sudo', 'Sudid', { sudoResult: error === null ? { Ok: null } : { Err: error } });
    },
  },
  setKey: {
    weight: SUDO_WEIGHT,
    dispatch: (ctx, { new: next }) => {
      const old = ensureSudo(ctx.storage, ctx.origin);
      const key = lookupAccount(next);
      ctx.storage.put('sudo', 'key', [], key);
      ctx.deposit('Sudo', 'KeyChanged', { old, new: key });
    },
  },
};
