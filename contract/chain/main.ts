/**
 * `npm run chain -- [--port 9944] [--host 127.0.0.1] [--base-path DIR | --tmp] [--block-time MS | --idle-block-time MS] [--grandpa-authorities N]
 *   [--chain-name NAME] [--ss58-format N] [--token-symbol SYM]`
 * Prints one ready line: `chain ready <ws url> genesis <hash> base-path <dir> authority-seed <file>`.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stopWhenAskedOrOrphaned } from '../../shared/process/supervised';
import { DEV_IDENTITY } from './config';
import { startChain, type RunningChain } from './index';
import { startVerifierThread } from './node/verifierThread';

const USAGE = 'Usage: npm run chain -- [--port 9944] [--host 127.0.0.1] [--base-path DIR | --tmp] [--block-time MS | --idle-block-time MS] [--grandpa-authorities N]'
  + ' [--chain-name NAME] [--ss58-format N] [--token-symbol SYM]';

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string', default: '9944' },
      host: { type: 'string', default: '127.0.0.1' },
      'base-path': { type: 'string' },
      tmp: { type: 'boolean', default: false },
      'block-time': { type: 'string' },
      'idle-block-time': { type: 'string' },
      'grandpa-authorities': { type: 'string' },
      'chain-name': { type: 'string', default: DEV_IDENTITY.name },
      'ss58-format': { type: 'string', default: String(DEV_IDENTITY.properties.ss58Format) },
      'token-symbol': { type: 'string', default: DEV_IDENTITY.properties.tokenSymbol },
      help: { type: 'boolean', default: false },
    },
  }));
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port must be a port number.');
const blockTimeMs = values['block-time'] === undefined ? undefined : Number(values['block-time']);
if (blockTimeMs !== undefined && !(Number.isInteger(blockTimeMs) && blockTimeMs > 0)) fail('--block-time must be a positive number of milliseconds.');
const idleBlockMs = values['idle-block-time'] === undefined ? undefined : Number(values['idle-block-time']);
if (idleBlockMs !== undefined && !(Number.isInteger(idleBlockMs) && idleBlockMs > 0)) fail('--idle-block-time must be a positive number of milliseconds.');
if (idleBlockMs !== undefined && blockTimeMs !== undefined) fail('Use either --block-time or --idle-block-time, not both.');
const grandpaAuthorities = values['grandpa-authorities'] === undefined ? undefined : Number(values['grandpa-authorities']);
if (grandpaAuthorities !== undefined && !(Number.isInteger(grandpaAuthorities) && grandpaAuthorities >= 1 && grandpaAuthorities <= 100)) {
  fail('--grandpa-authorities must be a number from 1 to 100.');
}
const chainName = values['chain-name'];
if (!/^[\x20-\x7e]{1,64}$/.test(chainName)) fail('--chain-name must be 1 to 64 printable ASCII characters.');
const ss58Format = Number(values['ss58-format']);
// 46 and 47 are reserved by the SS58 registry; 0–16383 is what the address encoding can carry.
if (!(Number.isInteger(ss58Format) && ss58Format >= 0 && ss58Format <= 16383 && ss58Format !== 46 && ss58Format !== 47)) {
  fail('--ss58-format must be an SS58 address prefix from 0 to 16383 (not the reserved 46 or 47).');
}
const tokenSymbol = values['token-symbol'];
if (!/^[A-Za-z][A-Za-z0-9]{0,11}$/.test(tokenSymbol)) fail('--token-symbol must be 1 to 12 ASCII letters and digits, starting with a letter.');
if (values.tmp && values['base-path']) fail('Use either --base-path or --tmp, not both.');

const log = (line: string) => console.log(`chain: ${line}`);
let running: RunningChain;
try {
  running = await startChain({
    port,
    host: values.host,
    // Without either flag, blocks persist in the project's data directory.
    basePath: values.tmp ? undefined : values['base-path'] ?? join(process.cwd(), '.data', 'chain'),
    blockTimeMs,
    idleBlockMs,
    grandpaAuthorities,
    identity: { name: chainName, properties: { ...DEV_IDENTITY.properties, ss58Format, tokenSymbol } },
    log,
    verifier: startVerifierThread(log),
  });
} catch (e) {
  // Exiting also ends the verifier thread, whatever stage startup reached.
  console.error(`chain: could not start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
console.log(`chain ready ${running.url} genesis ${running.genesisHash} base-path ${running.basePath} authority-seed ${running.devAuthoritySeedPath}`);

stopWhenAskedOrOrphaned(() => {
  running.close().then(() => process.exit(0), () => process.exit(1));
});
