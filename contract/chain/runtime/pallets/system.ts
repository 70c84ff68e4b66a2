/** frame_system: accounts (`System.Account`: nonce, ref counts and the balances' AccountData) and `remark`. */
import type { AccountId } from '../../../../shared/types';
import type { FrameSystemCall } from '@polkadot/types/lookup';
import type { CallTable } from '../dispatch';
import type { Storage } from '../storage';

export interface Account {
  nonce: number;
  consumers: number;
  providers: number;
  sufficients: number;
  free: bigint;
  reserved: bigint;
  frozen: bigint;
  flags: bigint;
}

export function readAccount(st: Storage, who: AccountId): Account {
  const a = st.get('system', 'account', who)!;
  return {
    nonce: a.nonce.toNumber(),
    consumers: a.consumers.toNumber(),
    providers: a.providers.toNumber(),
    sufficients: a.sufficients.toNumber(),
    free: a.data.free.toBigInt(),
    reserved: a.data.reserved.toBigInt(),
    frozen: a.data.frozen.toBigInt(),
    flags: a.data.flags.toBigInt(),
  };
}

/** An account without providers no longer exists: its entry (and nonce) is removed, as Substrate does. */
export function writeAccount(st: Storage, who: AccountId, a: Account): void {
  if (a.providers === 0) {
    st.remove('system', 'account', who);
    return;
  }
  const { free, reserved, frozen, flags, ...info } = a;
  st.put('system', 'account', [who], { ...info, data: { free, reserved, frozen, flags } });
}

export const nonceOf = (st: Storage, who: AccountId): number => readAccount(st, who).nonce;

export const systemCalls: CallTable<FrameSystemCall, 'remark'> = {
  remark: { weight: 10_000_000n, dispatch: () => undefined },
};
