/**
 * `npm run worker -- --join` before the keys arrive (DESIGN.md §11): the joining enclave (a
 * `KeyReceiver`, light client only) registers with its attested handover key, follows finalized
 * blocks and, whenever the chain (the host's cue) shows a handover for it, proves it at its last
 * verified block and opens it. A handover it refuses (sealed to another key, not the contract's keys)
 * is logged and nothing is used; it keeps waiting. Resolves with the secret holding the contract keys.
 */
import type { ApiPromise } from '@polkadot/api';
import { DarkWalletError } from '../../shared/errors';
import { toHex } from '../../shared/types';
import { HandoverRefused, type EnclaveSecret, type KeyReceiver } from '../enclave';
import { BlockFollower, FOLLOWER_TIMINGS, type FollowerTimings } from './block-follower';
import type { ChainReader } from './chain-reader';

export async function waitForHandover(
  api: ApiPromise, reader: ChainReader, receiver: KeyReceiver, timings: Partial<FollowerTimings> | undefined, log: (line: string) => void,
): Promise<EnclaveSecret> {
  const me = toHex(receiver.identityPub);
  let checking = false;
  let refusedAt: string | null = null;
  return new Promise<EnclaveSecret>((resolve) => {
    const follower = new BlockFollower<void>({
      reader, enclave: receiver, log,
      onBlocks: () => {
        if (checking) return;
        checking = true;
        check().then((secret) => {
          if (!secret) return;
          void follower.stop().then(() => unsubscribe.then((u) => u()));
          resolve(secret);
        }, (e: unknown) => {
          // The light client moved past the block read (BadProof), or the chain did not answer: the next run checks again.
          log(`looking for the key handover failed (${e instanceof DarkWalletError ? e.code : e instanceof Error ? e.name : 'error'}); checking again after the next block`);
        }).finally(() => { checking = false; });
      },
    }, { ...FOLLOWER_TIMINGS, ...timings });

    const check = async (): Promise<EnclaveSecret | null> => {
      const stored = await api.query.phalaModule.handedOverKeys(me);
      if (stored.isNone) return null;
      const { header, proof } = await reader.storageAt(toHex(receiver.lastBlockHash), receiver.proofKeys());
      try {
        return await receiver.receive(header, proof); // null until the handover is in a verified block
      } catch (e) {
        if (!(e instanceof HandoverRefused)) throw e;
        const seen = stored.unwrap().toHex();
        if (refusedAt !== seen) log(`refused the key handover on chain (${e.reason}): still waiting for the contract keys`);
        refusedAt = seen;
        return null;
      }
    };

    const unsubscribe = api.rpc.chain.subscribeFinalizedHeads((head) => follower.raise(head.number.toNumber()));
    follower.start();
    reader.finalizedNumber().then((n) => follower.raise(n), () => {});
    log(`waiting for a keyholder to hand over the contract keys (worker ${me.slice(0, 10)}…)`);
  });
}
