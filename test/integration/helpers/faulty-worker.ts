/**
 * TESTS ONLY: a worker process whose enclave skips its first Transfer (Enclave.testOnlyFaulty), for
 * the checkpoint suite. It takes the test worker's flags (processes.ts `workerArgs`); the production
 * entry point (contract/host/main.ts) has no way to start such a worker.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startWorker } from '../../../contract/host/worker';
import { stopWhenAskedOrOrphaned } from '../../../shared/process/supervised';

const { values } = parseArgs({
  strict: false,
  options: {
    chain: { type: 'string' }, 'base-path': { type: 'string' }, port: { type: 'string' }, 'attestation-seed': { type: 'string' },
    'relayer-suri': { type: 'string' }, 'receipt-cadence': { type: 'string' }, 'checkpoint-interval': { type: 'string' }, 'receipt-turn-delay': { type: 'string' },
  },
});
const text = (name: string): string => {
  const v = values[name];
  if (typeof v !== 'string') throw new Error(`--${name} is required`);
  return v;
};

const worker = await startWorker({
  chainUrl: text('chain'), basePath: resolve(text('base-path')), port: Number(text('port')),
  attestation: { kind: 'dev', seedPath: resolve(text('attestation-seed')) }, contractId: 1, relayerSuri: text('relayer-suri'),
  receiptCadence: Number(text('receipt-cadence')), checkpointInterval: Number(text('checkpoint-interval')), receiptTurnDelayMs: Number(text('receipt-turn-delay')),
  testOnlyFaults: { skipFirstCommandOf: 'Transfer' },
  log: (line) => console.log(line),
});
stopWhenAskedOrOrphaned(() => void worker.close().then(() => process.exit(0)));
