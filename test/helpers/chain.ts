/** Small chain facts every test layer (integration, e2e, faults) reads the same way. */
import type { ApiPromise } from '@polkadot/api';

export const PHA = 10n ** 12n;

/** Free balance at the head, or as of the end of block `at` (a block hash). */
export async function freeBalance(api: ApiPromise, who: string, at?: string): Promise<bigint> {
  const info = at ? await (await api.at(at)).query.system.account(who) : await api.query.system.account(who);
  return info.data.free.toBigInt();
}
