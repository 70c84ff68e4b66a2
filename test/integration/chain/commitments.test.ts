/**
 * The dev chain's commitments are Substrate's, checked through the real @polkadot/api against an
 * independent implementation (smoldot's trie, via chopsticks-executor): each header's stateRoot is
 * the state-version-1 trie root of the whole state at that block, its extrinsicsRoot the ordered trie
 * root of its extrinsics, and `state.getReadProof` proves values and absences against the stateRoot
 * with the shared verifier, at the head and at past blocks.
 */
import type { ApiPromise } from '@polkadot/api';
import type { BlockHash } from '@polkadot/types/interfaces';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { randomAsU8a } from '@polkadot/util-crypto';
import { compactIndexKey, proofFromHex, verifyReadProof } from '../../../shared/trie';
import { referenceRoot } from '../../helpers/reference-trie';
import { chainSuite, finalize, PHA, type DevKeys } from './helpers';

const suite = chainSuite();
let api: ApiPromise;
let keys: DevKeys;
beforeAll(() => ({ api, keys } = suite));

/** The stored bytes at `key` (raw `state_getStorage`: hex, or null when absent). */
async function stored(key: string, hash: string): Promise<Uint8Array | null> {
  const raw: unknown = await api.rpc.state.getStorage.raw(key, hash);
  if (raw === null) return null;
  if (typeof raw !== 'string') throw new Error('state_getStorage returned neither hex nor null');
  return hexToU8a(raw);
}

/** Every key and value of the state at `hash`, through the RPC a client would use. */
async function wholeState(hash: BlockHash): Promise<Array<[string, Uint8Array]>> {
  const out: Array<[string, Uint8Array]> = [];
  let start: string | undefined;
  for (;;) {
    const page = await api.rpc.state.getKeysPaged('0x', 1000, start, hash);
    for (const key of page) {
      const value = await stored(key.toHex(), hash.toHex());
      if (value === null) throw new Error(`a listed key has no value: ${key.toHex()}`);
      out.push([key.toHex(), value]);
    }
    if (page.length < 1000) return out;
    start = page[page.length - 1].toHex();
  }
}

test('stateRoot and extrinsicsRoot of genesis and of built blocks are Substrate\'s roots of their state and body', async () => {
  await finalize(api.tx.balances.transferKeepAlive(keys.bob.address, 5n * PHA), keys.alice);
  // Several transactions at once, so a block carries more than the timestamp inherent and one transfer.
  const senders = [keys.charlie, keys.dave, keys.eve];
  const many = await Promise.all(senders.map((from) => finalize(api.tx.balances.transferKeepAlive(keys.ferdie.address, PHA), from)));
  const head = await api.rpc.chain.getHeader();
  expect(new Set(many.map((m) => m.blockHash)).size).toBeLessThan(senders.length + 1);

  let multi = 0;
  for (let n = 0; n <= head.number.toNumber(); n++) {
    const hash = await api.rpc.chain.getBlockHash(n);
    const { block } = await api.rpc.chain.getBlock(hash);
    const body = block.extrinsics.map((x, i) => [compactIndexKey(i), x.toU8a()] as const);
    if (body.length > 2) multi++;
    expect(block.header.extrinsicsRoot.toHex()).toBe(await referenceRoot(body, 0));
    expect(block.header.stateRoot.toHex()).toBe(await referenceRoot(await wholeState(hash), 1));
  }
  expect(multi).toBeGreaterThan(0);
});

test('state.getReadProof verifies against the header\'s stateRoot: values, an absent key, at the head and at a past block', async () => {
  const before = await api.rpc.chain.getHeader();
  await finalize(api.tx.balances.transferKeepAlive(keys.bob.address, 2n * PHA), keys.alice);
  const after = await api.rpc.chain.getHeader();

  const absent = api.query.system.account.key(u8aToHex(randomAsU8a(32)));
  const asked = [api.query.system.account.key(keys.alice.address), api.query.system.events.key(), api.query.timestamp.now.key(), absent];
  expect(await stored(absent, after.hash.toHex())).toBeNull();
  for (const header of [before, after]) {
    const proof = await api.rpc.state.getReadProof(asked, header.hash);
    expect(proof.at.toHex()).toBe(header.hash.toHex());
    const proven = verifyReadProof(header.stateRoot.toU8a(), proofFromHex(proof.proof.map((n) => n.toHex())), asked);
    for (const key of asked) {
      expect(proven.get(key)).toEqual(await stored(key, header.hash.toHex()));
    }
  }
  // The two blocks differ where the transfer wrote: Alice's account, proven at each.
  const aliceAt = async (header: typeof before) => {
    const proof = await api.rpc.state.getReadProof([asked[0]], header.hash);
    return verifyReadProof(header.stateRoot.toU8a(), proof.proof.map((n) => hexToU8a(n.toHex())), [asked[0]]).get(asked[0]);
  };
  expect(await aliceAt(before)).not.toEqual(await aliceAt(after));
  // A proof is only good for its own block's root.
  const stale = await api.rpc.state.getReadProof([asked[0]], before.hash);
  expect(() => verifyReadProof(after.stateRoot.toU8a(), stale.proof.map((n) => hexToU8a(n.toHex())), [asked[0]])).toThrow('The proof holds no node');
});
