/**
 * Disconnects the client and runs `stop`, then waits for the timers that started meanwhile to run
 * out — polkadot-js tears cached subscriptions down on chained 1.75 s rxjs timers — so jest exits
 * cleanly instead of warning about open handles.
 */
import { createHook } from 'node:async_hooks';
import type { ApiPromise } from '@polkadot/api';

export async function shutdown(api: ApiPromise | undefined, stop: () => Promise<void>): Promise<void> {
  const live = new Set<number>();
  let mine = false;
  const hook = createHook({
    init: (id, type) => {
      if (type === 'Timeout' && !mine) live.add(id);
    },
    destroy: (id) => live.delete(id),
  }).enable();
  const pause = () => new Promise((r) => {
    mine = true;
    setTimeout(r, 50);
    mine = false;
  });
  try {
    await api?.disconnect();
    await stop();
    for (let waited = 0; live.size && waited < 10_000; waited += 50) await pause();
  } finally {
    hook.disable();
  }
}
