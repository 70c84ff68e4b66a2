/**
 * Ledger rules that depend on the enclave's configuration or on what a client may seal, through real
 * envelopes: withdrawals below the chain's existential deposit (minWithdraw) and issued token symbols.
 * A hostile or old client can seal these commands; the enclave must refuse them itself.
 */
import { Enclave, EnclaveError, EnclaveSecret } from '../../../contract/enclave';
import {
  BlockBuilder, CONFIG, Feeder, NATIVE, accounts, amt, balancesOf, historyOf, idOf, newEnclave, seal, thrown,
  type Accounts,
} from './helpers';
import { TEST_GENESIS } from '../../helpers/test-chain';

/** The dev chain's existential deposit: 0.01 PHA. */
const ED = 10_000_000_000n;

let acc: Accounts;
beforeAll(async () => {
  acc = await accounts();
});

async function funded(secret = EnclaveSecret.generate()) {
  const e = await newEnclave(secret, { minWithdraw: ED });
  const feed = new Feeder();
  await feed.feed(e, new BlockBuilder().deposit(idOf(acc.alice), 5n * ED));
  return { secret, e, feed };
}

describe('withdrawals below the configured minimum', () => {
  it('are refused with BelowMinimum: no receipt, nothing debited, the failure in the sender history', async () => {
    const { e, feed } = await funded();
    const alice = idOf(acc.alice);
    const dest = idOf(acc.bob);
    const [r] = await feed.feed(e, new BlockBuilder().push(alice, await seal(e, alice, { kind: 'Withdraw', dest, amount: amt(ED - 1n) })));
    expect(r.receipts).toEqual([]);
    expect(await balancesOf(e, acc.alice)).toEqual(new Map([[0, 5n * ED]]));
    expect((await historyOf(e, acc.alice)).at(-1)).toMatchObject({
      kind: 'Withdraw', direction: 'Out', asset: 0, counterparty: dest, amount: ED - 1n, outcome: { ok: false, error: 'BelowMinimum' },
    });
    expect(await historyOf(e, acc.bob)).toEqual([]);
  });

  it('of exactly the minimum are signed and paid as before', async () => {
    const { e, feed } = await funded();
    const alice = idOf(acc.alice);
    const [r] = await feed.feed(e, new BlockBuilder().push(alice, await seal(e, alice, { kind: 'Withdraw', dest: alice, amount: amt(ED) })));
    expect(r.receipts.map((x) => [x.receipt.seq, x.receipt.amount])).toEqual([[1n, ED]]);
    expect(await balancesOf(e, acc.alice)).toEqual(new Map([[0, 4n * ED]]));
  });

  it('stay refused after a restore given the same minimum; the sealed format is the one without it', async () => {
    const { secret, e, feed } = await funded();
    // A blob sealed by an enclave that had no minimum restores into one that has it, and the other way:
    // the minimum is configuration, read from the chain on each start, not sealed state.
    const plain = await newEnclave(secret);
    const fromPlain = await Enclave.restore(secret, { ...CONFIG, minWithdraw: ED }, plain.seal());
    expect(fromPlain.stateRoot()).toBe(plain.stateRoot());
    const restored = await Enclave.restore(secret, { ...CONFIG, minWithdraw: ED }, e.seal());
    expect(restored.stateRoot()).toBe(e.stateRoot());
    const alice = idOf(acc.alice);
    const [x, y] = await feed.feed([e, restored], new BlockBuilder().push(alice, await seal(e, alice, { kind: 'Withdraw', dest: alice, amount: amt(1) })));
    expect([x.receipts, y.receipts]).toEqual([[], []]);
    expect(restored.stateRoot()).toBe(e.stateRoot());
    expect((await historyOf(restored, acc.alice)).at(-1)?.outcome).toEqual({ ok: false, error: 'BelowMinimum' });
  });

  it('a minimum that is not a u128 is BadConfig, on create and on restore', async () => {
    const secret = EnclaveSecret.generate();
    const blob = (await newEnclave(secret)).seal();
    for (const minWithdraw of [-1n, 1n << 128n, 5 as unknown as bigint]) {
      const create = await thrown(() => Enclave.create(secret, { ...CONFIG, native: NATIVE, genesis: TEST_GENESIS, minWithdraw }));
      const restore = await thrown(() => Enclave.restore(secret, { ...CONFIG, minWithdraw }, blob));
      for (const err of [create, restore]) expect([err instanceof EnclaveError, (err as EnclaveError).code]).toEqual([true, 'BadConfig']);
    }
  });
});

describe('issued token symbols', () => {
  it('a sealed Issue with a look-alike symbol fails with InvalidSymbol and creates no asset', async () => {
    const e = await newEnclave();
    const feed = new Feeder();
    const bob = idOf(acc.bob);
    const lookAlike = '\u0420\u041d\u0410'; // Cyrillic "РНА", next to the native "PHA"
    await feed.feed(e, new BlockBuilder().push(bob, await seal(e, bob, { kind: 'Issue', symbol: lookAlike, name: 'Phala', decimals: 12, supply: amt(1000) })));
    expect((await historyOf(e, acc.bob)).at(-1)).toMatchObject({ kind: 'Issue', asset: 0, amount: 1000n, outcome: { ok: false, error: 'InvalidSymbol' } });
    expect(await balancesOf(e, acc.bob)).toEqual(new Map());
    await feed.feed(e, new BlockBuilder().push(bob, await seal(e, bob, { kind: 'Issue', symbol: 'GOLD', name: 'Gold', decimals: 2, supply: amt(5) })));
    expect(await balancesOf(e, acc.bob)).toEqual(new Map([[1, 5n]]));
  });
});
