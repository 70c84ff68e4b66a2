/**
 * Turns a finalized block into the enclave's input: in extrinsic order, every successful
 * `phalaModule.pushCommand` (signer, contract, payload) and every `TransferToTee` deposit (contract,
 * who, amount). Items of every contract are handed in; the enclave keeps its own contract's.
 */
import type { ApiPromise } from '@polkadot/api';
import type {} from '@polkadot/api-augment';
import type {} from '../../shared/protocol/phala-augment';
import { accountId, amount } from '../../shared/types';
import type { BlockItem } from '../enclave';

export interface FinalizedBlock {
  number: number;
  hash: string;
  items: BlockItem[];
}

export async function readBlock(api: ApiPromise, number: number): Promise<FinalizedBlock> {
  const hash = await api.rpc.chain.getBlockHash(number);
  // Raw events decoded with the block's own registry: correct across runtime upgrades, and ~5× cheaper
  // than api.at(hash), which rebuilds the whole decorated API for every block.
  // The block is read raw too: polkadot-js memoizes a decoded call at a block hash and replays its
  // result — an error too — to every caller within 1.75 s, so a read that failed while the chain
  // restarted failed again on every 1 s retry, forever.
  const [rawBlock, raw, { registry }] = await Promise.all([
    api.rpc.chain.getBlock.raw(hash),
    api.rpc.state.getStorage.raw(api.query.system.events.key(), hash),
    api.getBlockRegistry(hash.toU8a()),
  ]);
  const block = registry.createType('SignedBlock', rawBlock);
  const events = registry.createType('Vec<EventRecord>', raw);

  const succeeded = new Set<number>();
  for (const { phase, event } of events) {
    if (phase.isApplyExtrinsic && api.events.system.ExtrinsicSuccess.is(event)) succeeded.add(phase.asApplyExtrinsic.toNumber());
  }

  const items: BlockItem[] = [];
  block.block.extrinsics.forEach((ex, index) => {
    if (!succeeded.has(index) || !ex.isSigned) return;
    if (api.tx.phalaModule.pushCommand.is(ex.method)) {
      const [contractId, payload] = ex.method.args;
      items.push({
        kind: 'command', index, sender: accountId(ex.signer.toU8a(true).slice(-32)),
        contractId: contractId.toNumber(), payload: payload.toU8a(true),
      });
    }
  });
  for (const { phase, event } of events) {
    if (phase.isApplyExtrinsic && api.events.phalaModule.TransferToTee.is(event)) {
      const [contractId, who, value] = event.data;
      items.push({
        kind: 'deposit', index: phase.asApplyExtrinsic.toNumber(), contractId: contractId.toNumber(),
        who: accountId(who.toU8a()), amount: amount(value.toBigInt()),
      });
    }
  }
  items.sort((a, b) => a.index - b.index);
  return { number, hash: hash.toHex(), items };
}
