/**
 * `npm run dark -- VERB [options]`: the client SDK from a terminal, for token issuers and scripts.
 * Amounts are in whole tokens (e.g. 1.5), scaled by the asset's decimals. Assets are named by symbol
 * (GOLD) or id, and every result says which token and how much it moved. Failures print one
 * sentence (shared/client/reasons.ts), never a bare code.
 */
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { parseArgs } from 'node:util';
import { DarkWalletError } from '../errors';
import type { HistoryEntry } from '../protocol/ledger';
import { accountIdToAddress, NATIVE_ASSET, type AccountId, type Amount } from '../types';
import { formatUnits, parseUnits } from '../units';
import { cliAccount, resolveAsset, type CliAsset } from './cli-args';
import { chainProperties } from './chain-properties';
import { DarkClient, type Submitted } from './dark-client';

const USAGE = `Usage: npm run dark -- <verb> [options]
Verbs:
  balances                                     your secret balances
  history                                      your secret history
  assets                                       secret assets (public metadata)
  convert-to-secret --amount A                 public native token -> secret
  convert-to-public --amount A [--to ADDR]     secret native token -> public (default: yourself)
  transfer --to ADDR --amount A [--asset SYM]  secret transfer (default: the secret native token)
  issue --symbol S --name N --decimals D --supply A
  mint --asset SYM --amount A | burn --asset SYM --amount A
--asset takes a token symbol (GOLD) or an asset id (npm run dark -- assets lists both).
Options: --suri SURI (default //Alice)  --chain ws://127.0.0.1:9944  --worker http://127.0.0.1:8000  --contract 1
  --relay URL  send secret operations through a command relayer (npm start's: the worker's URL); paid
               in secret PHA, so the account never appears on chain and needs no public balance`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    suri: { type: 'string', default: '//Alice' },
    chain: { type: 'string', default: 'ws://127.0.0.1:9944' },
    worker: { type: 'string', default: 'http://127.0.0.1:8000' },
    relay: { type: 'string' },
    contract: { type: 'string', default: '1' },
    amount: { type: 'string' }, to: { type: 'string' }, asset: { type: 'string' },
    symbol: { type: 'string' }, name: { type: 'string' }, decimals: { type: 'string' }, supply: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

function need(name: keyof typeof values): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new DarkWalletError('Usage', `Missing --${name}.\n\n${USAGE}`);
  return v;
}

async function connectChain(url: string): Promise<ApiPromise> {
  try {
    return await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true, throwOnConnect: true });
  } catch {
    throw new DarkWalletError('ChainUnavailable', `Cannot reach the chain at ${url}. Check that it is running, or pass its address with --chain.`);
  }
}

async function main(): Promise<void> {
  const verb = positionals[0];
  if (!verb || values.help) {
    console.log(USAGE);
    return;
  }
  await cryptoWaitReady();
  const api = await connectChain(values.chain!);
  try {
    const { ss58Format: ss58, tokenSymbol: nativeSymbol, tokenDecimals: nativeDecimals } = chainProperties(api);
    const native: CliAsset = { id: NATIVE_ASSET, symbol: nativeSymbol, decimals: nativeDecimals };
    const pair = new Keyring({ type: 'sr25519', ss58Format: ss58 }).addFromUri(values.suri!);
    const client = await DarkClient.connect({ api, workerUrl: values.worker!, contractId: Number(values.contract), relayUrl: values.relay });
    const assetsById = async () => new Map([[NATIVE_ASSET as number, native], ...(await client.assets()).map((a) => [a.id as number, a] as const)]);
    const asset = async (fallback?: CliAsset) => {
      if (values.asset === undefined && fallback) return fallback;
      return resolveAsset(need('asset'), [...(await assetsById()).values()]);
    };
    const show = (amount: Amount, a: CliAsset) => `${formatUnits(amount, a.decimals)} ${a.symbol}`;
    const address = (id: AccountId) => accountIdToAddress(id, ss58);
    /** Waits for the ledger's verdict and prints what moved; a refusal throws its sentence. */
    const settle = async (submitted: Promise<Submitted>, moved: (entry: HistoryEntry) => string) => {
      const entry = await client.waitFor(pair, await submitted, { throwOnFailure: true });
      console.log(`${moved(entry)}: applied in block #${entry.block}.`);
    };

    switch (verb) {
      case 'balances': {
        const byId = await assetsById();
        for (const b of await client.balances(pair)) {
          const a = byId.get(b.asset) ?? { id: b.asset, symbol: `#${b.asset}`, decimals: 0 };
          console.log(`${a.symbol} (asset ${b.asset}): ${formatUnits(b.amount, a.decimals)}`);
        }
        break;
      }
      case 'history': {
        const byId = await assetsById();
        for (const e of await client.fullHistory(pair)) {
          const a = byId.get(e.asset) ?? { id: e.asset, symbol: `#${e.asset}`, decimals: 0 };
          const who = e.counterparty ? ` ${e.direction === 'In' ? 'from' : 'to'} ${address(e.counterparty)}` : '';
          const status = e.outcome.ok ? 'ok' : `failed: ${e.outcome.error}`;
          console.log(`#${e.block} ${e.kind} ${show(e.amount, a)}${who} (${status})`);
        }
        break;
      }
      case 'assets':
        for (const a of await client.assets()) console.log(`${a.id}\t${a.symbol}\t${a.name}\t${a.decimals} decimals`);
        break;
      case 'convert-to-secret': {
        const amount = parseUnits(need('amount'), nativeDecimals);
        await settle(client.convertToSecret(pair, amount), () => `Converted ${show(amount, native)} to secret`);
        break;
      }
      case 'convert-to-public': {
        const amount = parseUnits(need('amount'), nativeDecimals);
        const dest = values.to ? cliAccount(values.to, 'to') : cliAccount(pair.address, 'suri');
        await settle(client.convertToPublic(pair, { dest, amount }), () => `Converted ${show(amount, native)} to public, paid to ${address(dest)}`);
        break;
      }
      case 'transfer': {
        const a = await asset(native);
        const dest = cliAccount(need('to'), 'to');
        const amount = parseUnits(need('amount'), a.decimals);
        await settle(client.transfer(pair, { asset: a.id, dest, amount }), () => `Sent ${show(amount, a)} (asset ${a.id}) to ${address(dest)}`);
        break;
      }
      case 'issue': {
        const decimals = Number(need('decimals'));
        if (!Number.isInteger(decimals) || decimals < 0 || decimals > 38) throw new DarkWalletError('Usage', '--decimals is a whole number from 0 to 38.');
        const symbol = need('symbol');
        const supply = parseUnits(need('supply'), decimals);
        await settle(client.issue(pair, { symbol, name: need('name'), decimals, supply }),
          (e) => `Issued ${show(supply, { id: e.asset, symbol, decimals })} as asset ${e.asset}`);
        break;
      }
      case 'mint':
      case 'burn': {
        const a = await asset();
        const amount = parseUnits(need('amount'), a.decimals);
        const args = { asset: a.id, amount };
        await settle(verb === 'mint' ? client.mint(pair, args) : client.burn(pair, args),
          () => `${verb === 'mint' ? 'Minted' : 'Burned'} ${show(amount, a)} (asset ${a.id})`);
        break;
      }
      default:
        throw new DarkWalletError('Usage', `Unknown verb "${verb}".\n\n${USAGE}`);
    }
  } finally {
    await api.disconnect();
  }
}

// If the event loop ever empties while a command is in flight, that is a failure, not success.
process.on('beforeExit', () => { if (!finished) process.exit(1); });
let finished = false;
main().then(() => { finished = true; }, (e: unknown) => {
  console.error(e instanceof DarkWalletError ? e.message : 'Unexpected failure.');
  process.exit(1);
});
