/** Small chain facts every test layer (integration, e2e, faults) reads the same way. */
import type { ApiPromise } from '@polkadot/api';

export const PHA = 10n ** 12n;

export async function freeBalance(api: ApiPromise, who: string): Promise<bigint> {
  const info = (await api.query.system.account(who)) as unknown as { data: { free: { toBigInt(): bigint } } };
  return info.data.free.toBigInt();
}
