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

/** Refuses (`InsufficientFunds`) when `address` cannot pay `spend` plus the fee and keep the existential deposit. */
export async function ensurePublicFunds(api: ApiPromise, tx: SubmittableExtrinsic<'promise'>, address: string, spend: bigint): Promise<void> {
  const [fee, have] = await Promise.all([feeOf(tx, address), spendable(api, address)]);
  if (have >= spend + fee + existentialDeposit(api)) return;
  throw new ClientError('InsufficientFunds', spend === 0n
    ? 'The public balance cannot pay the network fee and keep the existential deposit, so nothing was sent. Add funds to the account first.'
    : 'The public balance does not cover this amount plus the network fee and the existential deposit the account must keep, so nothing was sent. Send or convert less.');
}
