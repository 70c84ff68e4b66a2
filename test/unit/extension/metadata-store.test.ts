/** Metadata a dApp provided, per network (genesis hash) and spec version. */
import type { MetadataDef } from '@polkadot/extension-inject/types';
import { MetadataStore, SPEC_VERSIONS_KEPT } from '../../../extension/background/metadata/store';
import { MemoryStorage } from './fakes';

const ONE = `0x${'01'.repeat(32)}` as const;
const TWO = `0x${'02'.repeat(32)}` as const;
const def = (genesisHash: `0x${string}`, specVersion: number): MetadataDef => ({
  chain: `chain ${genesisHash.slice(2, 4)}`, genesisHash, icon: 'substrate', ss58Format: 42, specVersion, tokenDecimals: 12, tokenSymbol: 'UNIT', types: {},
});

test('each network keeps its newest spec versions; a lookup never answers with another network\'s', async () => {
  const store = new MetadataStore(new MemoryStorage());
  for (const v of [100, 102, 101]) await store.save(def(ONE, v));
  await store.save(def(TWO, 7));
  expect(SPEC_VERSIONS_KEPT).toBe(2);
  expect(await store.known()).toEqual([{ genesisHash: ONE, specVersion: 102 }, { genesisHash: TWO, specVersion: 7 }]);
  expect((await store.get(ONE, 101))?.specVersion).toBe(101); // the payload's own version
  expect((await store.get(ONE, 100))?.specVersion).toBe(102); // dropped: the newest instead
  expect(await store.exact(ONE, 100)).toBeUndefined();
  expect((await store.get(ONE))?.specVersion).toBe(102);
  expect((await store.get(TWO, 101))?.genesisHash).toBe(TWO);
  expect(await store.get(`0x${'03'.repeat(32)}`, 7)).toBeUndefined();
});

test('the layout from before networks (one definition per genesis) still reads', async () => {
  const local = new MemoryStorage();
  await local.set({ metadata: { [ONE]: def(ONE, 5), [TWO]: def(ONE, 6), junk: 'x' } });
  const store = new MetadataStore(local);
  expect(await store.known()).toEqual([{ genesisHash: ONE, specVersion: 5 }]); // filed under the wrong genesis: dropped
  expect((await store.exact(ONE, 5))?.chain).toBe('chain 01');
});
