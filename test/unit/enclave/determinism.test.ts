/**
 * Two workers of one contract (the second provisioned with the first's contract key) fed the same
 * random blocks — deposits, real commands from keyring accounts, tampered and mis-bound envelopes —
 * reach the same state root after every block; sealing and restoring mid-way changes nothing.
 */
import fc from 'fast-check';
import { Enclave, EnclaveSecret } from '../../../contract/enclave';
import type { SecretCommand } from '../../../shared/protocol/command';
import type { AccountId, ContractId } from '../../../shared/types';
import { CONFIG, CONTRACT, Feeder, accounts, amt, asset, idOf, newEnclave, seal } from './helpers';
import type { ChainItem } from '../../helpers/test-chain';
import { withKnownContractSecret } from '../../helpers/known-secret';

/** Accounts are named by position (0..3) so scenarios can be generated before the keyring exists. */
type CommandSpec =
  | { kind: 'Transfer'; asset: number; dest: number; amount: number }
  | { kind: 'Withdraw'; dest: number; amount: number }
  | { kind: 'Issue'; symbol: string; supply: number }
  | { kind: 'Mint' | 'Burn'; asset: number; amount: number };

type Op =
  | { t: 'deposit'; who: number; amount: number }
  | { t: 'command'; who: number; command: CommandSpec }
  | { t: 'tampered'; who: number; at: number }
  | { t: 'misbound'; who: number; as: number };

let people: AccountId[];
beforeAll(async () => {
  const a = await accounts();
  people = [a.alice, a.bob, a.charlie, a.dave].map(idOf);
});

const who = fc.integer({ min: 0, max: 3 });
const small = fc.integer({ min: 0, max: 300 });
const assetNo = fc.integer({ min: 0, max: 3 });

const commandArb: fc.Arbitrary<CommandSpec> = fc.oneof(
  fc.record({ kind: fc.constant('Transfer' as const), asset: assetNo, dest: who, amount: small }),
  fc.record({ kind: fc.constant('Withdraw' as const), dest: who, amount: small }),
  fc.record({ kind: fc.constant('Issue' as const), symbol: fc.constantFrom('AAA', 'BBB', 'aaa'), supply: small }),
  fc.record({ kind: fc.constantFrom('Mint' as const, 'Burn' as const), asset: assetNo, amount: small }),
);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ t: fc.constant('deposit' as const), who, amount: fc.integer({ min: 1, max: 1000 }) }) },
  { weight: 5, arbitrary: fc.record({ t: fc.constant('command' as const), who, command: commandArb }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('tampered' as const), who, at: fc.integer({ min: 0, max: 200 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('misbound' as const), who, as: who }) },
);

function toCommand(c: CommandSpec): SecretCommand {
  switch (c.kind) {
    case 'Transfer':
      return { kind: 'Transfer', asset: asset(c.asset), dest: people[c.dest], amount: amt(c.amount) };
    case 'Withdraw':
      return { kind: 'Withdraw', dest: people[c.dest], amount: amt(c.amount) };
    case 'Issue':
      return { kind: 'Issue', symbol: c.symbol, name: 'Token', decimals: 4, supply: amt(c.supply) };
    case 'Mint':
    case 'Burn':
      return { kind: c.kind, asset: asset(c.asset), amount: amt(c.amount) };
  }
}

async function itemsOf(e: Enclave, ops: Op[]): Promise<ChainItem[]> {
  return Promise.all(ops.map(async (op): Promise<ChainItem> => {
    const sender = people[op.who];
    if (op.t === 'deposit') return { kind: 'deposit', contractId: CONTRACT, who: sender, amount: amt(op.amount) };
    if (op.t === 'command') return { kind: 'command', sender, contractId: CONTRACT, payload: await seal(e, sender, toCommand(op.command)) };
    const transfer: SecretCommand = { kind: 'Transfer', asset: asset(0), dest: people[(op.who + 1) % 4], amount: amt(1) };
    if (op.t === 'misbound') {
      // Sealed as another account (or, bound to ourselves, sealed for another contract).
      const payload = op.as === op.who ? await seal(e, sender, transfer, { contractId: 2 as ContractId }) : await seal(e, people[op.as], transfer);
      return { kind: 'command', sender, contractId: CONTRACT, payload };
    }
    const payload = await seal(e, sender, transfer);
    payload[op.at] ^= 0x10;
    return { kind: 'command', sender, contractId: CONTRACT, payload };
  }));
}

describe('two workers of one contract', () => {
  it('reach the same state root block by block, across seal → restore', async () => {
    const blocksArb = fc.array(fc.array(opArb, { maxLength: 10 }), { minLength: 2, maxLength: 5 });
    // Always also run one scenario where every kind of command succeeds, so the roots compared are not all failures.
    const busy: Op[][] = [
      [{ t: 'deposit', who: 0, amount: 500 }, { t: 'deposit', who: 3, amount: 200 }],
      [{ t: 'command', who: 0, command: { kind: 'Withdraw', dest: 1, amount: 100 } }, { t: 'command', who: 3, command: { kind: 'Issue', symbol: 'AAA', supply: 9 } }],
      [{ t: 'command', who: 3, command: { kind: 'Mint', asset: 1, amount: 5 } }, { t: 'command', who: 3, command: { kind: 'Transfer', asset: 1, dest: 2, amount: 4 } },
        { t: 'command', who: 0, command: { kind: 'Transfer', asset: 0, dest: 2, amount: 50 } }, { t: 'tampered', who: 2, at: 7 }],
    ];
    let receipts = 0;
    await fc.assert(fc.asyncProperty(blocksArb, fc.nat(), async (blocks, cut) => {
      const { secret: firstSecret, contractSecret } = withKnownContractSecret();
      let a = await newEnclave(firstSecret);
      const b = await newEnclave(EnclaveSecret.devOnlyWithContractSecret(contractSecret));
      const sealAt = cut % blocks.length;
      const feed = new Feeder();
      for (const [i, ops] of blocks.entries()) {
        const block = feed.block(await itemsOf(a, ops));
        const [ra, rb] = await Promise.all([a.ingest([block], { stateRoot: true }), b.ingest([block], { stateRoot: true })]);
        expect(ra.stateRoot).toBe(rb.stateRoot);
        expect(ra.receipts.map((r) => r.receipt)).toEqual(rb.receipts.map((r) => r.receipt));
        expect(ra.touched).toEqual(rb.touched);
        receipts += ra.receipts.length;
        if (i === sealAt) {
          const before = a.stateRoot();
          a = await Enclave.restore(firstSecret, CONFIG, a.seal());
          expect(a.stateRoot()).toBe(before);
        }
      }
      expect(a.health().lastBlock).toBe(blocks.length);
    }), { numRuns: 8, examples: [[busy, 1]] });
    expect(receipts).toBeGreaterThan(0);
  });
});
