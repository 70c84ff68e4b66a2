/**
 * "Every log line of a full end-to-end run is checked for secret amounts, secret recipients,
 * mnemonics, passwords and keys — none may appear."
 *
 * A user whose key comes from a freshly generated mnemonic and a password (`<mnemonic>//dark///<pw>`)
 * drives the whole secret workflow through the CLI (`shared/client/cli.ts`): convert to secret,
 * secret transfers to a recipient who never appears on chain, issuing a token and sending it,
 * convert to public, a failing transfer, balance and history queries — with a kill -9 and restart
 * of the worker in the middle. Every line the chain and worker processes printed (stdout and
 * stderr, every process incarnation) is then scanned for every rendering of those secrets. What the
 * CLI prints to its own user (their balances) is user output, not a log, and is not scanned.
 */
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, mnemonicGenerate, mnemonicToMiniSecret } from '@polkadot/util-crypto';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBox } from '../../../contract/enclave/sealed-box';
import { fromHex } from '../../../shared/types';
import {
  accountNeedles, amountNeedles, bytesNeedles, mnemonicOutside, scanLines, sourceVocabulary, type Needle,
} from '../../helpers/log-scan';
import { shutdown } from '../../helpers/teardown';
import { ROOT } from '../helpers/processes';
import { until } from '../../helpers/until';
import { connectApi, FaultSystem, freeBalance, UNIT, workerHealth } from './harness';

function runCli(sys: FaultSystem, suri: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'shared/client/cli.ts'), ...args,
      '--suri', suri, '--chain', sys.chainUrl, '--worker', sys.workerUrl, '--direct'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (out += c.toString()));
    p.on('exit', (code) => resolve({ code, out }));
  });
}

let sys: FaultSystem;
let api: ApiPromise | undefined;

beforeAll(async () => {
  await cryptoWaitReady();
  sys = await FaultSystem.start('log-scan');
  api = await connectApi(sys.chainUrl);
}, 120_000);

afterAll(async () => {
  await shutdown(api, async () => sys?.stop());
  sys?.dir.remove();
});

test('no chain or worker log line of a full CLI run holds a secret amount, recipient, mnemonic, password or key', async () => {
  const started = Date.now();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const mnemonic = mnemonicOutside(sourceVocabulary(['contract', 'shared'], ['api', 'rpc-core', 'rpc-provider']));
  const password = `pw-${randomBytes(9).toString('base64url')}`;
  const suri = `${mnemonic}//dark///${password}`;
  const user = keyring.addFromUri(suri);
  const recipientMnemonic = mnemonicGenerate(12);
  const recipient = keyring.addFromUri(recipientMnemonic); // never on chain: only inside ciphertexts
  const dest = keyring.addFromUri(`//DarkWalletLogScanDest${randomBytes(4).toString('hex')}`);
  const alice = keyring.addFromUri('//Alice');

  // The user's public funds: a plain public transfer (its amount is public, and not a needle).
  await new Promise<void>((resolve, reject) => {
    void api!.tx.balances.transferKeepAlive(user.address, 100n * UNIT).signAndSend(alice, (r) => {
      if (r.status.isFinalized) resolve();
      if (r.isError) reject(new Error('funding failed'));
    }).catch(reject);
  });

  const cli = async (args: string[], expectCode = 0) => {
    const r = await runCli(sys, suri, args);
    if (r.code !== expectCode) throw new Error(`CLI ${args[0]} exited ${r.code}, expected ${expectCode}:\n${r.out}`);
    return r.out;
  };
  const secret = {
    transfer: { text: '7.3157', value: 7_315_700_000_000n, decimals: 12 },
    supply: { text: '98765.4321', value: 98_765_432_100n, decimals: 6 },
    tokenTransfer: { text: '4321.987654', value: 4_321_987_654n, decimals: 6 },
    withdraw: { text: '3.2109', value: 3_210_900_000_000n, decimals: 12 },
    failed: { text: '987.654321', value: 987_654_321_000_000n, decimals: 12 },
    refusedSupply: { text: '55555.123457', value: 55_555_123_457n, decimals: 6 },
  };

  await cli(['convert-to-secret', '--amount', '40']);
  await cli(['transfer', '--to', recipient.address, '--amount', secret.transfer.text]);
  const issued = await cli(['issue', '--symbol', 'QZX', '--name', 'Quiet Zephyr', '--decimals', '6', '--supply', secret.supply.text]);
  const asset = /as asset (\d+)/.exec(issued)![1];

  // Crashes and restarts in the middle: recovery, reconnection and retries have their own log lines.
  await sys.killWorker();
  await sys.startWorker();
  await api!.disconnect();
  const disconnects = () => sys.logs('worker').split('disconnected from').length;
  const before = disconnects();
  await sys.killChain();
  // The worker's reconnection lines are part of what is scanned: restart the chain once it has noticed.
  await until(() => disconnects() > before, { what: 'the worker to notice the chain is gone', timeoutMs: 20_000 });
  await sys.startChain();
  api = await connectApi(sys.chainUrl);

  await cli(['transfer', '--asset', asset, '--to', u8aToHex(recipient.publicKey), '--amount', secret.tokenTransfer.text]);
  await cli(['convert-to-public', '--amount', secret.withdraw.text, '--to', dest.address]);
  const refused = await cli(['transfer', '--to', recipient.address, '--amount', secret.failed.text], 1);
  expect(refused).toMatch(/The secret balance is lower than this amount/); // refused before signing: its amount never reaches a process
  // A command the ledger itself refuses (the wallet cannot know the symbol is taken): its failure path logs nothing secret either.
  const taken = await cli(['issue', '--symbol', 'QZX', '--name', 'Quiet Zephyr', '--decimals', '6', '--supply', secret.refusedSupply.text], 1);
  expect(taken).toMatch(/Another secret token already uses this symbol/);
  const [balances, history] = await Promise.all([cli(['balances']), cli(['history'])]);
  expect(balances).toMatch(/QZX \(asset \d+\): 94443\.444446/); // the user's own output: not a log
  expect(history).toMatch(/Withdraw 3\.2109 PHA/);

  // The withdraw is relayed, and the worker has seen every block, before the processes stop.
  await until(async () => (await freeBalance(api!, dest.address)) === secret.withdraw.value, { what: 'the withdraw paid', timeoutMs: 60_000 });
  const head = (await api!.rpc.chain.getHeader()).number.toNumber();
  await until(async () => (await workerHealth(sys.workerUrl)).lastBlock >= head, { what: 'the worker at the head', timeoutMs: 60_000 });
  await shutdown(api, () => sys.stop()); // graceful shutdown prints too, and seals the last state
  api = undefined;

  // ---- the needles ----------------------------------------------------------------------------
  const workerFile = (name: string) => new Uint8Array(readFileSync(join(sys.workerPath, name)));
  const keyFile = workerFile('enclave.key');
  const wrapped = workerFile('enclave.secret');
  const unwrapped = openBox(keyFile, { domain: 'dark-wallet/v1/enclave-secret', version: 1 }, new Uint8Array(0), wrapped);
  const [root, contractSecret] = [unwrapped.slice(0, 32), unwrapped.slice(32)];
  const derive = (purpose: string) => hkdf(sha256, root, undefined, new TextEncoder().encode(`dark-wallet/v1/${purpose}`), 32);
  const attestationSeed = fromHex(readFileSync(join(sys.chainPath, 'dev-attestation-authority.seed'), 'utf8').trim());
  const pkcs8 = user.encodePkcs8();

  const needles: Needle[] = [
    ...amountNeedles('secret transfer amount', secret.transfer.value, secret.transfer.decimals),
    ...amountNeedles('issued token supply', secret.supply.value, secret.supply.decimals),
    ...amountNeedles('secret token transfer amount', secret.tokenTransfer.value, secret.tokenTransfer.decimals),
    ...amountNeedles('amount of the failed transfer', secret.failed.value, secret.failed.decimals),
    ...amountNeedles('supply of the refused issue', secret.refusedSupply.value, secret.refusedSupply.decimals),
    ...amountNeedles('withdraw amount', secret.withdraw.value, secret.withdraw.decimals),
    ...accountNeedles('secret recipient', recipient),
    ...accountNeedles('withdraw destination', dest),
    ...accountNeedles('the user', user),
    { label: 'mnemonic', text: mnemonic },
    ...mnemonic.split(' ').map((w, i) => ({ label: `mnemonic word ${i + 1}`, text: w, word: true })),
    { label: "recipient's mnemonic", text: recipientMnemonic },
    { label: 'password', text: password, exactCase: true },
    { label: 'secret URI', text: suri },
    ...bytesNeedles('mini secret of the mnemonic', mnemonicToMiniSecret(mnemonic)),
    ...bytesNeedles("the user's sr25519 secret key", pkcs8.slice(16, 80)),
    ...bytesNeedles('worker enclave.key file', keyFile),
    ...bytesNeedles('worker enclave.secret file', wrapped),
    ...bytesNeedles('enclave root secret', root),
    ...bytesNeedles('contract (X25519) secret', contractSecret),
    ...bytesNeedles('enclave identity seed', derive('identity')),
    ...bytesNeedles('enclave sealing key', derive('sealing')),
    ...bytesNeedles('dev attestation seed', attestationSeed),
  ];
  // Every needle is specific: nothing short enough to turn up in a log line by chance.
  for (const n of needles) expect({ n, long: n.word || n.text.length >= 6 }).toEqual({ n, long: true });

  // ---- the scan -------------------------------------------------------------------------------
  const lines = sys.logs().split('\n').filter((l) => l.trim() !== '');
  const workerLines = sys.logs('worker').split('\n');
  expect(sys.outputs.map((o) => o.kind)).toEqual(['chain', 'worker', 'worker', 'chain']);
  expect(workerLines.some((l) => /restored sealed state at block #\d+/.test(l))).toBe(true);
  expect(workerLines.some((l) => /withdraw receipt #1 paid/.test(l))).toBe(true);
  expect(workerLines.filter((l) => /block #\d+: \d+ item\(s\)/.test(l)).length).toBeGreaterThanOrEqual(6);
  expect(scanLines(lines, needles)).toEqual([]);

  // The scan itself works: a planted line with any one rendering of any needle is caught, by that needle.
  for (const n of needles) {
    const planted = `04:20:00 block #7: 1 item(s), 0 receipt(s) ${n.word ? n.text.toUpperCase() : n.text}.`;
    expect({ n, hits: scanLines([...lines, planted], needles).filter((h) => h.line === planted).map((h) => h.label) })
      .toEqual({ n, hits: expect.arrayContaining([n.label]) });
  }
  // …and a word needle is only a whole word (the scanner would not flag "abandonment" for "abandon").
  const word = needles.find((n) => n.word)!;
  expect(scanLines([`x${word.text}x`], [word])).toEqual([]);

  // eslint-disable-next-line no-console
  console.log(`log-scan: ${lines.length} log lines of ${sys.outputs.length} processes (2 chain and 2 worker incarnations) checked against ${needles.length} needles; clean; ${Date.now() - started} ms`);
}, 240_000);
