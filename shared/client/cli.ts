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
import { accountIdToAddress, NATIVE_ASSET, toHex, type AccountId, type Amount, type AssetId } from '../types';
import { formatUnits, parseUnits } from '../units';
import { cliAccount, resolveAsset, type CliAsset } from './cli-args';
import { chainProperties } from './chain-properties';
import { parsePermitFields, permitExpiry, readPermitFile, writePermitFile } from './cli-permits';
import { accountOf } from './account';
import { DarkClient, type Submitted } from './dark-client';
import { RelayTransport } from './relay-transport';
import type { WorkerSet } from './worker-set';

const USAGE = `Usage: npm run dark -- <verb> [options]
Verbs:
  balances                                     your secret balances
  history                                      your secret history
  assets                                       secret assets (public metadata; 'issued by you' for yours)
  convert-to-secret --amount A                 public native token -> secret
  convert-to-public --amount A [--to ADDR]     secret native token -> public (default: yourself)
  transfer --to ADDR --amount A [--asset SYM]  secret transfer (default: the secret native token)
  issue --symbol S --name N --decimals D --supply A
  mint --asset SYM --amount A | burn --asset SYM --amount A
  permit grant --auditor ADDR --asset SYM[,SYM…] --fields balances[,history]
               (--expires-in BLOCKS | --expires-at-block N) [--name NAME] --out FILE
                                               let an auditor read those assets (nothing moves)
  permit revoke --permit FILE                  the permit reads nothing from the next block on
  audit --permit FILE                          read what a permit grants you (--suri: the auditor)
  workers (or status)                          the contract's workers on chain: verified or left out, and which answer
--asset takes a token symbol (GOLD) or an asset id (npm run dark -- assets lists both).
Options: --suri SURI (default //Alice)  --chain ws://127.0.0.1:9944  --contract 1
  --worker URL use only this worker (default: every attested worker of the contract, read from chain,
               queries spread over them and moved to another when one does not answer)
  --relay URL  the command relayer secret operations go through; paid in secret PHA, so the account
               never appears on chain and needs no public balance. Default: --worker's relayer, or
               without --worker the first verified worker on chain whose relayer answers (as in npm start)
  --direct     sign and push secret operations from the account itself (it then pays the chain's fee
               in public PHA and appears on chain)`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    suri: { type: 'string', default: '//Alice' },
    chain: { type: 'string', default: 'ws://127.0.0.1:9944' },
    worker: { type: 'string' },
    relay: { type: 'string' },
    direct: { type: 'boolean', default: false },
    contract: { type: 'string', default: '1' },
    amount: { type: 'string' }, to: { type: 'string' }, asset: { type: 'string' },
    symbol: { type: 'string' }, name: { type: 'string' }, decimals: { type: 'string' }, supply: { type: 'string' },
    auditor: { type: 'string' }, fields: { type: 'string' }, 'expires-in': { type: 'string' }, 'expires-at-block': { type: 'string' },
    permit: { type: 'string' }, out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

function need(name: keyof typeof values): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new DarkWalletError('Usage', `Missing --${name}.\n\n${USAGE}`);
  return v;
}

/**
 * Relayed unless `--direct`: through `--relay`, else `--worker`'s own relayer, else (null) the first
 * verified worker on chain whose relayer answers (`relayerFromChain`).
 */
function relayChoice(): string | undefined | null {
  if (values.direct && values.relay) throw new DarkWalletError('Usage', `Pass either --relay or --direct, not both.\n\n${USAGE}`);
  return values.direct ? undefined : values.relay ?? values.worker ?? null;
}

/** Whether `verb` sends a secret command (which then needs its relayer); reads and deposits do not. */
const sendsCommand = (verb: string, sub: string | undefined) =>
  verb === 'permit' ? sub === 'revoke' : ['convert-to-public', 'transfer', 'issue', 'mint', 'burn'].includes(verb);

/** The first of the contract's verified workers whose relayer quotes a fee; never a silent fall back to sending directly. */
async function relayerFromChain(workers: WorkerSet): Promise<string> {
  for (const { url } of workers.trusted) {
    try {
      await new RelayTransport(url).quote();
      return url;
    } catch {
      // not relaying (or not answering): try the next worker
    }
  }
  throw new DarkWalletError('RelayUnavailable', 'None of the contract\'s verified workers on chain answers as a command relayer. Pass --relay URL, or --direct to send from the account (it then appears on chain).');
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
    const relay = relayChoice();
    const connect = (relayUrl: string | undefined) => DarkClient.connect({ api, workerUrl: values.worker, contractId: Number(values.contract), relayUrl });
    let client = await connect(relay ?? undefined);
    if (relay === null && sendsCommand(verb, positionals[1])) client = await connect(await relayerFromChain(client.workerSet));
    const assetsById = async () => new Map([[NATIVE_ASSET as number, native], ...(await client.assets()).map((a) => [a.id as number, a] as const)]);
    const asset = async (fallback?: CliAsset) => {
      if (values.asset === undefined && fallback) return fallback;
      return resolveAsset(need('asset'), [...(await assetsById()).values()]);
    };
    const show = (amount: Amount, a: CliAsset) => `${formatUnits(amount, a.decimals)} ${a.symbol}`;
    const address = (id: AccountId) => accountIdToAddress(id, ss58);
    const assetOf = (byId: Map<number, CliAsset>, id: AssetId): CliAsset => byId.get(id) ?? { id, symbol: `#${id}`, decimals: 0 };
    const printHistory = (entries: HistoryEntry[], byId: Map<number, CliAsset>) => {
      for (const e of entries) {
        const who = e.counterparty ? ` ${e.direction === 'In' ? 'from' : 'to'} ${address(e.counterparty)}` : '';
        const status = e.outcome.ok ? 'ok' : `failed: ${e.outcome.error}`;
        console.log(`#${e.block} ${e.kind} ${show(e.amount, assetOf(byId, e.asset))}${who} (${status})`);
      }
    };
    const permitVerb = async (action: string | undefined) => {
      if (action === 'revoke') {
        const { id, name, owner } = readPermitFile(need('permit')).permit;
        if (owner !== accountOf(pair)) throw new DarkWalletError('Usage', 'Only the owner who granted this permit can revoke it: pass the owner\'s --suri.');
        await settle(client.revokePermit(pair, id), () => `Revoked the permit "${name}"; it reads nothing from the next block on`);
        return;
      }
      if (action !== 'grant') throw new DarkWalletError('Usage', `Use \`permit grant\` or \`permit revoke\`.\n\n${USAGE}`);
      const known = [...(await assetsById()).values()];
      const assets = need('asset').split(',').map((s) => resolveAsset(s, known));
      const head = (await api.rpc.chain.getHeader()).number.toNumber();
      const expiresAtBlock = permitExpiry(head, { expiresIn: values['expires-in'], expiresAtBlock: values['expires-at-block'] });
      const fields = parsePermitFields(need('fields'));
      const out = need('out');
      const permit = client.grantPermit(pair, {
        name: values.name ?? 'Auditor', auditor: cliAccount(need('auditor'), 'auditor'), assets: assets.map((a) => a.id), fields, expiresAtBlock,
      });
      writePermitFile(out, permit, ss58);
      const what = [fields.balances ? 'balances' : '', fields.history ? 'history' : ''].filter(Boolean).join(' and ');
      console.log(`Wrote ${out}: ${address(permit.permit.auditor)} may read the ${what} of ${assets.map((a) => a.symbol).join(', ')} until block #${expiresAtBlock}. Nothing was sent to the chain.`);
    };
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
      case 'history':
        printHistory(await client.fullHistory(pair), await assetsById());
        break;
      case 'audit': {
        const permit = readPermitFile(need('permit'));
        const { name, owner, expiresAtBlock } = permit.permit;
        const view = await client.audit(permit, pair);
        const byId = await assetsById();
        console.log(`Permit "${name}" from ${address(owner)}, readable until block #${expiresAtBlock}:`);
        for (const b of view.balances ?? []) console.log(`${assetOf(byId, b.asset).symbol} (asset ${b.asset}): ${formatUnits(b.amount, assetOf(byId, b.asset).decimals)}`);
        if (view.history) printHistory(view.history, byId);
        break;
      }
      case 'permit':
        await permitVerb(positionals[1]);
        break;
      case 'workers':
      case 'status':
        await printWorkers(client);
        break;
      case 'assets':
        // Asked as --suri: the worker names the issuer of that account's own tokens, and of no others.
        for (const a of await client.assets(pair)) {
          console.log(`${a.id}\t${a.symbol}\t${a.name}\t${a.decimals} decimals${a.issuer === null ? '' : '\tissued by you'}`);
        }
        break;
      case 'convert-to-secret': {
        const amount = parseUnits(need('amount'), nativeDecimals);
        await settle(client.convertToSecret(pair, amount), () => `Converted ${show(amount, native)} to secret`);
        break;
      }
      case 'convert-to-public': {
        const amount = parseUnits(need('amount'), nativeDecimals);
        const dest = values.to ? cliAccount(values.to, 'to') : cliAccount(pair.address, 'suri');
        await settle(client.convertToPublic(pair, { dest, amount }), () => `Converted ${show(amount, native)} to public for ${address(dest)} (paid with the worker's next receipt batch)`);
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

/** Each worker the chain names for the contract: verified (with where it is now) or left out (with why). */
async function printWorkers(client: DarkClient): Promise<void> {
  const { trusted, excluded } = client.workerSet;
  const short = (pub: Uint8Array) => `${toHex(pub).slice(0, 18)}…`;
  console.log(`Contract ${client.contract.contractId}: ${trusted.length} verified worker(s) on chain (${client.contract.attestationLabel}).`);
  const asked = client.pool.members;
  for (const w of asked) {
    const who = w.identityPub ? `identity ${short(w.identityPub)}` : 'configured with --worker';
    try {
      const health = await w.transport.health();
      const holds = health.contractPub?.toLowerCase() === toHex(client.contract.contractPub);
      console.log(`${w.transport.url}\t${who}\tprocessed block #${health.lastBlock}${holds ? '' : '\tDOES NOT HOLD THE CONTRACT KEY'}`);
    } catch {
      console.log(`${w.transport.url}\t${who}\tnot answering`);
    }
  }
  for (const x of excluded) console.log(`left out: identity ${short(x.identityPub)}: ${x.why}`);
}

// If the event loop ever empties while a command is in flight, that is a failure, not success.
process.on('beforeExit', () => { if (!finished) process.exit(1); });
let finished = false;
main().then(() => { finished = true; }, (e: unknown) => {
  console.error(e instanceof DarkWalletError ? e.message : 'Unexpected failure.');
  process.exit(1);
});
