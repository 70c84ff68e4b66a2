/**
 * `npm run worker -- [--chain ws://127.0.0.1:9944] [--base-path DIR] [--port 8000] [--public-url URL]
 *   [--attestation dev|tdx|sgx] [--attestation-seed FILE] [--attestation-root /] [--pccs URL] [--dev-enclave-version N]
 *   [--receipt-cadence BLOCKS] [--checkpoint-interval BLOCKS] [--receipt-turn-delay MS] [--operator-port PORT]
 *   [--relay-suri //Eve] [--relay-fee PLANCK] [--relay-batch 16] [--relay-interval MS] [--no-relay] [--join]`
 * The command relayer runs in the worker unless `--no-relay`. `--join`: a new worker of a contract
 * that already has keys — it registers, receives the keys from a keyholder, replays, then serves.
 * `--dev-enclave-version N` (DEVELOPMENT ONLY, dev attestation only): report the dev build N's
 * measurement instead of v1's, to rehearse an upgrade; hardware reports its own measurement.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CHECKPOINT_INTERVAL_BLOCKS, RECEIPT_CADENCE_BLOCKS } from '../../shared/constants';
import { DarkWalletError } from '../../shared/errors';
import { stopWhenAskedOrOrphaned } from '../../shared/process/supervised';
import type { AttestationChoice } from './attestation/choose';
import { RELAY_FEE_DEFAULT } from './command-relay';
import { RECEIPT_TURN_DELAY_MS } from './receipt-turn';
import { startWorker } from './worker';

const { values } = parseArgs({
  options: {
    chain: { type: 'string', default: 'ws://127.0.0.1:9944' },
    'base-path': { type: 'string', default: '.data/worker' },
    port: { type: 'string', default: '8000' },
    'public-url': { type: 'string' },
    attestation: { type: 'string', default: 'dev' },
    'attestation-seed': { type: 'string', default: join('.data', 'chain', 'dev-attestation-authority.seed') },
    'attestation-root': { type: 'string', default: '/' },
    pccs: { type: 'string' },
    'dev-enclave-version': { type: 'string' },
    contract: { type: 'string', default: '1' },
    'relayer-suri': { type: 'string', default: '//Ferdie' },
    'receipt-cadence': { type: 'string', default: String(RECEIPT_CADENCE_BLOCKS) },
    'checkpoint-interval': { type: 'string', default: String(CHECKPOINT_INTERVAL_BLOCKS) },
    'receipt-turn-delay': { type: 'string', default: String(RECEIPT_TURN_DELAY_MS) },
    'operator-port': { type: 'string', default: '0' },
    'relay-suri': { type: 'string', default: '//Eve' },
    'relay-fee': { type: 'string', default: String(RELAY_FEE_DEFAULT) },
    'relay-batch': { type: 'string', default: '16' },
    'relay-interval': { type: 'string', default: '500' },
    'no-relay': { type: 'boolean', default: false },
    join: { type: 'boolean', default: false },
  },
});

const log = (line: string) => console.log(`${new Date().toISOString().slice(11, 19)} ${line}`);

const kind = values.attestation;
if (kind !== 'dev' && kind !== 'tdx' && kind !== 'sgx') {
  log(`--attestation is dev, tdx or sgx, not ${kind}.`);
  process.exit(2);
}
const devVersion = values['dev-enclave-version'];
if (devVersion !== undefined && (kind !== 'dev' || !/^[1-9][0-9]{0,8}$/.test(devVersion))) {
  log(kind !== 'dev'
    ? `--dev-enclave-version is for development attestation only: with --attestation ${kind} the hardware reports its own measurement.`
    : `--dev-enclave-version is a whole number from 1, not ${devVersion}.`);
  process.exit(2);
}
const attestation: AttestationChoice = kind === 'dev'
  ? { kind, seedPath: resolve(values['attestation-seed']!), version: devVersion === undefined ? undefined : Number(devVersion) }
  : { kind, root: resolve(values['attestation-root']!), pccsUrl: values.pccs };

try {
  const worker = await startWorker({
    chainUrl: values.chain!, basePath: resolve(values['base-path']!), port: Number(values.port),
    publicUrl: values['public-url'], attestation, contractId: Number(values.contract), relayerSuri: values['relayer-suri'], log,
    commandRelay: values['no-relay'] ? undefined : {
      suri: values['relay-suri']!, fee: BigInt(values['relay-fee']!), batchSize: Number(values['relay-batch']), intervalMs: Number(values['relay-interval']),
    },
    receiptCadence: Number(values['receipt-cadence']), operatorPort: Number(values['operator-port']), join: values.join,
    checkpointInterval: Number(values['checkpoint-interval']), receiptTurnDelayMs: Number(values['receipt-turn-delay']),
  });
  stopWhenAskedOrOrphaned(() => void worker.close().then(() => process.exit(0)));
} catch (e) {
  log(e instanceof DarkWalletError ? e.message : `worker failed to start: ${e instanceof Error ? e.message : 'unknown error'}`);
  process.exit(1);
}
