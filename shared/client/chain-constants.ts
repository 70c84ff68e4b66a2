/** Chain constants both sides of a withdrawal need: the SDK to refuse early, the host to configure the enclave. */
import type { ApiPromise } from '@polkadot/api';

/**
 * `balances.existentialDeposit`: the smallest balance an account may hold, so the smallest payout the
 * chain makes to an account that does not exist yet. A withdrawal below it could never be paid.
 */
export const existentialDeposit = (api: ApiPromise): bigint =>
  (api.consts.balances.existentialDeposit as unknown as { toBigInt(): bigint }).toBigInt();
