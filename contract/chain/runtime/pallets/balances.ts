/**
 * pallet_balances on `System.Account`: transfers with the existential-deposit rules, fee withdrawal
 * (burned: there is no block author to pay) and root's `forceSetBalance`. Also `TotalIssuance`.
 */
import type { MultiAddress } from '@polkadot/types/interfaces';
import type { PalletBalancesCall } from '@polkadot/types/lookup';
import type { AccountId } from '../../../../shared/types';
import { addressToAccount } from '../address';
import { EXISTENTIAL_DEPOSIT } from '../../config';
import { ensureRoot, ensureSigned, type CallArgsOf, type CallContext, type CallHandler, type CallTable } from '../dispatch';
import { DispatchFailure, Invalid, invalidTx, palletError } from '../errors';
import type { Storage } from '../storage';
import { readAccount, writeAccount, type Account } from './system';

type Deposit = CallContext['deposit'];

const TRANSFER_WEIGHT = 200_000_000n;

export function lookupAccount(address: MultiAddress): AccountId {
  const who = addressToAccount(address);
  if (who === null) throw new DispatchFailure('CannotLookup');
  return who;
}

function adjustIssuance(st: Storage, delta: bigint): void {
  const total = st.get('balances', 'totalIssuance')!.toBigInt();
  st.put('balances', 'totalIssuance', [], total + delta);
}

/** Sets an account's free balance, creating or reaping it, with the events Substrate emits for each. */
function setFree(st: Storage, deposit: Deposit, who: AccountId, before: Account, free: bigint): void {
  const existed = before.providers > 0;
  if (free + before.reserved < EXISTENTIAL_DEPOSIT) {
    if (existed) {
      if (free > 0n) {
        adjustIssuance(st, -free);
        deposit('Balances', 'DustLost', { account: who, amount: free });
      }
      deposit('System', 'KilledAccount', { account: who });
    }
    writeAccount(st, who, { ...before, free: 0n, providers: 0 });
    return;
  }
  writeAccount(st, who, { ...before, free, providers: Math.max(before.providers, 1) });
  if (!existed) {
    deposit('System', 'NewAccount', { account: who });
    deposit('Balances', 'Endowed', { account: who, freeBalance: free });
  }
}

/** Credits newly issued funds (genesis, `forceSetBalance`). */
export function mint(st: Storage, deposit: Deposit, who: AccountId, amount: bigint): void {
  const a = readAccount(st, who);
  adjustIssuance(st, amount);
  setFree(st, deposit, who, a, a.free + amount);
}

/**
 * Moves `amount`. `keepAlive` refuses to take the sender below the existential deposit;
 * otherwise the sender may be reaped. A new recipient needs at least the existential deposit.
 */
export function transfer(st: Storage, deposit: Deposit, from: AccountId, to: AccountId, amount: bigint, keepAlive: boolean): void {
  const src = readAccount(st, from);
  if (amount > src.free) throw new DispatchFailure({ Token: 'FundsUnavailable' });
  const left = src.free - amount;
  if (keepAlive && left < EXISTENTIAL_DEPOSIT) throw new DispatchFailure({ Token: 'NotExpendable' });
  if (from === to || amount === 0n) {
    deposit('Balances', 'Transfer', { from, to, amount });
    return;
  }
  const dst = readAccount(st, to);
  if (dst.providers === 0 && amount < EXISTENTIAL_DEPOSIT) throw palletError('Balances', 'ExistentialDeposit');
  setFree(st, deposit, from, src, left);
  setFree(st, deposit, to, dst, dst.free + amount);
  deposit('Balances', 'Transfer', { from, to, amount });
}

/** Fees are checked before inclusion: an account that cannot pay keeps its transaction out (1010). */
export function ensureCanPayFee(st: Storage, who: AccountId, fee: bigint): void {
  const a = readAccount(st, who);
  if (a.providers === 0 || a.free < fee + EXISTENTIAL_DEPOSIT) throw invalidTx(Invalid.payment);
}

/**
 * What including a signed transaction costs its sender before dispatch: the nonce moves on and the
 * fee is withdrawn (burned). Both live in `System.Account`, so it is one read and one write.
 */
export function payForTransaction(st: Storage, deposit: Deposit, who: AccountId, fee: bigint): void {
  ensureCanPayFee(st, who, fee);
  const a = readAccount(st, who);
  writeAccount(st, who, { ...a, nonce: a.nonce + 1, free: a.free - fee });
  adjustIssuance(st, -fee);
  deposit('Balances', 'Withdraw', { who, amount: fee });
}

const transferCall = (keepAlive: boolean): CallHandler<CallArgsOf<PalletBalancesCall>['transferKeepAlive']> => ({
  weight: TRANSFER_WEIGHT,
  dispatch: ({ storage, origin, deposit }, { dest, value }) =>
    transfer(storage, deposit, ensureSigned(origin), lookupAccount(dest), value.toBigInt(), keepAlive),
});

export const balancesCalls: CallTable<PalletBalancesCall, 'transferAllowDeath' | 'transferKeepAlive' | 'transferAll' | 'forceSetBalance'> = {
  transferAllowDeath: transferCall(false),
  transferKeepAlive: transferCall(true),
  transferAll: {
    weight: TRANSFER_WEIGHT,
    dispatch: ({ storage, origin, deposit }, { dest, keepAlive }) => {
      const from = ensureSigned(origin);
      const keep = keepAlive.isTrue;
      const free = readAccount(storage, from).free;
      const amount = keep ? free - EXISTENTIAL_DEPOSIT : free;
      if (amount > 0n) transfer(storage, deposit, from, lookupAccount(dest), amount, keep);
    },
  },
  forceSetBalance: {
    weight: 100_000_000n,
    dispatch: ({ storage, origin, deposit }, { who, newFree }) => {
      ensureRoot(origin);
      const target = lookupAccount(who);
      const a = readAccount(storage, target);
      const requested = newFree.toBigInt();
      const free = requested < EXISTENTIAL_DEPOSIT ? 0n : requested;
      adjustIssuance(storage, free - a.free);
      setFree(storage, deposit, target, a, free);
      deposit('Balances', 'BalanceSet', { who: target, free });
    },
  },
};
