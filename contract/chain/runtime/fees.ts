/**
 * Transaction fees: one formula used for charging, for `payment_queryInfo` /
 * `TransactionPaymentApi_query_info` and for the fee events, so a wallet's estimate is what is paid.
 */
import { BASE_FEE, BYTE_FEE, WEIGHT_TO_FEE_DIVISOR } from '../config';

export interface FeeDetails {
  baseFee: bigint;
  lenFee: bigint;
  adjustedWeightFee: bigint;
  /** The inclusion fee, tip excluded (what `queryInfo` calls `partialFee`). */
  partialFee: bigint;
}

export function computeFee(refTime: bigint, encodedLength: number): FeeDetails {
  const baseFee = BASE_FEE;
  const lenFee = BYTE_FEE * BigInt(encodedLength);
  const adjustedWeightFee = refTime / WEIGHT_TO_FEE_DIVISOR;
  return { baseFee, lenFee, adjustedWeightFee, partialFee: baseFee + lenFee + adjustedWeightFee };
}

export type DispatchClass = 'Normal' | 'Mandatory';

/** `DispatchInfo` as events and `queryInfo` carry it (proof size is not metered here). */
export const dispatchInfo = (refTime: bigint, cls: DispatchClass) => ({
  weight: { refTime, proofSize: 0n },
  class: cls,
  paysFee: cls === 'Mandatory' ? 'No' : 'Yes',
});
