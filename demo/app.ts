/**
 * The demo dApp: what any Polkadot dApp does with the standard injected provider, plus the
 * `darkWallet` API. It talks to the wallet only through `@polkadot/extension-dapp`.
 */
import { ApiPromise, WsProvider } from '@polkadot/api';
import { web3Accounts, web3Enable, web3FromSource } from '@polkadot/extension-dapp';
import type { InjectedAccountWithMeta } from '@polkadot/extension-inject/types';
import { stringToHex } from '@polkadot/util';
import { chainProperties } from '../shared/client/chain-properties';
import type { DarkWalletInjected } from '../extension/page-api/index';

const $ = <T extends HTMLElement>(id: string) => document.querySelector<T>(`[data-testid="${id}"]`)!;
const config = (await (await fetch('./config.json')).json()) as { chain: string };

let accounts: InjectedAccountWithMeta[] = [];
let wallet: DarkWalletInjected | null = null;
let api: Promise<ApiPromise> | null = null;

const chain = () => (api ??= ApiPromise.create({ provider: new WsProvider(config.chain), noInitWarn: true }));
const selected = () => accounts.find((a) => a.address === $<HTMLSelectElement>('accounts').value) ?? null;
const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x), 2);

/** Runs an action and shows its result or its error message (wallet errors say what to do). */
function action(button: string, out: string, run: () => Promise<unknown>): void {
  $(button).addEventListener('click', async () => {
    const el = $(out);
    el.textContent = '…';
    try {
      el.textContent = String(await run());
    } catch (e) {
      el.textContent = `Error: ${e instanceof Error ? e.message : String(e)}`;
    }
  });
}

function needWallet(): { account: InjectedAccountWithMeta; wallet: DarkWalletInjected } {
  const account = selected();
  if (!wallet || !account) throw new Error('Connect the wallet and pick an account first.');
  return { account, wallet };
}

action('connect', 'connect-status', async () => {
  const extensions = await web3Enable('Dark Wallet demo dApp');
  const ours = extensions.find((e) => e.name === 'dark-wallet');
  if (!ours) return 'Dark Wallet is not installed, or this site was not authorized.';
  // extension-dapp spreads the injected object, so our extra `darkWallet` API comes along.
  wallet = (await web3FromSource('dark-wallet')) as unknown as DarkWalletInjected;
  accounts = await web3Accounts({ extensions: ['dark-wallet'] });
  $<HTMLSelectElement>('accounts').replaceChildren(...accounts.map((a) => new Option(`${a.meta.name ?? 'account'} — ${a.address}`, a.address)));
  return `Connected: ${accounts.length} account(s).`;
});

action('sign', 'sign-result', async () => {
  const { account, wallet: w } = needWallet();
  const data = stringToHex($<HTMLInputElement>('message').value);
  const { signature } = await w.signer.signRaw!({ address: account.address, data, type: 'bytes' });
  return `address ${account.address}\ndata ${data}\nsignature ${signature}`;
});

action('pub-send', 'pub-result', async () => {
  const { account, wallet: w } = needWallet();
  const a = await chain();
  const { tokenDecimals: decimals } = chainProperties(a);
  const [whole, frac = ''] = $<HTMLInputElement>('pub-amount').value.trim().split('.');
  const value = BigInt(whole) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, '0').slice(0, decimals) || '0');
  const tx = a.tx.balances.transferKeepAlive($<HTMLInputElement>('pub-to').value.trim(), value);
  return new Promise<string>((resolve, reject) => {
    // withSignedTransaction: the wallet may sign with CheckMetadataHash mode 1 (RFC-78) and hand back
    // the transaction it signed, which is then what is submitted.
    tx.signAndSend(account.address, { signer: w.signer, withSignedTransaction: true }, (r) => {
      if (r.dispatchError) reject(new Error(`The chain refused the transfer (${r.dispatchError.toString()}).`));
      else if (r.status.isFinalized) resolve(`Finalized in ${r.status.asFinalized.toHex()}`);
    }).catch(reject);
  });
});

action('sec-send', 'sec-result', async () => {
  const { account, wallet: w } = needWallet();
  const r = await w.darkWallet.transfer({
    address: account.address, asset: Number($<HTMLInputElement>('sec-asset').value),
    to: $<HTMLInputElement>('sec-to').value.trim(), amount: $<HTMLInputElement>('sec-amount').value.trim(),
  });
  return `Submitted: ${json(r)}`;
});

action('tok-issue', 'tok-result', async () => {
  const { account, wallet: w } = needWallet();
  const r = await w.darkWallet.issue({
    address: account.address, symbol: $<HTMLInputElement>('tok-symbol').value.trim(), name: $<HTMLInputElement>('tok-name').value.trim(),
    decimals: Number($<HTMLInputElement>('tok-decimals').value), supply: $<HTMLInputElement>('tok-supply').value.trim(),
  });
  return `Submitted: ${json(r)}`;
});

action('sec-balances', 'sec-balances-result', async () => {
  const { account, wallet: w } = needWallet();
  return json(await w.darkWallet.balances({ address: account.address }));
});
