/** Block ingestion: envelopes bound to signer, contract and chain; order; receipts; failures in the sender's history. */
import { COMMAND_ENVELOPE_SIZE } from '../../../shared/constants';
import { blake2b } from '@noble/hashes/blake2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import type { Enclave } from '../../../contract/enclave';
import { commandAad, sealEnvelope } from '../../../shared/crypto/envelope';
import { verifyIdentitySignature } from '../../../shared/crypto/identity';
import { COMMAND_BUCKET, encodeCommand } from '../../../shared/protocol/command';
import { receiptMessage } from '../../../shared/protocol/ledger';
import { EnclaveError, LightClientError } from '../../../contract/enclave';
import { Ledger } from '../../../contract/ledger';
import {
  BlockBuilder, CONTRACT, Feeder, GENESIS, accounts, amt, asset, balancesOf, historyOf, idOf, newEnclave, refOf, seal, thrown,
  type Accounts,
} from './helpers';

let acc: Accounts;
beforeAll(async () => {
  acc = await accounts();
});

async function funded(): Promise<{ e: Enclave; feed: Feeder }> {
  const e = await newEnclave();
  const feed = new Feeder();
  await feed.feed(e, new BlockBuilder().deposit(idOf(acc.alice), 1000).deposit(idOf(acc.bob), 500));
  return { e, feed };
}

describe('ingest', () => {
  it('applies deposits and a secret transfer; refs are blake2-256 of the payload', async () => {
    const { e, feed } = await funded();
    const payload = await seal(e, idOf(acc.alice), { kind: 'Transfer', asset: asset(0), dest: idOf(acc.charlie), amount: amt(300) });
    const [r] = await feed.feed(e, new BlockBuilder().push(idOf(acc.alice), payload));
    expect(r.stateRoot).toBeNull(); // not asked for
    expect(await balancesOf(e, acc.alice)).toEqual(new Map([[0, 700n]]));
    expect(await balancesOf(e, acc.charlie)).toEqual(new Map([[0, 300n]]));
    const [entry] = (await historyOf(e, acc.charlie));
    expect(entry).toMatchObject({ block: 2, index: 0, kind: 'Transfer', direction: 'In', ref: refOf(payload), outcome: { ok: true } });
  });

  it('touched names only accounts already public in the block, never a secret recipient', async () => {
    const { e, feed } = await funded();
    const payload = await seal(e, idOf(acc.alice), { kind: 'Transfer', asset: asset(0), dest: idOf(acc.charlie), amount: amt(1) });
    const [r] = await feed.feed(e, new BlockBuilder().push(idOf(acc.alice), payload).deposit(idOf(acc.dave), 5));
    expect(r.touched).toEqual([idOf(acc.alice), idOf(acc.dave)]);
  });

  it.each([
    ['another signer', { signer: 'bob' }],
    ['another chain', { genesisHash: blake2b(new Uint8Array([1]), { dkLen: 32 }) }],
    ['another contract', { contractId: 2 }],
  ] as const)('refuses an envelope bound to %s: InvalidCommand for the extrinsic signer, nothing moves', async (_name, bind) => {
    const { e, feed } = await funded();
    const alice = idOf(acc.alice);
    const bob = idOf(acc.bob);
    // Alice seals a transfer of her own funds to Charlie; Bob's extrinsic carries it.
    const sealedAs = 'signer' in bind ? alice : bob;
    const payload = await seal(e, sealedAs, { kind: 'Transfer', asset: asset(0), dest: idOf(acc.charlie), amount: amt(100) }, {
      genesisHash: 'genesisHash' in bind ? bind.genesisHash : undefined,
      contractId: 'contractId' in bind ? (bind.contractId as typeof CONTRACT) : undefined,
    });
    await feed.feed(e, new BlockBuilder().push(bob, payload));
    expect(await balancesOf(e, acc.alice)).toEqual(new Map([[0, 1000n]]));
    expect(await balancesOf(e, acc.bob)).toEqual(new Map([[0, 500n]]));
    expect(await balancesOf(e, acc.charlie)).toEqual(new Map());
    const last = (await historyOf(e, acc.bob)).at(-1);
    expect(last).toMatchObject({ kind: 'Invalid', outcome: { ok: false, error: 'InvalidCommand' }, ref: refOf(payload) });
    expect((await historyOf(e, acc.alice)).map((h) => h.kind)).toEqual(['Deposit']);
  });

  it('turns tampered, truncated, oversized, badly padded and garbage envelopes into InvalidCommand, never an error', async () => {
    const { e, feed } = await funded();
    const alice = idOf(acc.alice);
    const good = await seal(e, alice, { kind: 'Transfer', asset: asset(0), dest: idOf(acc.bob), amount: amt(1) });
    const flipped = good.slice();
    flipped[120] ^= 1;
    const padded = new Uint8Array(COMMAND_BUCKET);
    padded.set(encodeCommand({ kind: 'Transfer', asset: asset(0), dest: idOf(acc.bob), amount: amt(1) }));
    padded[COMMAND_BUCKET - 1] = 7; // non-zero padding, correctly sealed
    const badPadding = (await sealEnvelope('command', e.contractPub, commandAad({ genesisHash: GENESIS, contractId: CONTRACT, signer: alice }), padded)).envelope;
    const short = (await sealEnvelope('command', e.contractPub, commandAad({ genesisHash: GENESIS, contractId: CONTRACT, signer: alice }), padded.subarray(0, 100))).envelope;
    const lowOrderKey = good.slice();
    lowOrderKey.fill(0, 1, 33);
    const payloads = [flipped, badPadding, short, good.subarray(0, COMMAND_ENVELOPE_SIZE - 1), new Uint8Array([...good, 0]), randomBytes(COMMAND_ENVELOPE_SIZE), new Uint8Array(0), lowOrderKey];
    const b = new BlockBuilder();
    for (const p of payloads) b.push(alice, p);
    await feed.feed(e, b);
    const failures = (await historyOf(e, acc.alice)).slice(1);
    expect(failures).toHaveLength(payloads.length);
    for (const f of failures) expect(f.outcome).toEqual({ ok: false, error: 'InvalidCommand' });
    expect(await balancesOf(e, acc.alice)).toEqual(new Map([[0, 1000n]]));
  });

  it('ignores commands for another contract entirely', async () => {
    const { e, feed } = await funded();
    const payload = await seal(e, idOf(acc.alice), { kind: 'Transfer', asset: asset(0), dest: idOf(acc.bob), amount: amt(1) });
    const [r] = await feed.feed(e, new BlockBuilder().push(idOf(acc.alice), payload, 99));
    expect(r.touched).toEqual([]);
    expect((await historyOf(e, acc.alice)).map((h) => h.kind)).toEqual(['Deposit']);
  });

  it('credits only deposits into its own contract\'s custody: a deposit to another contract is not secret balance here', async () => {
    const { e, feed } = await funded();
    const dave = idOf(acc.dave);
    const [r] = await feed.feed(e, new BlockBuilder().deposit(dave, 700, 2).deposit(idOf(acc.alice), 5, 2));
    expect(r.touched).toEqual([]);
    expect(await balancesOf(e, acc.dave)).toEqual(new Map());
    expect(await balancesOf(e, acc.alice)).toEqual(new Map([[0, 1000n]]));
    // So a withdrawal of it through this contract fails in the depositor's own history.
    const withdraw = await seal(e, dave, { kind: 'Withdraw', dest: dave, amount: amt(700) });
    const [w] = await feed.feed(e, new BlockBuilder().push(dave, withdraw));
    expect(w.receipts).toEqual([]);
    expect((await historyOf(e, acc.dave)).map((h) => h.outcome)).toEqual([{ ok: false, error: 'InsufficientBalance' }]);
  });

  it('applies only commands the chain executed successfully: one the pallet refused is not a command at all', async () => {
    const { e, feed } = await funded();
    const alice = idOf(acc.alice);
    const payload = await seal(e, alice, { kind: 'Transfer', asset: asset(0), dest: idOf(acc.bob), amount: amt(9) });
    const [r] = await feed.feed(e, new BlockBuilder().push(alice, payload, CONTRACT, false));
    expect(r.touched).toEqual([]);
    expect(await balancesOf(e, acc.alice)).toEqual(new Map([[0, 1000n]]));
    expect((await historyOf(e, acc.alice)).map((h) => h.kind)).toEqual(['Deposit']);
  });

  it('accepts each block once, in chain order: a block fed again or a skipped block is refused and changes nothing', async () => {
    const e = await newEnclave();
    const feed = new Feeder();
    const alice = idOf(acc.alice);
    const b1 = feed.block(new BlockBuilder().deposit(alice, 10));
    await e.ingest([b1]);
    const b2 = feed.block(new BlockBuilder().deposit(alice, 10));
    const b3 = feed.block(new BlockBuilder().deposit(alice, 10));
    for (const [run, code] of [[[b1], 'BrokenParentLink'], [[b3], 'BrokenParentLink'], [[b2, b2], 'BrokenParentLink']] as const) {
      const err = await thrown(() => e.ingest(run));
      expect(err).toBeInstanceOf(LightClientError);
      expect((err as LightClientError).code).toBe(code);
    }
    expect(e.lastBlock).toBe(1);
    expect(await balancesOf(e, acc.alice)).toEqual(new Map([[0, 10n]]));
    // Still healthy: the next blocks apply, as a run too.
    await e.ingest([b2, b3]);
    expect(e.health()).toMatchObject({ lastBlock: 3, lastBlockHash: b3.hash, contractId: CONTRACT, authoritySetId: '0' });
    expect(await balancesOf(e, acc.alice)).toEqual(new Map([[0, 30n]]));
  });

  it('serialises blocks the host does not await', async () => {
    const e = await newEnclave();
    const feed = new Feeder();
    const alice = idOf(acc.alice);
    const payload = await seal(e, alice, { kind: 'Withdraw', dest: idOf(acc.bob), amount: amt(1) });
    const blocks = [1, 2, 3].map(() => feed.block(new BlockBuilder().deposit(alice, 1).push(alice, payload)));
    const results = await Promise.all(blocks.map((b) => e.ingest([b])));
    expect(results.map((r) => r.receipts[0].receipt.seq)).toEqual([1n, 2n, 3n]);
  });

  it('signs withdraw receipts with the enclave identity; seqs never repeat', async () => {
    const { e, feed } = await funded();
    const dest = idOf(acc.dave);
    const b = new BlockBuilder();
    for (const n of [1, 2, 3]) b.push(idOf(acc.alice), await seal(e, idOf(acc.alice), { kind: 'Withdraw', dest, amount: amt(n) }));
    b.push(idOf(acc.bob), await seal(e, idOf(acc.bob), { kind: 'Withdraw', dest, amount: amt(5000) })); // more than Bob has
    const [r] = await feed.feed(e, b);
    expect(r.receipts.map((x) => x.receipt.seq)).toEqual([1n, 2n, 3n]);
    for (const { receipt, signature } of r.receipts) {
      expect(receipt).toMatchObject({ contractId: CONTRACT, dest });
      expect(verifyIdentitySignature(signature, receiptMessage(GENESIS, receipt), e.identityPub)).toBe(true);
      expect(verifyIdentitySignature(signature, receiptMessage(blake2b(GENESIS, { dkLen: 32 }), receipt), e.identityPub)).toBe(false);
    }
    expect((await historyOf(e, acc.bob)).at(-1)?.outcome).toEqual({ ok: false, error: 'InsufficientBalance' });
  });

  it('refuses mint and burn by anyone but the issuer (NotIssuer) and withdraws only the native asset', async () => {
    const { e, feed } = await funded();
    const [alice, bob] = [idOf(acc.alice), idOf(acc.bob)];
    await feed.feed(e, new BlockBuilder().push(bob, await seal(e, bob, { kind: 'Issue', symbol: 'GOLD', name: 'Gold', decimals: 2, supply: amt(50) })));
    await feed.feed(e, new BlockBuilder()
      .push(alice, await seal(e, alice, { kind: 'Mint', asset: asset(1), amount: amt(10) }))
      .push(alice, await seal(e, alice, { kind: 'Burn', asset: asset(1), amount: amt(10) }))
      .push(bob, await seal(e, bob, { kind: 'Transfer', asset: asset(1), dest: alice, amount: amt(20) })));
    const aliceHistory = await historyOf(e, acc.alice);
    expect(aliceHistory.slice(-3).map((h) => [h.kind, h.outcome])).toEqual([
      ['Mint', { ok: false, error: 'NotIssuer' }],
      ['Burn', { ok: false, error: 'NotIssuer' }],
      ['Transfer', { ok: true, receiptSeq: null }],
    ]);
    // Withdraw has no asset field: it always takes asset 0. Charlie holds only GOLD, so withdrawing
    // fails on the native balance and his GOLD is untouched; the only way to move GOLD is a Transfer.
    const charlie = idOf(acc.charlie);
    await feed.feed(e, new BlockBuilder().push(alice, await seal(e, alice, { kind: 'Transfer', asset: asset(1), dest: charlie, amount: amt(5) })));
    const [r] = await feed.feed(e, new BlockBuilder().push(charlie, await seal(e, charlie, { kind: 'Withdraw', dest: charlie, amount: amt(5) })));
    expect(r.receipts).toEqual([]);
    expect((await historyOf(e, acc.charlie)).at(-1)).toMatchObject({ kind: 'Withdraw', asset: 0, outcome: { ok: false, error: 'InsufficientBalance' } });
    expect(await balancesOf(e, acc.charlie)).toEqual(new Map([[1, 5n]]));
    expect(await balancesOf(e, acc.alice)).toEqual(new Map([[0, 1000n], [1, 15n]]));
  });

  it('halts after an internal failure mid-block instead of applying part of a block twice', async () => {
    const { e, feed } = await funded();
    const alice = idOf(acc.alice);
    const payload = await seal(e, alice, { kind: 'Transfer', asset: asset(0), dest: idOf(acc.bob), amount: amt(1) });
    const spy = jest.spyOn(Ledger.prototype, 'apply').mockImplementationOnce(() => {
      throw new Error('simulated fault');
    });
    const block = feed.block(new BlockBuilder().deposit(alice, 5).push(alice, payload)); // the deposit applies, then the fault
    expect((await thrown(() => e.ingest([block]))).message).toBe('simulated fault');
    spy.mockRestore();
    for (const again of [() => e.ingest([block]), () => e.seal(), () => e.stateRoot(), () => balancesOf(e, acc.alice)]) {
      const err = await thrown(again);
      expect(err).toBeInstanceOf(EnclaveError);
      expect((err as EnclaveError).code).toBe('Halted');
    }
    expect(e.lastBlock).toBe(1);
  });
});
