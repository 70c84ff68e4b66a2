/**
 * The test dApp: a page that uses @polkadot/extension-dapp exactly as a real dApp would, exposed on
 * `window.dapp` for the tests. Every call settles to `{ ok }` or `{ error: { code, message } }`.
 */
import { ApiPromise, WsProvider } from '@polkadot/api';
import { web3Accounts, web3Enable, web3FromSource } from '@polkadot/extension-dapp';
import type { MetadataDef } from '@polkadot/extension-inject/types';
import type { SignerPayloadJSON } from '@polkadot/types/types';
import { stringToHex } from '@polkadot/util';
import { CONTENT_TAG, EXTENSION_NAME, PAGE_TAG } from '../../../extension/messages/constants';
import type {
  AccountOption, ConvertToPublic, DarkWalletInjected, HistoryOptions, IssueToken, SecretTransfer,
} from '../../../extension/page/types';

type Settled<T> = { ok: T } | { error: { code?: string; message: string } };

async function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: await p };
  } catch (e) {
    const err = e as Error & { code?: string };
    return { error: { code: err.code, message: err.message } };
  }
}

const injected = () => web3FromSource(EXTENSION_NAME);
/** extension-dapp spreads the injected object, so the `darkWallet` API comes along. */
const dark = async () => ((await injected()) as unknown as DarkWalletInjected).darkWallet;

/** Posts a message straight to the content script, bypassing the page script (what a hostile page could do). */
function raw(message: string, request: unknown): Promise<unknown> {
  const id = `raw.${Math.random()}`;
  return new Promise((resolve) => {
    addEventListener('message', function listen({ source, data }) {
      if (source !== window || data?.origin !== CONTENT_TAG || data.id !== id) return;
      removeEventListener('message', listen);
      resolve(data.error ? { error: data.error } : { ok: data.response });
    });
    postMessage({ id, message, request, origin: PAGE_TAG }, location.origin);
  });
}

const dapp = {
  enable: (name: string) => settle(web3Enable(name).then((exts) => exts.map((e) => e.name))),
  accounts: () => settle(web3Accounts().then((list) => list.map((a) => a.address))),
  signRaw: (address: string, text: string) => settle((async () => {
    const data = stringToHex(text);
    const { signature } = await (await injected()).signer.signRaw!({ address, data, type: 'bytes' });
    return { data, signature };
  })()),
  /** signRaw of bytes given as hex, exactly as a page would ask for them. */
  signRawHex: (address: string, data: string) => settle((async () => (await (await injected()).signer.signRaw!({ address, data, type: 'bytes' })).signature)()),
  signPayload: (payload: SignerPayloadJSON) => settle((async () => (await (await injected()).signer.signPayload!(payload)).signature)()),
  /**
   * A public transfer the way a current @polkadot/api dApp sends one: built on its own connection,
   * signed through the injected signer with `withSignedTransaction` (so the wallet may add the
   * metadata hash and hand back the transaction it signed, which is what gets submitted).
   */
  publicTransfer: (endpoint: string, from: string, to: string, amount: string) => settle((async () => {
    const api = await ApiPromise.create({ provider: new WsProvider(endpoint), noInitWarn: true });
    try {
      const { signer } = await injected();
      const tx = api.tx.balances.transferKeepAlive(to, BigInt(amount));
      return await new Promise<{ blockHash: string; txHash: string }>((resolve, reject) => {
        tx.signAndSend(from, { signer, withSignedTransaction: true }, (r) => {
          if (r.dispatchError) reject(new Error(r.dispatchError.toString()));
          else if (r.status.isInBlock) resolve({ blockHash: r.status.asInBlock.toHex(), txHash: r.txHash.toHex() });
        }).catch(reject);
      });
    } finally {
      await api.disconnect();
    }
  })()),
  provideMetadata: (def: MetadataDef) => settle((async () => (await injected()).metadata!.provide(def))()),
  knownMetadata: () => settle((async () => (await injected()).metadata!.get())()),
  secret: {
    balances: (o?: AccountOption) => settle((async () => (await dark()).balances(o))()),
    history: (o?: HistoryOptions) => settle((async () => (await dark()).history(o))()),
    transfer: (r: SecretTransfer) => settle((async () => (await dark()).transfer(r))()),
    convertToSecret: (amount: string, o?: AccountOption) => settle((async () => (await dark()).convertToSecret(amount, o))()),
    convertToPublic: (r: ConvertToPublic) => settle((async () => (await dark()).convertToPublic(r))()),
    issue: (r: IssueToken) => settle((async () => (await dark()).issue(r))()),
  },
  raw,
  injectedNames: () => Object.keys((window as unknown as { injectedWeb3: object }).injectedWeb3),
};

window.dapp = dapp;
export type Dapp = typeof dapp;

declare global {
  interface Window {
    /** The test dApp's API (test/e2e/helpers/dapp-page.ts). */
    dapp: Dapp;
  }
}
