/**
 * PhalaModule through the real @polkadot/api: custody deposits, withdraw receipts (forged,
 * unregistered, reused, out of order, relayed unsigned), worker registration against the chain's
 * own dev attestation authority, root-only measurement governance, and custody per contract
 * (contracts only root creates, each paying receipts from its own custody account).
 */
import { COMMAND_ENVELOPE_SIZE } from '../../../shared/constants';
import { readFileSync, statSync } from 'node:fs';
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, randomAsU8a } from '@polkadot/util-crypto';
import { startChain, type RunningChain } from '../../../contract/chain/index';
import { signDevAttestation, verifyDevAttestation } from '../../../shared/crypto/attestation';
import { generateIdentitySeed, identityFromSeed, type IdentityKey } from '../../../shared/crypto/identity';
import { decodeAttestation, DEV_MEASUREMENT, encodeAttestation } from '../../../shared/protocol/attestation';
import { custodyAccount } from '../../../shared/protocol/custody';
import { receiptMessage, type WithdrawReceipt } from '../../../shared/protocol/ledger';
import { accountId, accountIdToAddress, amount, contractId, fromHex, hash32, type Hash } from '../../../shared/types';
import { connect, devKeys, finalize, freeBalance, PHA } from './helpers';
import { shutdown } from '../../helpers/teardown';

let node: RunningChain;
let api: ApiPromise;
let keys: Awaited<ReturnType<typeof devKeys>>;
let authority: IdentityKey;
let custody: string;

beforeAll(async () => {
  node = await startChain({ port: 0 });
  api = await connect(node.url);
  keys = await devKeys();
  authority = identityFromSeed(fromHex(readFileSync(node.devAuthoritySeedPath, 'utf8').trim()));
  custody = custodyAccount(contractId(1));
  // polkadot-js logs every refused submission to console.error; the assertions say what matters.
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterAll(async () => {
  jest.restoreAllMocks();
  await shutdown(api, async () => node?.close());
});

const genesis = () => fromHex(node.genesisHash);

interface Worker {
  identity: IdentityKey;
  ecdhPub: Uint8Array;
}

function newWorker(ecdhPub: Uint8Array = randomAsU8a(32)): Worker {
  return { identity: identityFromSeed(generateIdentitySeed()), ecdhPub };
}

function report(w: Worker, contract: number, opts: { measurement?: Hash; signer?: IdentityKey } = {}): string {
  const signed = signDevAttestation(opts.signer ?? authority, genesis(), {
    provider: 'Dev', contractId: contractId(contract), measurement: opts.measurement ?? DEV_MEASUREMENT,
    identityPub: w.identity.publicKey, ecdhPub: w.ecdhPub, issuedAt: BigInt(Date.now()),
  });
  return u8aToHex(encodeAttestation(signed));
}

const register = (w: Worker, contract: number, opts: Parameters<typeof report>[2] = {}) =>
  api.tx.phalaModule.registerWorker(w.identity.publicKey, w.ecdhPub, report(w, contract, opts));

function receipt(contract: number, seq: bigint, dest: string, value: bigint, signer: IdentityKey) {
  const r: WithdrawReceipt = { contractId: contractId(contract), seq, dest: accountId(dest), amount: amount(value) };
  return api.tx.phalaModule.transferToChain({ contractId: r.contractId, seq: r.seq, dest: r.dest, amount: r.amount }, signer.sign(receiptMessage(genesis(), r)));
}

/** The refusal a signed submission gets, or throws when it was accepted. */
async function refusal(tx: SubmittableExtrinsic<'promise'>, signer = keys.ferdie): Promise<string> {
  try {
    await tx.signAndSend(signer);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the transaction was accepted');
}

test('the dev attestation authority is per chain: seed file 0600, its key in storage, DEV_MEASUREMENT allowed', async () => {
  expect(statSync(node.devAuthoritySeedPath).mode & 0o777).toBe(0o600);
  expect((await api.query.phalaModule.devAttestationAuthority()).toHex()).toBe(u8aToHex(authority.publicKey));
  expect((await api.query.phalaModule.allowedMeasurements(DEV_MEASUREMENT)).toJSON()).toBe(true);
  const other = await startChain({ port: 0 });
  try {
    expect(readFileSync(other.devAuthoritySeedPath, 'utf8')).not.toBe(readFileSync(node.devAuthoritySeedPath, 'utf8'));
  } finally {
    await other.close();
  }
});

/** Governance creates a contract through sudo; resolves to its id and custody from the event. */
async function createContract(): Promise<{ id: number; custody: string }> {
  const result = await finalize(api.tx.sudo.sudo(api.tx.phalaModule.createContract()), keys.alice);
  const created = result.events.map((e) => e.event).find((e) => api.events.phalaModule.ContractCreated.is(e));
  if (!created || !api.events.phalaModule.ContractCreated.is(created)) throw new Error('no ContractCreated event');
  return { id: created.data.contractId.toNumber(), custody: created.data.custody.toHex() };
}

test('genesis created contract 1; its custody is the documented PalletId sub-account, kept alive by the existential deposit', async () => {
  expect(u8aToHex(api.consts.phalaModule.palletId)).toBe(u8aToHex(new TextEncoder().encode('phala/cu')));
  // "modl" | "phala/cu" | 1u32 LE, zero-padded: as Substrate's into_sub_account_truncating derives it.
  expect(custody).toBe(`0x6d6f646c7068616c612f6375${'01000000'}${'00'.repeat(16)}`);
  expect(accountIdToAddress(accountId(custody))).toBe('5EYCAe5iixJKLJE62PCmERCb6Dua7uCtWqqyj5txxxnK9ajC');
  expect((await api.query.phalaModule.contracts(1)).unwrap().custody.toHex()).toBe(custody);
  expect((await api.query.phalaModule.contractCount()).toNumber()).toBe(1);
  expect(await freeBalance(api, custody)).toBe(api.consts.balances.existentialDeposit.toBigInt());
});

test('transferToTee moves funds into the named contract\'s custody and says which contract', async () => {
  const before = await freeBalance(api, custody);
  const result = await finalize(api.tx.phalaModule.transferToTee(1, 100n * PHA), keys.alice);
  expect(result.names).toEqual(expect.arrayContaining(['phalaModule.TransferToTee', 'balances.Transfer']));
  const event = result.events.map((e) => e.event).find((e) => api.events.phalaModule.TransferToTee.is(e));
  if (!event || !api.events.phalaModule.TransferToTee.is(event)) throw new Error('no TransferToTee event');
  const { contractId: id, who, amount: value } = event.data;
  expect([id.toNumber(), who.toString(), value.toBigInt()]).toEqual([1, keys.alice.address, 100n * PHA]);
  expect(await freeBalance(api, custody)).toBe(before + 100n * PHA);
  expect(await refusal(api.tx.phalaModule.transferToTee(1, 0))).toMatch(/^1010: .*ZeroAmount/);
});

test('a deposit or a command for a contract governance never created is refused before it costs anything', async () => {
  const before = await freeBalance(api, keys.alice.address);
  expect(await refusal(api.tx.phalaModule.transferToTee(77, PHA), keys.alice)).toMatch(/^1010: .*UnknownContract/);
  expect(await refusal(api.tx.phalaModule.pushCommand(77, u8aToHex(new Uint8Array(COMMAND_ENVELOPE_SIZE))), keys.alice)).toMatch(/^1010: .*UnknownContract/);
  expect(await freeBalance(api, keys.alice.address)).toBe(before);
});

describe('workers and receipts', () => {
  const worker = newWorker();

  test('registerWorker with a dev report signed by this chain\'s authority', async () => {
    const attestation = report(worker, 1);
    const result = await finalize(api.tx.phalaModule.registerWorker(worker.identity.publicKey, worker.ecdhPub, attestation), keys.bob);
    expect(result.names).toContain('phalaModule.WorkerRegistered');
    const key = (await api.query.phalaModule.contractKeys(1)).toJSON() as Record<string, string>;
    expect(key).toEqual({ ecdhPub: u8aToHex(worker.ecdhPub), identityPub: u8aToHex(worker.identity.publicKey), measurement: DEV_MEASUREMENT });
    const info = (await api.query.phalaModule.workers(worker.identity.publicKey)).toJSON() as Record<string, unknown>;
    expect(info).toEqual({ contractId: 1, ecdhPub: u8aToHex(worker.ecdhPub), measurement: DEV_MEASUREMENT });
    // Clients can read the report back and check it against the authority key in storage.
    const bytes = (await api.query.phalaModule.contractAttestation(1)).unwrap().toU8a(true);
    expect(u8aToHex(bytes)).toBe(attestation);
    const authorityPub = (await api.query.phalaModule.devAttestationAuthority()).unwrap().toU8a();
    expect(verifyDevAttestation(decodeAttestation(bytes), genesis(), authorityPub)).toBe(true);
  });

  test('a second worker must present the contract key; a worker with another key is refused', async () => {
    await finalize(register(newWorker(worker.ecdhPub), 1), keys.bob);
    expect((await api.query.phalaModule.contractWorkers(1)).toJSON()).toHaveLength(2);
    expect(await refusal(register(newWorker(), 1))).toMatch(/^1010: .*ContractKeyMismatch/);
  });

  test('registration with an unknown measurement or a forged report is refused', async () => {
    const unknown = hash32(randomAsU8a(32));
    expect(await refusal(register(newWorker(), 9, { measurement: unknown }))).toMatch(/^1010: .*MeasurementNotAllowed/);
    expect(await refusal(register(newWorker(), 9, { signer: identityFromSeed(generateIdentitySeed()) }))).toMatch(/^1010: .*BadAttestationSignature/);
    const w = newWorker();
    expect(await refusal(api.tx.phalaModule.registerWorker(w.identity.publicKey, randomAsU8a(32), report(w, 1)))).toMatch(/^1010: .*KeyMismatch/);
    expect(await refusal(api.tx.phalaModule.registerWorker(w.identity.publicKey, w.ecdhPub, '0x0102'))).toMatch(/^1010: .*BadAttestation/);
  });

  test('a genuine registration for a contract id governance never created is refused', async () => {
    const count = (await api.query.phalaModule.contractCount()).toNumber();
    const w = newWorker();
    expect(await refusal(register(w, count + 1))).toMatch(/^1010: .*UnknownContract/);
    expect(await refusal(register(w, 4_000_000_000))).toMatch(/^1010: .*UnknownContract/);
    expect((await api.query.phalaModule.workers(w.identity.publicKey)).isNone).toBe(true);
    expect((await api.query.phalaModule.contractKeys(count + 1)).isNone).toBe(true);
  });

  test('a valid receipt pays once; any unused seq pays, in any order', async () => {
    await finalize(api.tx.phalaModule.transferToTee(1, 50n * PHA), keys.alice);
    const dest = keys.charlie.address;
    const before = await freeBalance(api, dest);
    const custodyBefore = await freeBalance(api, custody);

    const paid5 = await finalize(receipt(1, 5n, dest, 7n * PHA, worker.identity), keys.ferdie);
    expect(paid5.names).toContain('phalaModule.TransferToChain');
    const paid2 = await finalize(receipt(1, 2n, dest, 3n * PHA, worker.identity), keys.ferdie);
    expect(paid2.names).toContain('phalaModule.TransferToChain');
    expect(await freeBalance(api, dest)).toBe(before + 10n * PHA);
    expect(await freeBalance(api, custody)).toBe(custodyBefore - 10n * PHA);
    expect((await api.query.phalaModule.usedReceipts(1, 5)).toJSON()).toBe(true);

    expect(await refusal(receipt(1, 5n, dest, 7n * PHA, worker.identity))).toMatch(/^1010: .*ReceiptAlreadyUsed/);
    expect(await freeBalance(api, custody)).toBe(custodyBefore - 10n * PHA);
  });

  test('forged, unregistered-worker and over-custody receipts are refused; custody unchanged', async () => {
    const custodyBefore = await freeBalance(api, custody);
    const dest = keys.dave.address;
    const stranger = identityFromSeed(generateIdentitySeed());
    expect(await refusal(receipt(1, 40n, dest, PHA, stranger))).toMatch(/^1010: .*BadReceiptSignature/);
    const forged = api.tx.phalaModule.transferToChain({ contractId: 1, seq: 41, dest, amount: PHA }, randomAsU8a(64));
    expect(await refusal(forged)).toMatch(/^1010: .*BadReceiptSignature/);
    expect(await refusal(receipt(77, 1n, dest, PHA, worker.identity))).toMatch(/^1010: .*UnknownContract/);
    expect(await refusal(receipt(1, 42n, dest, 1_000_000n * PHA, worker.identity))).toMatch(/^1010: .*CustodyInsufficient/);
    expect(await freeBalance(api, custody)).toBe(custodyBefore);
  });

  test('any relayer may submit a receipt, even unsigned', async () => {
    const dest = keys.eve.address;
    const before = await freeBalance(api, dest);
    const result = await finalize(receipt(1, 9n, dest, PHA, worker.identity));
    expect(result.names).toContain('phalaModule.TransferToChain');
    expect(await freeBalance(api, dest)).toBe(before + PHA);
  });

  test('a batch pays every receipt of one contract in one unsigned extrinsic; a bad batch is refused whole and pays nothing', async () => {
    await finalize(api.tx.phalaModule.transferToTee(1, 20n * PHA), keys.alice);
    const ed = api.consts.balances.existentialDeposit.toBigInt();
    const dest = keys.eve.address;
    const signed = (seq: bigint, value: bigint, contract = 1) => {
      const r: WithdrawReceipt = { contractId: contractId(contract), seq, dest: accountId(dest), amount: amount(value) };
      return { receipt: { contractId: r.contractId, seq: r.seq, dest: r.dest, amount: r.amount }, signature: worker.identity.sign(receiptMessage(genesis(), r)) };
    };
    const custodyBefore = await freeBalance(api, custody);
    const bad: [ReturnType<typeof signed>[], string][] = [
      [[], 'BadReceiptBatch'],
      [[signed(60n, PHA), signed(60n, PHA)], 'BadReceiptBatch'], // one seq twice
      [[signed(61n, PHA), signed(62n, PHA, 77)], 'BadReceiptBatch'], // two contracts
      [[signed(63n, PHA), signed(5n, 7n * PHA)], 'ReceiptAlreadyUsed'], // seq 5 was paid above
      [[signed(64n, PHA), signed(65n, custodyBefore - ed - PHA / 2n)], 'CustodyInsufficient'], // each fits, both do not
    ];
    for (const [receipts, reason] of bad) {
      expect(await refusal(api.tx.phalaModule.transferToChainBatch(receipts))).toMatch(new RegExp(`^1010: .*${reason}`));
    }
    expect(await freeBalance(api, custody)).toBe(custodyBefore);

    const before = await freeBalance(api, dest);
    const result = await finalize(api.tx.phalaModule.transferToChainBatch([signed(70n, 2n * PHA), signed(71n, 3n * PHA)]));
    expect(result.names.filter((n) => n === 'phalaModule.TransferToChain')).toHaveLength(2);
    expect(await freeBalance(api, dest)).toBe(before + 5n * PHA);
    expect(await freeBalance(api, custody)).toBe(custodyBefore - 5n * PHA);
    for (const seq of [70, 71]) expect((await api.query.phalaModule.usedReceipts(1, seq)).isTrue).toBe(true);
  });
});

describe('contracts are created by governance and each pays only from its own custody', () => {
  test('createContract needs root: a signed call and a non-sudo sudo both fail, and no id is used up', async () => {
    const count = (await api.query.phalaModule.contractCount()).toNumber();
    const direct = await finalize(api.tx.phalaModule.createContract(), keys.bob);
    expect(direct.names).toContain('system.ExtrinsicFailed');
    const notSudo = await finalize(api.tx.sudo.sudo(api.tx.phalaModule.createContract()), keys.bob);
    expect(notSudo.names).toContain('system.ExtrinsicFailed');
    expect((await api.query.phalaModule.contractCount()).toNumber()).toBe(count);
    expect((await api.query.phalaModule.contracts(count + 1)).isNone).toBe(true);
  });

  test('sudo createContract makes the next id with its own custody account, endowed with the existential deposit', async () => {
    const count = (await api.query.phalaModule.contractCount()).toNumber();
    const created = await createContract();
    expect(created).toEqual({ id: count + 1, custody: custodyAccount(contractId(count + 1)) });
    expect((await api.query.phalaModule.contracts(created.id)).unwrap().custody.toHex()).toBe(created.custody);
    expect(await freeBalance(api, created.custody)).toBe(api.consts.balances.existentialDeposit.toBigInt());
    expect(await refusal(receipt(created.id, 1n, keys.dave.address, PHA, identityFromSeed(generateIdentitySeed())))).toMatch(/^1010: .*UnknownWorker/);
    expect((await createContract()).id).toBe(count + 2);
  });

  test('a receipt of contract B pays from B\'s custody only: it cannot reach funds deposited to contract A', async () => {
    const b = await createContract();
    const worker = newWorker();
    await finalize(register(worker, b.id), keys.bob);
    await finalize(api.tx.phalaModule.transferToTee(b.id, 5n * PHA), keys.bob);
    const custodyA = await freeBalance(api, custody);
    const custodyB = await freeBalance(api, b.custody);
    expect(custodyA).toBeGreaterThan(50n * PHA); // contract 1 holds plenty; none of it is B's
    expect(custodyB).toBe(5n * PHA + api.consts.balances.existentialDeposit.toBigInt());

    expect(await refusal(receipt(b.id, 1n, keys.dave.address, 20n * PHA, worker.identity))).toMatch(/^1010: .*CustodyInsufficient/);
    // B's custody keeps its existential deposit: all 5 PHA pay, not one planck more.
    expect(await refusal(receipt(b.id, 2n, keys.dave.address, 5n * PHA + 1n, worker.identity))).toMatch(/^1010: .*CustodyInsufficient/);
    const dave = await freeBalance(api, keys.dave.address);
    expect((await finalize(receipt(b.id, 3n, keys.dave.address, 5n * PHA, worker.identity))).names).toContain('phalaModule.TransferToChain');
    expect(await freeBalance(api, keys.dave.address)).toBe(dave + 5n * PHA);
    expect(await freeBalance(api, b.custody)).toBe(api.consts.balances.existentialDeposit.toBigInt());
    expect(await freeBalance(api, custody)).toBe(custodyA);
    // B's worker cannot sign for contract 1 either.
    expect(await refusal(receipt(1, 900n, keys.dave.address, PHA, worker.identity))).toMatch(/^1010: .*BadReceiptSignature/);
  });
});

describe('measurement governance is root-only', () => {
  const measurement = blake2AsHex('dark-wallet/enclave/v2', 256) as Hash;

  test('addMeasurement without sudo fails on chain', async () => {
    const direct = await finalize(api.tx.phalaModule.addMeasurement(measurement), keys.bob);
    expect(direct.names).toContain('system.ExtrinsicFailed');
    const notSudo = await finalize(api.tx.sudo.sudo(api.tx.phalaModule.addMeasurement(measurement)), keys.bob);
    expect(notSudo.names).toContain('system.ExtrinsicFailed');
    expect((await api.query.phalaModule.allowedMeasurements(measurement)).toJSON()).toBe(false);
  });

  test('after sudo addMeasurement, a worker with the new measurement registers', async () => {
    const [first, second] = [await createContract(), await createContract()];
    expect(await refusal(register(newWorker(), first.id, { measurement }))).toMatch(/MeasurementNotAllowed/);
    const added = await finalize(api.tx.sudo.sudo(api.tx.phalaModule.addMeasurement(measurement)), keys.alice);
    expect(added.names).toEqual(expect.arrayContaining(['phalaModule.MeasurementAdded', 'sudo.Sudid']));
    expect((await finalize(register(newWorker(), first.id, { measurement }), keys.bob)).names).toContain('phalaModule.WorkerRegistered');

    await finalize(api.tx.sudo.sudo(api.tx.phalaModule.removeMeasurement(measurement)), keys.alice);
    expect(await refusal(register(newWorker(), second.id, { measurement }))).toMatch(/MeasurementNotAllowed/);
  });
});
