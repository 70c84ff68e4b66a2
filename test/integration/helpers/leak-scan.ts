/**
 * Scans everything an observer of the chain can read — every block's extrinsics, every block's
 * events, and every storage value at the head — for given byte strings (SCALE encodings of secret
 * amounts and secret recipients).
 */
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';

export interface Needle {
  label: string;
  bytes: Uint8Array;
}

export interface LeakHit {
  needle: string;
  where: string;
}

const contains = (hay: Uint8Array, needle: Uint8Array) => Buffer.from(hay).indexOf(Buffer.from(needle)) >= 0;

export async function chainView(api: ApiPromise): Promise<{ where: string; bytes: Uint8Array }[]> {
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  const eventsKey = api.query.system.events.key();
  const out: { where: string; bytes: Uint8Array }[] = [];
  for (let n = 0; n <= head; n++) {
    const hash = await api.rpc.chain.getBlockHash(n);
    const block = await api.rpc.chain.getBlock(hash);
    block.block.extrinsics.forEach((ex, i) => out.push({ where: `block #${n} extrinsic ${i}`, bytes: ex.toU8a() }));
    const events = await api.rpc.state.getStorage(eventsKey, hash);
    if (events) out.push({ where: `block #${n} events`, bytes: (events as unknown as { toU8a(): Uint8Array }).toU8a() });
  }
  const headHash = await api.rpc.chain.getBlockHash(head);
  let startKey: string | undefined;
  for (;;) {
    const keys = await api.rpc.state.getKeysPaged('0x', 500, startKey, headHash);
    if (keys.length === 0) break;
    for (const k of keys) {
      const v = await api.rpc.state.getStorage(k, headHash);
      if (v) out.push({ where: `storage ${k.toHex().slice(0, 34)}…`, bytes: (v as unknown as { toU8a(): Uint8Array }).toU8a() });
    }
    startKey = keys[keys.length - 1].toHex();
    if (keys.length < 500) break;
  }
  return out;
}

export function scan(view: { where: string; bytes: Uint8Array }[], needles: Needle[]): LeakHit[] {
  const hits: LeakHit[] = [];
  for (const item of view) for (const n of needles) if (contains(item.bytes, n.bytes)) hits.push({ needle: n.label, where: item.where });
  return hits;
}

export const u128Le = (v: bigint): Uint8Array => {
  const out = new Uint8Array(16);
  let x = v;
  for (let i = 0; i < 16; i++) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
};

export const describeNeedle = (n: Needle) => `${n.label} (${u8aToHex(n.bytes).slice(0, 18)}…)`;
