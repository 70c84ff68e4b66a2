/**
 * `npm run bench -- chain`: signed transfers included per second by the dev chain, through its
 * WebSocket RPC. The chain runs as its own process (`contract/chain/main.ts --tmp`), as in
 * `npm start`; a batch of balance transfers from several dev accounts is signed beforehand (signing
 * is the wallets' cost), then submitted with `author_submitAndWatchExtrinsic`; the clock stops when
 * the last one is in a block (durable: every block is fsynced before it is announced; `finalized`
 * follows by the node's fixed finality lag, which is not throughput).
 *
 * Bound, measured in this run: sr25519 verifies per second (@polkadot/util-crypto) on as many
 * threads as the node verifies on — the one step the chain cannot skip for a transaction. The CLI
 * node verifies on its verifier worker only (`VERIFIER_THREADS` in contract/chain/node/verifierThread.ts;
 * its main thread decodes, executes, builds, persists and serves RPC meanwhile), so the bound runs
 * the verify loop on that many worker threads at once and sums their rates: were the node to verify
 * on more threads, the bound would grow with it. Goal: ≥ 0.6 of it, i.e. everything the node does
 * besides verifying (decoding, fees, dispatch, events, storage, the state trie, block building,
 * persistence and RPC) must keep up with its verifier to within 67% extra.
 * The 2 cores are shared with other work whose load swings within seconds, so each round measures
 * the bound right before and right after its chain batch (mean), and the reported figures are those
 * of the median round by ratio (every round's figures are printed beside it).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { WebSocket } from 'ws';
import { VERIFIER_THREADS } from '../../contract/chain/node/verifierThread';
import { report } from './lib';

const SENDERS = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'];
const PER_SENDER_PER_ROUND = 60;
const ROUNDS = 7;
const GOAL = 0.6;

await cryptoWaitReady();
const root = join(import.meta.dirname, '..', '..');
const node = spawn(process.execPath, ['--import', 'tsx', join(root, 'contract', 'chain', 'main.ts'), '--tmp', '--port', '0'], {
  cwd: root, stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((resolve, reject) => {
  let out = '';
  node.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /chain ready (ws:\/\/\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  node.once('exit', (code) => reject(new Error(`chain exited with ${code}`)));
});

const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
const keyring = new Keyring({ type: 'sr25519' });
const pairs = SENDERS.map((n) => keyring.addFromUri(`//${n}`));

/** Transfers for rounds [0, ROUNDS), each sender's nonces consecutive across rounds. */
const batches: string[][] = [];
for (let round = 0; round < ROUNDS; round++) {
  const batch: string[] = [];
  for (let i = 0; i < PER_SENDER_PER_ROUND; i++) {
    for (const [s, pair] of pairs.entries()) {
      const to = pairs[(s + 1) % pairs.length].address;
      const tx = api.tx.balances.transferKeepAlive(to, 1_000_000_000n + BigInt(i));
      batch.push((await tx.signAsync(pair, { nonce: round * PER_SENDER_PER_ROUND + i, era: 0 })).toHex());
    }
  }
  batches.push(batch);
}
await api.disconnect();

/** Submits a batch on one plain WebSocket and resolves with transactions included (in a durable block) per second. */
async function run(batch: string[]): Promise<number> {
  const ws = new WebSocket(url);
  await new Promise((r) => ws.once('open', r));
  let included = 0;
  let failed = '';
  const done = new Promise<void>((resolve, reject) => {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data));
      if (msg.error) failed = msg.error.data ?? msg.error.message;
      const status = msg.params?.result;
      if (status && typeof status === 'object' && 'inBlock' in status && ++included === batch.length) resolve();
      if (status === 'invalid' || failed) reject(new Error(`a transaction was refused: ${failed || status}`));
    });
  });
  const start = performance.now();
  batch.forEach((hex, id) => ws.send(JSON.stringify({ jsonrpc: '2.0', id, method: 'author_submitAndWatchExtrinsic', params: [hex] })));
  await done;
  const rate = (batch.length * 1000) / (performance.now() - start);
  ws.close();
  return rate;
}

const message = new Uint8Array(128).fill(7);
const signature = pairs[0].sign(message);

/**
 * One verify loop per thread the node verifies on, each on its own worker thread: `measure(ms)`
 * runs them all at once for `ms` and returns the sum of their verifies per second.
 */
function startVerifyThreads(threads: number) {
  const utilCrypto = import.meta.resolve('@polkadot/util-crypto');
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    import(${JSON.stringify(utilCrypto)}).then(async ({ cryptoWaitReady, sr25519Verify }) => {
      await cryptoWaitReady();
      const { message, signature, publicKey } = workerData;
      const verify = () => { if (!sr25519Verify(message, signature, publicKey)) throw new Error('verify failed'); };
      parentPort.on('message', (ms) => {
        const warm = performance.now() + Math.min(300, ms / 4);
        while (performance.now() < warm) verify();
        let ops = 0;
        const start = performance.now();
        let now = start;
        while (now - start < ms) { verify(); ops++; now = performance.now(); }
        parentPort.postMessage((ops * 1000) / (now - start));
      });
      parentPort.postMessage('ready');
    });`;
  const workers = Array.from({ length: threads }, () =>
    new Worker(source, { eval: true, workerData: { message, signature, publicKey: pairs[0].publicKey } }));
  const next = (w: Worker) => new Promise<unknown>((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  return {
    ready: Promise.all(workers.map(next)),
    measure: async (ms: number): Promise<number> => {
      const rates = workers.map((w) => next(w) as Promise<number>);
      for (const w of workers) w.postMessage(ms);
      return (await Promise.all(rates)).reduce((a, b) => a + b, 0);
    },
    close: () => Promise.all(workers.map((w) => w.terminate())),
  };
}

const verifiers = startVerifyThreads(VERIFIER_THREADS);
await verifiers.ready;

const rounds: Array<{ rate: number; bound: number }> = [];
for (const batch of batches) {
  const before = await verifiers.measure(750);
  const rate = await run(batch);
  rounds.push({ rate, bound: (before + (await verifiers.measure(750))) / 2 });
}
node.kill('SIGTERM');
await verifiers.close();

const median = [...rounds].sort((a, b) => a.rate / a.bound - b.rate / b.bound)[Math.floor(rounds.length / 2)];
report({
  name: 'chain signed transfers included per second (RPC → finalized)',
  value: median.rate,
  unit: 'tx/s',
  bound: median.bound,
  goal: GOAL,
  rounds: rounds.map((r) => `${Math.round(r.rate)}/${Math.round(r.bound)}`),
  batch: batches[0].length,
  verifierThreads: VERIFIER_THREADS,
});
