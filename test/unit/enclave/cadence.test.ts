/**
 * Withdrawal receipts leave the enclave only at cadence boundaries (verified block numbers that are
 * multiples of the cadence), every pending one together, whatever block its withdrawal was in; a
 * restore in between keeps them held until the boundary, and a receipt paid early is not released.
 */
import { Enclave } from '../../../contract/enclave';
import { withKnownContractSecret } from '../../helpers/known-secret';
import { BlockBuilder, CONFIG, Feeder, accounts, amt, idOf, newEnclave, seal, thrown, type Accounts } from './helpers';

const CADENCE = 4;
let acc: Accounts;
beforeAll(async () => {
  acc = await accounts();
});

const seqs = (r: { receipts: { receipt: { seq: bigint } }[] }) => r.receipts.map((x) => x.receipt.seq);

async function withdrawIn(e: Enclave, feed: Feeder, amount: number) {
  const alice = idOf(acc.alice);
  const [r] = await feed.feed(e, new BlockBuilder().push(alice, await seal(e, alice, { kind: 'Withdraw', dest: idOf(acc.bob), amount: amt(amount) })));
  return r;
}

it('holds receipts until the boundary block, then releases all of them in one batch', async () => {
  const e = await newEnclave(undefined, { receiptCadence: CADENCE });
  const feed = new Feeder();
  await feed.feed(e, new BlockBuilder().deposit(idOf(acc.alice), 100)); // block 1
  expect(seqs(await withdrawIn(e, feed, 5))).toEqual([]); // block 2
  expect(seqs(await withdrawIn(e, feed, 6))).toEqual([]); // block 3
  expect(e.unpaidReceipts()).toEqual([]);
  expect(e.counts()).toMatchObject({ heldReceipts: 2, unpaidReceipts: 0 });
  const [boundary] = await feed.feed(e, new BlockBuilder()); // block 4: an empty block still is a boundary
  expect(seqs(boundary)).toEqual([1n, 2n]);
  expect(boundary.receipts.map((x) => x.receipt.amount)).toEqual([5n, 6n]);
  expect(e.unpaidReceipts()).toEqual(boundary.receipts);
  expect(e.counts()).toMatchObject({ heldReceipts: 0, unpaidReceipts: 2 });
  // Released receipts are not released again at the next boundary; a withdrawal in a boundary block goes with it.
  for (let n = 5; n < 8; n++) expect(seqs((await feed.feed(e, new BlockBuilder()))[0])).toEqual([]);
  expect(seqs(await withdrawIn(e, feed, 7))).toEqual([3n]); // block 8
});

it('keeps held receipts held across a restore, and releases them at the next boundary', async () => {
  const { secret } = withKnownContractSecret();
  const e = await newEnclave(secret, { receiptCadence: CADENCE });
  const feed = new Feeder();
  await feed.feed(e, new BlockBuilder().deposit(idOf(acc.alice), 100));
  await withdrawIn(e, feed, 5); // block 2
  const restored = await Enclave.restore(secret, { ...CONFIG, receiptCadence: CADENCE }, e.seal());
  expect(restored.unpaidReceipts()).toEqual([]);
  expect(restored.counts()).toMatchObject({ heldReceipts: 1, unpaidReceipts: 0 });
  await withdrawIn(restored, feed, 6); // block 3
  const [boundary] = await feed.feed(restored, new BlockBuilder()); // block 4
  expect(seqs(boundary)).toEqual([1n, 2n]);
  // Released, then restored again before paid: the host relays them on start.
  const again = await Enclave.restore(secret, { ...CONFIG, receiptCadence: CADENCE }, restored.seal());
  expect(again.unpaidReceipts()).toEqual(boundary.receipts);
});

it('does not release a held receipt the chain already paid (its owner relayed it early)', async () => {
  const e = await newEnclave(undefined, { receiptCadence: CADENCE });
  const feed = new Feeder();
  await feed.feed(e, new BlockBuilder().deposit(idOf(acc.alice), 100));
  await withdrawIn(e, feed, 5); // block 2: seq 1
  await withdrawIn(e, feed, 6); // block 3: seq 2
  const [boundary] = await feed.feed(e, new BlockBuilder().paid({ contractId: CONFIG.contractId, seq: 1n, dest: idOf(acc.bob), amount: 5n })); // block 4
  expect(seqs(boundary)).toEqual([2n]);
});

it('refuses a cadence that is not a whole number of blocks from 1', async () => {
  for (const receiptCadence of [0, -1, 1.5, Number.NaN]) {
    expect(await thrown(() => newEnclave(undefined, { receiptCadence }))).toMatchObject({ code: 'BadConfig' });
  }
});
