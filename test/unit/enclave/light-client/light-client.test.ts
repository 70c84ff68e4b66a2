/**
 * The light client refuses everything a hostile host could hand over instead of the chain's own
 * blocks, and each refusal leaves its state as it was: the next honest block is still accepted.
 */
import { COMMAND_ENVELOPE_SIZE } from '../../../../shared/constants';
import { LightClientError, decodeLightClientState, encodeLightClientState, type BlockInput, type LightClientState, type LightClient } from '../../../../contract/enclave/light-client';
import { toHex } from '../../../../shared/types';
import {
  blake, buildBlock, codec, devKeys, failed, genesis, justify, phase, pushCommandTx, scheduledChange, timestampTx, transferToTeeTx,
  voter, withJustification, type BuiltBlock,
} from './chain-fixture';

const voters = [voter(1), voter(2), voter(3), voter(4)];
const outsider = voter(99);
const set0 = { setId: 0n, voters };

type Genesis = Awaited<ReturnType<typeof genesis>>;
let g: Genesis;
beforeAll(async () => {
  g = await genesis(voters);
});

/** Refused with `code`, and the state handed in is unchanged and still accepts `honest`. */
function expectRefused(client: LightClient, state: LightClientState, blocks: readonly BlockInput[], code: string, honest?: readonly BlockInput[]) {
  const before = encodeLightClientState(state);
  let error: unknown = null;
  try {
    client.ingest(state, blocks);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(LightClientError);
  expect((error as LightClientError).code).toBe(code);
  expect(encodeLightClientState(state)).toEqual(before);
  if (honest) expect(client.ingest(state, honest).state.lastNumber).toBe(state.lastNumber + honest.length);
}

async function finalizedBlock(parent: { hash: Uint8Array; number: number }, spec: Parameters<typeof buildBlock>[1] = {}): Promise<BuiltBlock> {
  return withJustification(await buildBlock(parent, spec), set0);
}

describe('an honest block', () => {
  it('yields the commands, outcomes and deposits of its verified body and events', async () => {
    const { alice, bob } = await devKeys();
    const payload = new Uint8Array(COMMAND_ENVELOPE_SIZE).fill(7);
    const extrinsics = [
      timestampTx(6000),
      pushCommandTx(alice, g.hash, 0, 1, payload),
      transferToTeeTx(bob, g.hash, 0, 1, 5_000_000_000_000n),
      pushCommandTx(bob, g.hash, 1, 2, payload),
    ];
    const events = [
      ...phase(0, []),
      ...phase(1, [codec.event('PhalaModule', 'CommandPushed', { contractId: 1, sender: alice.address, payloadHash: blake(payload) })]),
      ...phase(2, [codec.event('PhalaModule', 'TransferToTee', { contractId: 1, who: bob.address, amount: 5_000_000_000_000n })]),
      ...phase(3, [], failed()),
    ];
    const b1 = await finalizedBlock(g, { extrinsics, events });
    const { state, blocks } = g.client.ingest(g.state, [b1]);

    expect(state.lastNumber).toBe(1);
    expect(state.lastHash).toEqual(b1.hash);
    const [block] = blocks;
    expect(block.hash).toBe(toHex(b1.hash));
    expect(block.inputs.commands).toEqual([
      { index: 1, sender: toHex(alice.publicKey), contractId: 1, payload, success: true },
      { index: 3, sender: toHex(bob.publicKey), contractId: 2, payload, success: false },
    ]);
    expect(block.inputs.deposits).toEqual([{ index: 2, contractId: 1, who: toHex(bob.publicKey), amount: 5_000_000_000_000n }]);
    expect(block.inputs.receiptsPaid).toEqual([]);
  });

  it('is finalized by a later block of the same run, or by precommits for its descendants', async () => {
    const b1 = await buildBlock(g, {});
    const b2 = await buildBlock(b1, {});
    const run = g.client.ingest(g.state, [b1, withJustification(b2, set0)]);
    expect(run.blocks.map((b) => b.number)).toEqual([1, 2]);

    // A commit for b1 whose voters precommitted b2: the ancestry header links b2 back to b1.
    const viaDescendant = { ...b1, justification: justify(b1, { ...set0, targets: voters.map(() => b2), ancestries: [b2.header] }) };
    expect(g.client.ingest(g.state, [viaDescendant]).state.lastNumber).toBe(1);
  });
});

describe("a body that is not the block's", () => {
  let b1: BuiltBlock;
  let other: BuiltBlock;
  beforeAll(async () => {
    const { alice } = await devKeys();
    const extrinsics = [timestampTx(6000), pushCommandTx(alice, g.hash, 0, 1, new Uint8Array(COMMAND_ENVELOPE_SIZE)), pushCommandTx(alice, g.hash, 1, 1, new Uint8Array(COMMAND_ENVELOPE_SIZE).fill(1))];
    b1 = await finalizedBlock(g, { extrinsics, events: [...phase(0, []), ...phase(1, []), ...phase(2, [])] });
    other = await finalizedBlock(g, { extrinsics: [timestampTx(12000)] });
  });
  const honest = () => [b1];

  it.each([
    ['reordered', (x: Uint8Array[]) => [x[0], x[2], x[1]]],
    ['dropped', (x: Uint8Array[]) => x.slice(0, 2)],
    ['inserted', (x: Uint8Array[]) => [...x, x[1]]],
  ])('%s extrinsics are refused', (_, change) => {
    expectRefused(g.client, g.state, [{ ...b1, extrinsics: change([...b1.extrinsics]) }], 'ExtrinsicsRootMismatch', honest());
  });

  it("another block's body is refused", () => {
    expectRefused(g.client, g.state, [{ ...b1, extrinsics: other.extrinsics }], 'ExtrinsicsRootMismatch', honest());
  });
});

describe('justifications', () => {
  let b1: BuiltBlock;
  beforeAll(async () => {
    b1 = await buildBlock(g, {});
  });
  const honest = () => [withJustification(b1, set0)];
  const refusedWith = (justification: Uint8Array | null, code: string) =>
    expectRefused(g.client, g.state, [{ ...b1, justification }], code, honest());

  it('a missing one is refused', () => refusedWith(null, 'NotFinalized'));
  it('a forged signature is refused', () => {
    const j = justify(b1, set0);
    j[j.length - 40] ^= 1; // inside the last precommit's signature
    refusedWith(j, 'BadJustification');
  });
  it('an under-weight one (2 of 4 equal voters) is refused', () => refusedWith(justify(b1, { setId: 0n, voters: voters.slice(0, 2) }), 'BadJustification'));
  it('one signed for another set id is refused', () => refusedWith(justify(b1, { setId: 1n, voters }), 'BadJustification'));
  it('one signed for another round than it claims is refused', () => {
    const j = justify(b1, { ...set0, round: 7n });
    j[0] = 8;
    refusedWith(j, 'BadJustification');
  });
  it('a voter outside the set is refused', () => refusedWith(justify(b1, { setId: 0n, voters: [...voters.slice(0, 3), outsider] }), 'UnknownAuthoritySet'));
  it('a duplicate voter is refused', () => refusedWith(justify(b1, { setId: 0n, voters: [voters[0], voters[1], voters[1]] }), 'BadJustification'));
  it("a replayed one (another block's) is refused", async () => {
    const b2 = await buildBlock(b1, {});
    refusedWith(justify(b2, set0), 'BadJustification');
    const { state } = g.client.ingest(g.state, honest());
    expectRefused(g.client, state, [{ ...b2, justification: justify(b1, set0) }], 'BadJustification', [withJustification(b2, set0)]);
  });
  it('precommits for a block off the target, or unused ancestry headers, are refused', async () => {
    const b2 = await buildBlock(b1, {});
    const sibling = await buildBlock(g, { extrinsics: [timestampTx(1)] });
    refusedWith(justify(b1, { ...set0, targets: voters.map(() => b2) }), 'BadJustification'); // no ancestry given
    refusedWith(justify(b1, { ...set0, targets: voters.map(() => sibling), ancestries: [sibling.header] }), 'BadJustification');
    refusedWith(justify(b1, { ...set0, ancestries: [b2.header] }), 'BadJustification');
  });
  it('trailing bytes are refused', () => refusedWith(new Uint8Array([...justify(b1, set0), 0]), 'BadJustification'));
});

describe('headers', () => {
  it('a fork (a second header at an accepted height) is refused', async () => {
    const a1 = await finalizedBlock(g, {});
    const b1 = await finalizedBlock(g, { extrinsics: [timestampTx(1)] });
    const { state } = g.client.ingest(g.state, [a1]);
    const a2 = await finalizedBlock(a1, {});
    expectRefused(g.client, state, [b1], 'BrokenParentLink', [a2]);
  });

  it('a block fed twice is refused', async () => {
    const b1 = await finalizedBlock(g, {});
    const b2 = await finalizedBlock(b1, {});
    const { state } = g.client.ingest(g.state, [b1]);
    expectRefused(g.client, state, [b1], 'BrokenParentLink', [b2]);
    expectRefused(g.client, g.state, [b1, b1], 'BrokenParentLink', [b1]);
  });

  it('a header with a wrong parent, or a gap, is refused', async () => {
    const b1 = await finalizedBlock(g, {});
    const b2 = await finalizedBlock(b1, {});
    expectRefused(g.client, g.state, [b2], 'BrokenParentLink', [b1]);
    const orphan = await finalizedBlock({ hash: new Uint8Array(32).fill(9), number: 0 }, {});
    expectRefused(g.client, g.state, [orphan], 'BrokenParentLink', [b1]);
  });

  it('a runtime upgrade is refused until the enclave is configured for it', async () => {
    const b1 = await finalizedBlock(g, { digest: [{ kind: 'runtimeEnvironmentUpdated' }] });
    expectRefused(g.client, g.state, [b1], 'RuntimeUpgraded');
  });
});

describe('read proofs', () => {
  let b1: BuiltBlock;
  let b2: BuiltBlock;
  let state1: LightClientState;
  beforeAll(async () => {
    b1 = await finalizedBlock(g, {});
    b2 = await finalizedBlock(b1, {});
    state1 = g.client.ingest(g.state, [b1]).state;
  });

  it('a proof for another block is refused', () => {
    expectRefused(g.client, g.state, [{ ...b1, proof: b2.proof }], 'BadProof', [b1]);
  });
  it("a stale proof (the parent block's events) is refused", () => {
    expectRefused(g.client, state1, [{ ...b2, proof: b1.proof }], 'BadProof', [b2]);
  });
  it('an invented deposit is refused: its events do not prove against the state root', async () => {
    const { bob } = await devKeys();
    const invented = phase(0, [codec.event('PhalaModule', 'TransferToTee', { contractId: 1, who: bob.address, amount: 500_000_000_000_000n })]);
    const forged = await buildBlock(g, { events: invented });
    expectRefused(g.client, g.state, [{ ...b1, proof: forged.proof }], 'BadProof', [b1]);
  });
  it('events naming an extrinsic the body lacks are refused', async () => {
    const b = await finalizedBlock(g, { events: [...phase(0, []), ...phase(1, [])] });
    expectRefused(g.client, g.state, [b], 'BadEvents', [b1]);
  });
});

describe('authority-set changes', () => {
  const next = [voter(11), voter(12), voter(13)];
  const set1 = { setId: 1n, voters: next };

  it('are enacted when the scheduled block is finalized by the old set; the new set signs after', async () => {
    const b1 = await finalizedBlock(g, { digest: [scheduledChange(next, 1)] });
    const b2 = await buildBlock(b1, {});
    const b3 = await buildBlock(b2, {});
    const { state: s1 } = g.client.ingest(g.state, [b1]);
    expect(s1.pending?.enactAt).toBe(2);
    expect(s1.set.setId).toBe(0n);

    // The enacting block needs its own justification, by the old set.
    expectRefused(g.client, s1, [b2, withJustification(b3, set1)], 'NotFinalized');
    expectRefused(g.client, s1, [withJustification(b2, set1)], 'UnknownAuthoritySet');
    const { state: s2 } = g.client.ingest(s1, [withJustification(b2, set0)]);
    expect(s2.set.setId).toBe(1n);
    expect(s2.pending).toBeNull();

    // After it the old set's word counts for nothing, and the new set must sign with set id 1.
    expectRefused(g.client, s2, [withJustification(b3, set0)], 'UnknownAuthoritySet');
    expectRefused(g.client, s2, [withJustification(b3, { setId: 0n, voters: next })], 'BadJustification');
    expect(g.client.ingest(s2, [withJustification(b3, set1)]).state.lastNumber).toBe(3);

    // The same, in one run ending after the change.
    const run = g.client.ingest(g.state, [b1, withJustification(b2, set0), withJustification(b3, set1)]);
    expect(encodeLightClientState(run.state)).toEqual(encodeLightClientState(g.client.ingest(s2, [withJustification(b3, set1)]).state));
  });

  it('with delay 0 are enacted by the scheduling block itself', async () => {
    const b1 = await finalizedBlock(g, { digest: [scheduledChange(next, 0)] });
    expect(g.client.ingest(g.state, [b1]).state.set.setId).toBe(1n);
  });

  it('forced changes, and a second change while one is pending, are refused', async () => {
    const scheduled = scheduledChange(next, 1);
    if (scheduled.kind !== 'consensus') throw new Error('expected a consensus digest item');
    // ConsensusLog::ForcedChange(median u32, ScheduledChange): tag 2, then the change as scheduled.
    const forced = { ...scheduled, data: new Uint8Array([2, 0, 0, 0, 0, ...scheduled.data.subarray(1)]) };
    expectRefused(g.client, g.state, [await finalizedBlock(g, { digest: [forced] })], 'UnsupportedAuthorityChange');
    const b1 = await finalizedBlock(g, { digest: [scheduledChange(next, 5)] });
    const { state } = g.client.ingest(g.state, [b1]);
    expectRefused(g.client, state, [await finalizedBlock(b1, { digest: [scheduledChange(voters, 1)] })], 'UnsupportedAuthorityChange');
  });
});

describe('configuration', () => {
  it('starts only from the pinned genesis and metadata, with the set proven against the genesis state root', async () => {
    const { LightClient } = await import('../../../../contract/enclave/light-client');
    const { runtime } = await import('./chain-fixture');
    expect(g.state.set.authorities.map((a) => toHex(a.id))).toEqual(voters.map((v) => toHex(v.id)));
    expect(() => new LightClient({ genesisHash: g.hash, metadataHash: new Uint8Array(32) }, runtime.bytes)).toThrow(LightClientError);
    const other = await genesis([voter(5)], 3n);
    expect(other.state.set.setId).toBe(3n);
    expect(() => g.client.genesis(other.header, other.proof)).toThrow(LightClientError);
    expect(() => g.client.genesis(g.header, other.proof)).toThrow(expect.objectContaining({ code: 'BadProof' }));
  });
});

describe('sealed state', () => {
  it('round-trips canonically, pending change included, and a restored state follows the chain on', async () => {
    const next = [voter(21), voter(22)];
    const b1 = await finalizedBlock(g, { digest: [scheduledChange(next, 2)] });
    const b2 = await finalizedBlock(b1, {});
    const { state } = g.client.ingest(g.state, [b1]);
    const sealed = encodeLightClientState(state);
    const restored = decodeLightClientState(sealed);
    expect(restored).toEqual(state);
    expect(encodeLightClientState(restored)).toEqual(sealed);
    expect(encodeLightClientState(g.client.ingest(restored, [b2]).state)).toEqual(encodeLightClientState(g.client.ingest(state, [b2]).state));
  });

  it('refuses bytes that are not a state', () => {
    const sealed = encodeLightClientState(g.state);
    for (const bad of [sealed.subarray(1), new Uint8Array([...sealed, 0]), new Uint8Array([2, ...sealed.subarray(1)])]) {
      expect(() => decodeLightClientState(bad)).toThrow(expect.objectContaining({ code: 'BadConfig' }));
    }
  });
});
