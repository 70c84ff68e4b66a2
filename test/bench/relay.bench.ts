/**
 * `npm run bench -- relay`: relayed secret transfers per second end to end, against direct ones in
 * the same run (DESIGN.md §12).
 *
 * The real dev chain and worker processes; the worker runs its command relayer (batches of BATCH
 * envelopes every INTERVAL_MS, padded with dummies). SENDERS accounts hold secret PHA. Each round,
 * every sender makes PER_SENDER transfers one after another through the SDK, all senders at once:
 * direct (`pushCommand` signed by the sender) and relayed (sealed for the relayer, `POST /relay`),
 * each measured from the first send to the last transfer applied by the worker (`waitFor`, the
 * ledger's outcome). Rounds alternate, medians reported. Bound: relayed ≥ 0.8 × direct.
 */
import type { KeyringPair } from '@polkadot/keyring/types';
import { DarkClient } from '../../shared/client';
import { DEFAULT_CONTRACT_ID } from '../../shared/constants';
import { accountId, amount, NATIVE_ASSET } from '../../shared/types';
import { report } from './lib';
import { fundSecretAccounts, median, sign, startSystem, submitBatch, UNIT, type System } from './system';

const SENDERS = 12;
const PER_SENDER = 4;
const ROUNDS = 3;
const BATCH = 16;
const INTERVAL_MS = 100;
const GOAL = 0.8;
const RELAYER = '//Alice//relayer';

async function round(client: DarkClient, pairs: KeyringPair[]): Promise<number> {
  const start = performance.now();
  await Promise.all(pairs.map(async (pair, s) => {
    for (let i = 0; i < PER_SENDER; i++) {
      const sent = await client.transfer(pair, { asset: NATIVE_ASSET, dest: accountId(pairs[(s + 1) % pairs.length].publicKey), amount: amount(UNIT / 1000n + BigInt(i)) });
      const entry = await client.waitFor(pair, sent);
      if (!entry.outcome.ok) throw new Error(`a transfer failed: ${entry.outcome.error}`);
    }
  }));
  return (pairs.length * PER_SENDER * 1000) / (performance.now() - start);
}

async function fundRelayer(sys: System): Promise<void> {
  const relayer = sys.keyring.addFromUri(RELAYER);
  const alice = sys.keyring.addFromUri('//Alice');
  const funded = await submitBatch(sys.chainUrl, [await sign(sys, alice, sys.api.tx.balances.transferKeepAlive(relayer.address, 1_000n * UNIT))]);
  funded.ws.close();
}

async function main(): Promise<void> {
  const sys = await startSystem(['--relay-suri', RELAYER, '--relay-batch', String(BATCH), '--relay-interval', String(INTERVAL_MS), '--relay-fee', String(UNIT / 100n)]);
  try {
    await fundRelayer(sys);
    const pairs = (await fundSecretAccounts(sys, SENDERS + 1, 1_000n * UNIT)).slice(1); // Alice signs the funding: keep her out
    const relayed = await DarkClient.connect({ api: sys.api, workerUrl: sys.workerUrl, contractId: DEFAULT_CONTRACT_ID, relayUrl: sys.workerUrl });
    const direct: number[] = [];
    const viaRelay: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      direct.push(await round(sys.client, pairs));
      viaRelay.push(await round(relayed, pairs));
    }
    report({
      name: 'relay',
      unit: 'secret transfers/s end to end (send → applied by the worker), relayed vs direct',
      value: median(viaRelay),
      bound: median(direct),
      goal: GOAL,
      details: { senders: SENDERS, perSender: PER_SENDER, rounds: ROUNDS, batch: BATCH, intervalMs: INTERVAL_MS, direct, relayed: viaRelay },
    });
  } finally {
    await sys.stop();
  }
}

await main();
