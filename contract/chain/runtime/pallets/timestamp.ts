/** pallet_timestamp: the block author's `set(now)` inherent, first in every block. */
import type { PalletTimestampCall } from '@polkadot/types/lookup';
import type { CallTable } from '../dispatch';
import { DispatchFailure } from '../errors';
import type { Storage } from '../storage';

export const nowOf = (st: Storage): bigint => st.get('timestamp', 'now')!.toBigInt();

export const timestampCalls: CallTable<PalletTimestampCall, 'set'> = {
  set: {
    weight: 10_000_000n,
    class: 'Mandatory',
    dispatch: ({ storage, origin }, { now }) => {
      if (origin.kind !== 'none') throw new DispatchFailure('BadOrigin');
      const t = now.toBigInt();
      // Time only moves forward: a block that breaks this is invalid, not merely a failed call.
      if (t <= nowOf(storage)) throw new Error('The timestamp must increase from block to block.');
      storage.put('timestamp', 'now', [], t);
    },
  },
};
