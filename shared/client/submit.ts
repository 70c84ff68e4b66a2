/**
 * Signs (with `pair`; null: sends unsigned, for calls that authenticate themselves) and submits an
 * extrinsic, resolving once it is finalized and succeeded.
 */
import type { ApiPromise } from '@polkadot/api';
import type { SignerOptions, SubmittableExtrinsic } from '@polkadot/api/types';
import type { ISubmittableResult } from '@polkadot/types/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { EventRecord } from '@polkadot/types/interfaces';
import { ClientError } from './errors';
import { chainRefusal, dispatchErrorName, poolRefusal } from './reasons';

export interface Included {
  blockHash: string;
  blockNumber: number;
  extrinsicIndex: number;
  events: EventRecord[];
}

/**
 * `signing` adds signer options beyond the next nonce (the extension passes CheckMetadataHash mode 1
 * and the chain's metadata hash).
 */
export function submitAndWatch(
  api: ApiPromise, tx: SubmittableExtrinsic<'promise'>, pair: KeyringPair | null, timeoutMs = 60_000, signing: Partial<SignerOptions> = {},
): Promise<Included> {
  return new Promise((resolve, reject) => {
    let unsub: (() => void) | undefined;
    const timer = setTimeout(() => {
      unsub?.();
      reject(new ClientError('Timeout', 'The chain did not finalize the transaction in time.'));
    }, timeoutMs);
    const fail = (e: ClientError) => {
      clearTimeout(timer);
      unsub?.();
      reject(e);
    };
    const onStatus = (result: ISubmittableResult) => {
      if (result.isError || result.status.isDropped || result.status.isInvalid || result.status.isUsurped) {
        fail(new ClientError('ChainRejected', 'The chain dropped the transaction.'));
        return;
      }
      if (!result.status.isFinalized) return;
      if (result.dispatchError) {
        const reason = dispatchErrorName(api, result.dispatchError);
        fail(new ClientError('ChainRejected', chainRefusal(reason), reason));
        return;
      }
      clearTimeout(timer);
      unsub?.();
      void api.rpc.chain.getHeader(result.status.asFinalized).then((header) => resolve({
        blockHash: result.status.asFinalized.toHex(),
        blockNumber: header.number.toNumber(),
        extrinsicIndex: result.txIndex ?? 0,
        events: result.events,
      }), reject);
    };
    (pair ? tx.signAndSend(pair, { ...signing, nonce: -1 }, onStatus) : tx.send(onStatus)).then((u) => { unsub = u; }, (e: unknown) => {
      // The sentence for people; the node's own words stay the reason programs read (the relayer classifies them).
      const said = e instanceof Error ? e.message : '';
      fail(new ClientError('ChainRejected', poolRefusal(said), said || undefined));
    });
  });
}
