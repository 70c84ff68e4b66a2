/**
 * The withdrawal relayer against the real chain and worker processes: a receipt the chain cannot pay
 * (its contract's custody drained by root, or its worker's measurement removed) waits on its own
 * backoff with a typed reason on the operator status, the receipts behind it are paid, and once it is
 * payable again it is paid exactly once. Nothing the relayer logs or reports names an amount or an
 * account, and the public `/health` shows no count at all.
 */
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { DarkClient } from '../../../shared/client';
import { submitAndWatch } from '../../../shared/client/submit';
import { custodyAccount } from '../../../shared/protocol/custody';
import { accountId, amount, contractId, type Amount } from '../../../shared/types';
import { freeBalance, PHA } from '../../helpers/chain';
import { accountNeedles, amountNeedles, scanLines } from '../../helpers/log-scan';
import { until } from '../../helpers/until';
import { operatorStatus, tempDir, type ChainProc, type WorkerProc } from '../helpers/processes';
import { startProcessSystem, stopProcessSystem } from '../helpers/system';

const CUSTODY = custodyAccount(contractId(1));
/** Odd amounts, so the log scan cannot mistake a delay or a block number for one. */
const DEPOSIT_ALICE = amount(9_137n * PHA / 100n);
const DEPOSIT_BOB = amount(2_013n * PHA / 100n);
const STUCK = amount(8_329n * PHA / 100n);
const BEHIND = amount(671n * PHA / 100n);
const AFTER_REMOVAL = amount(557n * PHA / 100n);


let dir: ReturnType<typeof tempDir>;
let chain: ChainProc;
let worker: WorkerProc;
let api: ApiPromise;
let client: DarkClient;
let alice: KeyringPair, bob: KeyringPair;
let ed: bigint;

const status = () => operatorStatus(worker);
const statusText = async (): Promise<string> => JSON.stringify(await status());
const healthText = async (): Promise<string> => (await fetch(`${worker.url}/health`)).text();
const isPaid = async (seq: number) => (await api.query.phalaModule.usedReceipts(1, seq)).isTrue;
const sudo = (call: Parameters<typeof api.tx.sudo.sudo>[0]) => submitAndWatch(api, api.tx.sudo.sudo(call), alice);

/** Withdraws through the ledger and returns the receipt's seq with the destination's balance as of the push's block. */
async function withdraw(pair: KeyringPair, value: Amount): Promise<{ seq: bigint; balanceAtPush: bigint }> {
  const s = await client.convertToPublic(pair, { dest: accountId(pair.publicKey), amount: value });
  const balanceAtPush = await freeBalance(api, pair.address, s.blockHash);
  const { outcome } = await client.waitFor(pair, s);
  if (!outcome.ok || outcome.receiptSeq == null) throw new Error(`withdrawal refused: ${JSON.stringify(outcome)}`);
  return { seq: outcome.receiptSeq, balanceAtPush };
}

const stuckEntry = async (seq: bigint) => (await status()).stuckReceipts.find((s) => s.seq === seq.toString());

beforeAll(async () => {
  ({ dir, chain, worker, api } = await startProcessSystem('relayer'));
  [alice, bob] = ['//Alice', '//Bob'].map((s) => new Keyring({ type: 'sr25519' }).addFromUri(s));
  ed = api.consts.balances.existentialDeposit.toBigInt();
  client = await DarkClient.connect({ api, workerUrl: worker.url, contractId: 1 });
  for (const [pair, value] of [[alice, DEPOSIT_ALICE], [bob, DEPOSIT_BOB]] as const) {
    await client.waitFor(pair, await client.convertToSecret(pair, value), { throwOnFailure: true });
  }
}, 180_000);

afterAll(() => stopProcessSystem({ dir, chain, worker, api }));

describe('one unpayable receipt does not block the ones behind it', () => {
  let stuck: bigint;

  test('custody drained by root: the big receipt waits as CustodyShort, a later one is paid', async () => {
    await sudo(api.tx.balances.forceSetBalance(CUSTODY, ed + 10n * PHA));
    ({ seq: stuck } = await withdraw(alice, STUCK));
    const entry = await until(() => stuckEntry(stuck), { what: 'the receipt listed as stuck on the operator status' });
    expect(entry).toMatchObject({ reason: 'CustodyShort', chainError: 'PhalaModule.CustodyInsufficient' });
    expect(entry.attempts).toBeGreaterThanOrEqual(1);

    const behind = await withdraw(bob, BEHIND);
    expect(behind.seq).toBe(stuck + 1n);
    await until(async () => (await isPaid(Number(behind.seq))) && (await status()).pendingReceipts === 1, { what: 'the receipt behind the stuck one paid' });
    expect((await freeBalance(api, bob.address)) - behind.balanceAtPush).toBe(BEHIND);
    expect(await isPaid(Number(stuck))).toBe(false);
    const h = await status();
    expect(h.stuckReceipts.map((s) => s.seq)).toEqual([stuck.toString()]);
  }, 120_000);

  test('custody refilled to what the ledger holds: the stuck receipt is paid exactly once', async () => {
    const refill = await sudo(api.tx.balances.forceSetBalance(CUSTODY, ed + DEPOSIT_ALICE + DEPOSIT_BOB - BEHIND));
    const aliceAtRefill = await freeBalance(api, alice.address, refill.blockHash);
    await until(async () => (await isPaid(Number(stuck))) && (await status()).pendingReceipts === 0, { timeoutMs: 60_000, what: 'the stuck receipt paid' });
    expect((await freeBalance(api, alice.address)) - aliceAtRefill).toBe(STUCK);
    expect(await freeBalance(api, CUSTODY)).toBe(ed + DEPOSIT_ALICE + DEPOSIT_BOB - BEHIND - STUCK);
    expect((await status()).stuckReceipts).toEqual([]);
    expect(worker.output().match(new RegExp(`withdraw receipt #${stuck} paid`, 'g'))).toHaveLength(1);
  }, 120_000);

  test('measurement removed by governance: the receipt waits as WorkerNotAccepted, and is paid once it is allowed again', async () => {
    const { measurement } = (JSON.parse(await healthText()) as { attestation: { measurement: string } }).attestation;
    await sudo(api.tx.phalaModule.removeMeasurement(measurement));
    const { seq, balanceAtPush } = await withdraw(bob, AFTER_REMOVAL);
    const entry = await until(() => stuckEntry(seq), { what: 'the receipt listed as stuck on the operator status' });
    expect(entry).toMatchObject({ reason: 'WorkerNotAccepted', chainError: 'PhalaModule.BadReceiptSignature' });

    await sudo(api.tx.phalaModule.addMeasurement(measurement));
    await until(async () => (await isPaid(Number(seq))) && (await status()).pendingReceipts === 0, { timeoutMs: 60_000, what: 'the receipt paid after re-allowing' });
    expect((await freeBalance(api, bob.address)) - balanceAtPush).toBe(AFTER_REMOVAL);
    expect(worker.output().match(new RegExp(`withdraw receipt #${seq} paid`, 'g'))).toHaveLength(1);
  }, 120_000);

  test('neither the worker log nor its status names an amount or an account', async () => {
    const needles = [
      ...[DEPOSIT_ALICE, DEPOSIT_BOB, STUCK, BEHIND, AFTER_REMOVAL].flatMap((v) => amountNeedles(`amount ${v}`, v, 12)),
      ...accountNeedles('Alice', alice),
      ...accountNeedles('Bob', bob),
    ];
    const lines = [...worker.output().split('\n'), await healthText(), await statusText()];
    expect(lines.some((l) => /not paid: CustodyShort/.test(l))).toBe(true); // the scan covers the relayer's lines
    expect(scanLines(lines, needles)).toEqual([]);
  });
});
