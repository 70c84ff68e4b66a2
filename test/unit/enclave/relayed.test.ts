/**
 * Relayed commands through the real enclave (DESIGN.md §12): real keys of all three account schemes,
 * real envelopes, blocks of a test chain. The user signs, a relayer pushes; the ledger checks the
 * signature and the nonce, pays the fee to the pushing relayer, and applies the command as the user.
 */
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { sealBody } from '../../../shared/crypto/envelope';
import { signAsAccount } from '../../../shared/crypto/account-signature';
import { sealDummy, sealRelayed, type RelayedSeal } from '../../../shared/client/relayed';
import type { SecretCommand } from '../../../shared/protocol/command';
import type { HistoryEntry } from '../../../shared/protocol/ledger';
import { relayMessage } from '../../../shared/protocol/relay';
import type { Query } from '../../../shared/protocol/query';
import { COMMAND_ENVELOPE_SIZE } from '../../../shared/constants';
import { accountId, NATIVE_ASSET, type AccountId } from '../../../shared/types';
import { EnclaveSecret, type Enclave } from '../../../contract/enclave';
import {
  CONTRACT, GENESIS, NOW, BlockBuilder, Feeder, accounts, amt, ask, idOf, newEnclave, seal, signedRequest, type Accounts,
} from './helpers';

const PHA = 10n ** 12n;
const FEE = amt(PHA / 100n);
const userId = (p: KeyringPair): AccountId => accountId(p.addressRaw);

let keys: Accounts;
let users: KeyringPair[];
beforeAll(async () => {
  keys = await accounts();
  users = (['sr25519', 'ed25519', 'ecdsa'] as const).map((type) => new Keyring({ type }).addFromUri(`//Fresh-${type}`));
});

/** A fresh enclave where alice funds each fresh user with secret PHA only (they never sign on chain). */
async function funded(): Promise<{ e: Enclave; f: Feeder; to: RelayedSeal }> {
  const e = await newEnclave();
  const f = new Feeder();
  const b = new BlockBuilder().deposit(idOf(keys.alice), 100n * PHA);
  await f.feed(e, b);
  const gifts = new BlockBuilder();
  for (const u of users) gifts.push(idOf(keys.alice), await seal(e, idOf(keys.alice), { kind: 'Transfer', asset: NATIVE_ASSET, dest: userId(u), amount: amt(10n * PHA) }));
  await f.feed(e, gifts);
  return { e, f, to: { genesisHash: GENESIS, contractId: CONTRACT, relayer: idOf(keys.charlie), contractPub: e.contractPub } };
}

async function read<K extends Query['kind']>(e: Enclave, pair: KeyringPair, q: Query & { kind: K }) {
  return ask(e, signedRequest(e, pair, q, NOW, userId(pair)));
}
async function native(e: Enclave, pair: KeyringPair): Promise<bigint> {
  const r = await read(e, pair, { kind: 'Balances' });
  if (r.kind !== 'Balances') throw new Error(r.kind);
  return r.balances.find((b) => b.asset === NATIVE_ASSET)?.amount ?? 0n;
}
async function history(e: Enclave, pair: KeyringPair): Promise<HistoryEntry[]> {
  const r = await read(e, pair, { kind: 'History', from: 0, limit: 100 });
  if (r.kind !== 'History') throw new Error(r.kind);
  return r.entries;
}
async function nonce(e: Enclave, pair: KeyringPair): Promise<bigint> {
  const r = await read(e, pair, { kind: 'RelayNonce' });
  if (r.kind !== 'RelayNonce') throw new Error(r.kind);
  return r.next;
}
const transferTo = (dest: AccountId, amount: bigint): SecretCommand => ({ kind: 'Transfer', asset: NATIVE_ASSET, dest, amount: amt(amount) });

test.each([0, 1, 2])('a fresh account (scheme #%i) transfers through a relayer: the fee goes to the pushing relayer, the command applies as the user', async (i) => {
  const user = users[i];
  const { e, f, to } = await funded();
  const envelope = await sealRelayed(user, to, 0n, FEE, transferTo(idOf(keys.bob), 3n * PHA));
  expect(envelope.length).toBe(COMMAND_ENVELOPE_SIZE);
  const [result] = await f.feed(e, new BlockBuilder().push(to.relayer, envelope));
  expect(await native(e, user)).toBe(10n * PHA - 3n * PHA - FEE);
  expect(await native(e, keys.bob)).toBe(3n * PHA);
  expect(await native(e, keys.charlie)).toBe(FEE);
  expect(await nonce(e, user)).toBe(1n);
  const mine = (await history(e, user)).slice(-2);
  expect(mine.map((h) => [h.kind, h.direction, h.outcome.ok])).toEqual([['RelayFee', 'Out', true], ['Transfer', 'Out', true]]);
  // The relayer's entry names nobody, and the host is told only of the (public) relayer.
  const relayerEntry = (await history(e, keys.charlie)).at(-1)!;
  expect([relayerEntry.kind, relayerEntry.direction, relayerEntry.counterparty, relayerEntry.amount]).toEqual(['RelayFee', 'In', null, FEE]);
  expect(result.touched).toEqual([to.relayer]);
});

test('a replayed envelope and a reordered nonce are refused (BadNonce) and move nothing; the right nonce then applies', async () => {
  const user = users[0];
  const { e, f, to } = await funded();
  const first = await sealRelayed(user, to, 0n, FEE, transferTo(idOf(keys.bob), PHA));
  await f.feed(e, new BlockBuilder().push(to.relayer, first));
  const afterFirst = [await native(e, user), await native(e, keys.bob), await native(e, keys.charlie)];

  await f.feed(e, new BlockBuilder().push(to.relayer, first)); // replay
  const skipped = await sealRelayed(user, to, 2n, FEE, transferTo(idOf(keys.bob), PHA)); // nonce 1 not used yet
  await f.feed(e, new BlockBuilder().push(to.relayer, skipped));
  expect([await native(e, user), await native(e, keys.bob), await native(e, keys.charlie)]).toEqual(afterFirst);
  expect((await history(e, user)).slice(-2).map((h) => h.outcome)).toEqual([{ ok: false, error: 'BadNonce' }, { ok: false, error: 'BadNonce' }]);
  expect(await nonce(e, user)).toBe(1n);

  await f.feed(e, new BlockBuilder().push(to.relayer, await sealRelayed(user, to, 1n, FEE, transferTo(idOf(keys.bob), PHA))));
  expect(await native(e, keys.bob)).toBe(2n * PHA);
  expect(await nonce(e, user)).toBe(2n);
});

test('a wrong signature, another relayer, or a changed fee, command or user never applies: only the pusher gets an Invalid entry', async () => {
  const [user, other] = users;
  const { e, f, to } = await funded();
  const command = transferTo(idOf(keys.bob), PHA);
  const relayedBy = (fields: { user?: AccountId; fee?: bigint; command?: SecretCommand; signer?: KeyringPair; relayer?: AccountId }) => {
    const signature = signAsAccount(fields.signer ?? user, relayMessage(to, 0n, FEE, command));
    return sealBody(to.contractPub, { genesisHash: GENESIS, contractId: CONTRACT, signer: fields.relayer ?? to.relayer }, {
      kind: 'Relayed',
      relayed: { user: fields.user ?? userId(user), nonce: 0n, fee: amt(fields.fee ?? FEE), command: fields.command ?? command, signature },
    });
  };
  const before = await Promise.all([user, other, keys.bob, keys.charlie, keys.dave].map((p) => native(e, p)));
  const forged = [
    await relayedBy({ signer: other }), // signed by someone else
    await relayedBy({ fee: 0n }), // the fee changed
    await relayedBy({ command: transferTo(idOf(keys.charlie), 9n * PHA) }), // the command changed
    await relayedBy({ user: userId(other), signer: user }), // another user claimed
    await relayedBy({ relayer: idOf(keys.dave) }), // re-sealed for another relayer, pushed by it
  ];
  const block = new BlockBuilder();
  forged.slice(0, 4).forEach((x) => block.push(to.relayer, x));
  block.push(idOf(keys.dave), forged[4]);
  block.push(idOf(keys.dave), await sealRelayed(user, to, 0n, FEE, command)); // sealed for charlie, pushed by dave
  await f.feed(e, block);
  expect(await Promise.all([user, other, keys.bob, keys.charlie, keys.dave].map((p) => native(e, p)))).toEqual(before);
  expect(await nonce(e, user)).toBe(0n);
  expect((await history(e, keys.charlie)).map((h) => [h.kind, h.outcome])).toEqual(Array(4).fill(['Invalid', { ok: false, error: 'InvalidCommand' }]));
  expect((await history(e, keys.dave)).map((h) => h.kind)).toEqual(['Invalid', 'Invalid']);
});

test('a refused command still pays the fee and shows in the user\'s history; a fee the user cannot pay is FeeUnpaid', async () => {
  const user = users[1];
  const { e, f, to } = await funded();
  await f.feed(e, new BlockBuilder().push(to.relayer, await sealRelayed(user, to, 0n, FEE, transferTo(idOf(keys.bob), 50n * PHA))));
  expect(await native(e, user)).toBe(10n * PHA - FEE);
  expect(await native(e, keys.charlie)).toBe(FEE);
  expect((await history(e, user)).at(-1)!.outcome).toEqual({ ok: false, error: 'InsufficientBalance' });

  await f.feed(e, new BlockBuilder().push(to.relayer, await sealRelayed(user, to, 1n, amt(20n * PHA), transferTo(idOf(keys.bob), PHA))));
  expect(await native(e, user)).toBe(10n * PHA - FEE);
  expect((await history(e, user)).at(-1)!.outcome).toEqual({ ok: false, error: 'FeeUnpaid' });
  expect(await nonce(e, user)).toBe(2n);
});

test('dummy envelopes change nothing: the state root equals that of the same ledger fed an empty block, and nobody gets history', async () => {
  const secret = EnclaveSecret.generate();
  const [withDummies, withEmpty] = await Promise.all([newEnclave(secret), newEnclave(secret)]);
  const [f1, f2] = [new Feeder(), new Feeder()];
  const to: RelayedSeal = { genesisHash: GENESIS, contractId: CONTRACT, relayer: idOf(keys.charlie), contractPub: withDummies.contractPub };
  const funding = new BlockBuilder().deposit(idOf(keys.alice), 100n * PHA).deposit(idOf(keys.charlie), PHA);
  await Promise.all([f1.feed(withDummies, funding), f2.feed(withEmpty, funding)]);
  const dummies = new BlockBuilder();
  for (let i = 0; i < 4; i++) dummies.push(to.relayer, await sealDummy(to));
  const [[result]] = await Promise.all([f1.feed(withDummies, dummies), f2.feed(withEmpty, new BlockBuilder())]);
  expect(result.items).toBe(4); // counted like commands, so the host cannot tell them apart either
  expect(withDummies.stateRoot()).toBe(withEmpty.stateRoot());
  expect((await history(withDummies, keys.charlie)).map((h) => h.kind)).toEqual(['Deposit']);
  expect(await nonce(withDummies, keys.charlie)).toBe(0n);
});
