/** pallet_timestamp: the block author's `set(now)` inherent, first in every block. */
import type { Compact, u64 } from '@polkadot/types';
import type { CallHandler } from '../dispatch';
import { DispatchFailure } from '../errors';
import type { Storage } from '../storage';

export const nowOf = (st: Storage): bigint => st.get<u64>('timestamp', 'now')!.toBigInt();

export const timestampCalls: Record<string, CallHandler> = {
  set: {
    weight: 10_000_000n,
    class: 'Mandatory',
    dispatch: ({ storage, origin }, { now }) => {
      if (origin.kind !== 'none') throw new DispatchFailure('BadOrigin');
      const t = (now as Compact<u64>).toBigInt();
      // Time only moves forward: a block that breaks this is invalid, not merely a failed call.
      if (t <= nowOf(storage)) throw new Error('The timestamp must increase from block to block.');
      storage.put('timestamp', 'now', [], t);
    },
  },
};
