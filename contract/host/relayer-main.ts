/**
 * `npm run relayer -- [--chain ws://127.0.0.1:9944] [--port 8010] [--contract 1] [--suri //Eve]
 *   [--fee PLANCK] [--batch 16] [--interval MS]`: the command relayer on its own, apart from any
 * worker. It seals dummies to the contract key it reads and verifies on chain (its attestation), and
 * serves only `POST /relay`, `GET /relay/quote` and `/health`.
 */
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { parseArgs } from 'node:util';
import { loadTrustedContract } from '../../shared/client/contract';
import { DarkWalletError } from '../../shared/errors';
import { stopWhenAskedOrOrphaned } from '../../shared/process/supervised';
import { amount } from '../../shared/types';
import { CommandRelay, RELAY_FEE_DEFAULT } from './command-relay';
import { startQueryServer } from './query-server';

const { values } = parseArgs({
  options: {
    chain: { type: 'string', default: 'ws://127.0.0.1:9944' },
    port: { type: 'string', default: '8010' },
    contract: { type: 'string', default: '1' },
    suri: { type: 'string', default: '//Eve' },
    fee: { type: 'string', default: String(RELAY_FEE_DEFAULT) },
    batch: { type: 'string', default: '16' },
    interval: { type: 'string', default: '500' },
  },
});
const log = (line: string) => console.log(`${new Date().toISOString().slice(11, 19)} ${line}`);

try {
  await cryptoWaitReady();
  const api = await ApiPromise.create({ provider: new WsProvider(values.chain!), noInitWarn: true });
  const contract = await loadTrustedContract(api, Number(values.contract));
  const relay = new CommandRelay({
    api, pair: new Keyring({ type: 'sr25519' }).addFromUri(values.suri!), contract,
    fee: amount(BigInt(values.fee!)), batchSize: Number(values.batch), intervalMs: Number(values.interval), log,
  });
  const server = await startQueryServer({
    health: () => ({ relayer: relay.quote.relayer }),
    relay: { relay: (body) => relay.relay(body), quote: relay.quote },
  }, { port: Number(values.port), log });
  relay.start();
  log(`relayer ready ${server.url} (contract ${contract.contractId}, batches of ${relay.quote.batchSize})`);
  stopWhenAskedOrOrphaned(() => void relay.stop().then(() => server.close()).then(() => api.disconnect()).then(() => process.exit(0)));
} catch (e) {
  log(e instanceof DarkWalletError ? e.message : `relayer failed to start: ${e instanceof Error ? e.message : 'unknown error'}`);
  process.exit(1);
}
