/**
 * `npm run dark -- VERB [options]`: the client SDK from a terminal, for token issuers and scripts.
 * Amounts are in whole tokens (e.g. 1.5), scaled by the asset's decimals.
 */
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { parseArgs } from 'node:util';
import { DarkWalletError } from '../errors';
import { accountId, accountIdToAddress, assetId, NATIVE_ASSET, type AssetId } from '../types';
import { formatUnits, parseUnits } from '../units';
import { chainProperties } from './chain-properties';
import { DarkClient, type Submitted } from './dark-client';

const USAGE = `Usage: npm run dark -- <verb> [options]
Verbs:
  balances                                   your secret balances
  history                                    your secret history
  assets                                     secret assets (public metadata)
  convert-to-secret --amount A               public native token -> secret
  convert-to-public --amount A [--to ADDR]   secret native token -> public (default: yourself)
  transfer --to ADDR --amount A [--asset ID] secret transfer (asset 0 = the secret native token)
  issue --symbol S --name N --decimals D --supply A
  mint --asset ID --amount A | burn --asset ID --amount A
Options: --suri SURI (default //Alice)  --chain ws://127.0.0.1:9944  --worker http://127.0.0.1:8000  --contract 1`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    suri: { type: 'string', default: '//Alice' },
    chain: { type: 'string', default: 'ws://127.0.0.1:9944' },
    worker: { type: 'string', default: 'http://127.0.0.1:8000' },
    contract: { type: 'string', default: '1' },
    amount: { type: 'string' }, to: { type: 'string' }, asset: { type: 'string', default: '0' },
    symbol: { type: 'string' }, name: { type: 'string' }, decimals: { type: 'string' }, supply: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

function need(name: keyof typeof values): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new DarkWalletError('Usage', `Missing --${name}.\n\n${USAGE}`);
  return v;
}

async function main(): Promise<void> {
  const verb = positionals[0];
  if (!verb || values.help) {
    console.log(USAGE);
    return;
  }
  await cryptoWaitReady();
  const api = await ApiPromise.create({ provider: new WsProvider(values.chain), noInitWarn: true, throwOnConnect: true });
  try {
    const { ss58Format: ss58, tokenSymbol: nativeSymbol, tokenDecimals: nativeDecimals } = chainProperties(api);
    const pair = new Keyring({ type: 'sr25519', ss58Format: ss58 }).addFromUri(values.suri!);
    const client = await DarkClient.connect({ api, workerUrl: values.worker!, contractId: Number(values.contract) });
    const decimalsOf = async (asset: AssetId) => asset === NATIVE_ASSET ? nativeDecimals : (await client.assetInfo(asset))?.decimals ?? 0;
    const symbolOf = async (asset: AssetId) => asset === NATIVE_ASSET ? nativeSymbol : (await client.assetInfo(asset))?.symbol ?? `#${asset}`;
    const settle = async (s: Submitted) => {
      const entry = await client.waitFor(pair, s, { throwOnFailure: true });
      console.log(`applied in block #${entry.block}${entry.kind === 'Issue' ? ` as asset ${entry.asset}` : ''}`);
    };

    switch (verb) {
      case 'balances':
        for (const b of await client.balances(pair)) console.log(`${await symbolOf(b.asset)} (asset ${b.asset}): ${formatUnits(b.amount, await decimalsOf(b.asset))}`);
        break;
      case 'history':
        for (const e of await client.fullHistory(pair)) {
          const who = e.counterparty ? ` ${e.direction === 'In' ? 'from' : 'to'} ${accountIdToAddress(e.counterparty, ss58)}` : '';
          const status = e.outcome.ok ? 'ok' : `failed: ${e.outcome.error}`;
          console.log(`#${e.block} ${e.kind} ${formatUnits(e.amount, await decimalsOf(e.asset))} ${await symbolOf(e.asset)}${who} (${status})`);
        }
        break;
      case 'assets':
        for (const a of await client.assets()) console.log(`${a.id}\t${a.symbol}\t${a.name}\t${a.decimals} decimals`);
        break;
      case 'convert-to-secret':
        await settle(await client.convertToSecret(pair, parseUnits(need('amount'), nativeDecimals)));
        break;
      case 'convert-to-public':
        await settle(await client.convertToPublic(pair, {
          dest: values.to ? accountId(values.to) : accountId(pair.publicKey), amount: parseUnits(need('amount'), nativeDecimals),
        }));
        break;
      case 'transfer': {
        const asset = assetId(Number(values.asset));
        await settle(await client.transfer(pair, { asset, dest: accountId(need('to')), amount: parseUnits(need('amount'), await decimalsOf(asset)) }));
        break;
      }
      case 'issue': {
        const decimals = Number(need('decimals'));
        await settle(await client.issue(pair, { symbol: need('symbol'), name: need('name'), decimals, supply: parseUnits(need('supply'), decimals) }));
        break;
      }
      case 'mint':
      case 'burn': {
        const asset = assetId(Number(need('asset')));
        const amt = parseUnits(need('amount'), await decimalsOf(asset));
        await settle(await (verb === 'mint' ? client.mint(pair, { asset, amount: amt }) : client.burn(pair, { asset, amount: amt })));
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
