/**
 * Property: any single-byte change to anything the host hands the light client — a header, a
 * justification, an extrinsic, a proof node, the genesis header or proof, the metadata — is refused
 * with a typed LightClientError, or changes nothing (the same state and the same verified facts).
 */
import { COMMAND_ENVELOPE_SIZE } from '../../../../shared/constants';
import fc from 'fast-check';
import { LightClient, LightClientError, encodeLightClientState, type BlockInput } from '../../../../contract/enclave/light-client';
import { blake, buildBlock, codec, devKeys, genesis, phase, pushCommandTx, runtime, timestampTx, transferToTeeTx, voter, withJustification } from './chain-fixture';

const voters = [voter(1), voter(2), voter(3)];

type Field = 'header' | 'justification' | 'extrinsic' | 'proof';

function tamper(blocks: readonly BlockInput[], at: { block: number; field: Field; item: number; byte: number; xor: number }): BlockInput[] | null {
  const copy = blocks.map((b) => ({ ...b, extrinsics: [...b.extrinsics], proof: [...b.proof] }));
  const b = copy[at.block];
  const flip = (bytes: Uint8Array) => {
    const out = bytes.slice();
    out[at.byte % out.length] ^= at.xor;
    return out;
  };
  if (at.field === 'header') b.header = flip(b.header);
  else if (at.field === 'justification') {
    if (b.justification === null) return null;
    b.justification = flip(b.justification);
  } else if (at.field === 'extrinsic') b.extrinsics[at.item % b.extrinsics.length] = flip(b.extrinsics[at.item % b.extrinsics.length]);
  else b.proof[at.item % b.proof.length] = flip(b.proof[at.item % b.proof.length]);
  return copy;
}

/** Either a typed refusal, or exactly the honest outcome. */
function refusedOrSame(run: () => unknown, honest: unknown): void {
  let outcome: unknown;
  try {
    outcome = run();
  } catch (e) {
    if (!(e instanceof LightClientError)) throw e;
    return;
  }
  expect(outcome).toEqual(honest);
}

describe('a single changed byte', () => {
  let g: Awaited<ReturnType<typeof genesis>>;
  let run: BlockInput[];
  beforeAll(async () => {
    g = await genesis(voters);
    const { alice, bob } = await devKeys();
    const b1 = await buildBlock(g, {
      extrinsics: [timestampTx(6000), pushCommandTx(alice, g.hash, 0, 1, new Uint8Array(COMMAND_ENVELOPE_SIZE).fill(3)), transferToTeeTx(bob, g.hash, 0, 1, 10n ** 12n)],
      events: [...phase(0, []), ...phase(1, []), ...phase(2, [codec.event('PhalaModule', 'TransferToTee', { contractId: 1, who: bob.address, amount: 10n ** 12n })])],
    });
    const b2 = withJustification(await buildBlock(b1, {}), { setId: 0n, voters });
    run = [b1, b2];
  });

  it('in a run of blocks is refused or changes nothing', () => {
    const honest = g.client.ingest(g.state, run);
    const before = encodeLightClientState(g.state);
    fc.assert(
      fc.property(
        fc.record({
          block: fc.integer({ min: 0, max: 1 }),
          field: fc.constantFrom<Field>('header', 'justification', 'extrinsic', 'proof'),
          item: fc.nat(),
          byte: fc.nat(),
          xor: fc.integer({ min: 1, max: 255 }),
        }),
        (at) => {
          const blocks = tamper(run, at);
          if (blocks === null) return;
          refusedOrSame(() => g.client.ingest(g.state, blocks), honest);
          expect(encodeLightClientState(g.state)).toEqual(before);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('in the genesis header, its proof or the metadata is refused or changes nothing', () => {
    fc.assert(
      fc.property(fc.constantFrom('header', 'proof', 'metadata'), fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), (what, item, byte, xor) => {
        const flip = (bytes: Uint8Array) => {
          const out = bytes.slice();
          out[byte % out.length] ^= xor;
          return out;
        };
        const config = { genesisHash: g.hash, metadataHash: blake(runtime.bytes) };
        if (what === 'metadata') {
          expect(() => new LightClient(config, flip(runtime.bytes))).toThrow(LightClientError);
          return;
        }
        const header = what === 'header' ? flip(g.header) : g.header;
        const proof = what === 'proof' ? g.proof.map((n, i) => (i === item % g.proof.length ? flip(n) : n)) : g.proof;
        refusedOrSame(() => g.client.genesis(header, proof), g.state);
      }),
      { numRuns: 200 },
    );
  });
});
