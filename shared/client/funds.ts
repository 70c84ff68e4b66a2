/**
 * Balance checks before anything is signed: an operation the wallet can tell must fail is refused
 * before it burns a fee. The public side uses the chain's own fee for the very extrinsic
 * (`paymentInfo`) and the chain's rule that a sender keeps the existential deposit (fees and
 * keep-alive transfers alike); the secret side asks the worker for the sender's own balance.
 */
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { existentialDeposit } from './chain-constants';
import { ClientError } from './errors';

/** How much `address` may spend from its public balance: free minus what is frozen. */
export async function spendable(api: ApiPromise, address: string): Promise<bigint> {
  const { data } = await api.query.system.account(address);
  const free = data.free.toBigInt();
  const frozen = data.frozen.toBigInt();
  return free > frozen ? free - frozen : 0n;
}

/** The fee the chain will charge `address` for `tx` (the inclusion fee; tips are not used here). */
export async function feeOf(tx: SubmittableExtrinsic<'promise'>, address: string): Promise<bigint> {
  return (await tx.paymentInfo(address)).partialFee.toBigInt();
}

/** What a call takes from its signer's public balance, and whether the signer must stay alive after it. */
export interface PublicSpend {
  amount: bigint;
  /** False only for `transferAllowDeath`: the account may be emptied (the fee still may not reap it). */
  keepAlive: boolean;
}

/** The calls whose public spend the wallet can judge before signing; null for any other call. */
export function publicSpend(call: { section: string; method: string; args: readonly { toString(): string }[] }): PublicSpend | null {
  switch (`${call.section}.${call.method}`) {
    case 'balances.transferKeepAlive':
    case 'phalaModule.transferToTee':
      return { amount: BigInt(call.args[1].toString()), keepAlive: true };
    case 'balances.transferAllowDeath':
      return { amount: BigInt(call.args[1].toString()), keepAlive: false };
    default:
      return null;
  }
}

/**
 * Refuses (`InsufficientFunds`) when `address` cannot pay `spend` plus the fee — keeping the
 * existential deposit, as the chain requires of every fee and of every keep-alive spend.
 */
export async function ensurePublicFunds(api: ApiPromise, tx: SubmittableExtrinsic<'promise'>, address: string, spend: bigint, keepAlive = true): Promise<void> {
  const [fee, have] = await Promise.all([feeOf(tx, address), spendable(api, address)]);
  const floor = existentialDeposit(api);
  if (keepAlive ? have >= spend + fee + floor : have >= spend + fee && have >= fee + floor) return;
  throw new ClientError('InsufficientFunds', spend === 0n
    ? 'The public balance cannot pay the network fee and keep the existential deposit, so nothing was sent. Add funds to the account first.'
    : keepAlive
      ? 'The public balance does not cover this amount plus the network fee and the existential deposit the account must keep, so nothing was sent. Send or convert less.'
      : 'The public balance does not cover this amount plus the network fee, so nothing was sent. Send less.');
}
