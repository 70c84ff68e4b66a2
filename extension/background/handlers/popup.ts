/** `pri(*)`: messages from our own popup and approval windows. */
import { tryParseUnits } from '../../../shared/units';
import { WalletError } from '../../messages/errors';
import type { Accounts } from '../accounts/service';
import type { AddressBook } from '../address-book/store';
import type { ChainAccess } from '../chain/client';
import type { Approvals } from '../requests/approvals';
import type { SecretServices } from '../secret';
import type { Authorization } from '../sites/service';
import { siteView, type SiteStore } from '../sites/store';
import type { Networks } from '../networks/service';
import type { WalletStateHub } from '../state';
import type { UnlockedSession } from '../accounts/session';
import { typedRecipient } from '../secret/intent';
import { invalid } from '../validate';
import type { PopupHandlers } from './types';

export interface PopupDeps {
  accounts: Accounts;
  addressBook: AddressBook;
  session: UnlockedSession;
  approvals: Approvals;
  authorization: Authorization;
  sites: SiteStore;
  networks: Networks;
  chain: ChainAccess;
  state: WalletStateHub;
  secret: SecretServices;
}

/** Popup fields are typed by people: bounded strings, whatever the form sent. */
const text = (x: unknown): string => (typeof x === 'string' ? x.slice(0, 256) : '');

export function popupHandlers(d: PopupDeps): PopupHandlers {
  return {
    'pri(wallet.subscribe)': async (_req, ctx) => {
      ctx.onClose(d.state.subscribe((s) => ctx.push(s)));
      return d.state.current();
    },
    'pri(wallet.unlock)': async ({ password }) => {
      await d.accounts.unlock(password);
      return true;
    },
    'pri(wallet.lock)': async () => {
      await d.accounts.lock();
      return true;
    },
    'pri(mnemonic.generate)': async () => ({ mnemonic: d.accounts.generateMnemonic() }),
    'pri(accounts.validateUri)': async ({ suri, type }) => ({ address: d.accounts.previewUri(suri, type) }),
    'pri(accounts.createFromUri)': ({ suri, type, name, password }) => d.accounts.createFromUri(suri, type, name, password),
    'pri(accounts.importJson)': ({ json, jsonPassword, name, password }) => d.accounts.importJson(json, jsonPassword, name, password),
    'pri(accounts.exportJson)': async ({ address, password }) => ({ json: await d.accounts.exportJson(address, password) }),
    'pri(accounts.exportAll)': async ({ password }) => ({ json: await d.accounts.exportAll(password) }),
    'pri(accounts.importBatch)': ({ json, jsonPassword, accountsPassword, password }) => d.accounts.importBatch(json, jsonPassword, accountsPassword, password),
    'pri(accounts.rename)': async ({ address, name }) => {
      await d.accounts.rename(address, name);
      return true;
    },
    'pri(accounts.forget)': async ({ address }) => {
      await d.accounts.forget(address);
      return true;
    },
    'pri(requests.get)': ({ id }) => d.approvals.view(id),
    'pri(requests.approve)': async ({ id, address }) => {
      await d.approvals.approve(id, address);
      return true;
    },
    'pri(requests.approveAuthorize)': async ({ id, addresses }) => {
      await d.approvals.approveAuthorize(id, addresses);
      return true;
    },
    'pri(requests.reject)': async ({ id }) => {
      await d.approvals.reject(id);
      return true;
    },
    'pri(requests.cancel)': async ({ id }) => {
      await d.approvals.cancel(id);
      return true;
    },
    'pri(sites.list)': async () => (await d.sites.list()).map(siteView),
    'pri(sites.setAccounts)': async ({ origin, addresses }) => {
      await d.authorization.setAddresses(origin, addresses);
      return true;
    },
    'pri(sites.remove)': async ({ origin }) => {
      await d.authorization.remove(origin);
      return true;
    },
    'pri(settings.get)': () => d.networks.settings(),
    'pri(settings.save)': async (settings) => {
      const before = await d.networks.settings();
      const saved = await d.networks.saveSettings(settings);
      if (saved.autoLockMinutes !== before.autoLockMinutes) await d.session.restartTimer();
      return saved;
    },
    'pri(networks.list)': () => d.networks.list(),
    'pri(networks.add)': (req) => d.networks.add(req),
    'pri(networks.switch)': (req) => d.networks.switchTo(req),
    'pri(networks.remove)': (req) => d.networks.remove(req),
    'pri(addressBook.get)': () => d.addressBook.get(),
    'pri(addressBook.save)': ({ name, address }) => d.addressBook.save(name, address),
    'pri(addressBook.remove)': ({ address }) => d.addressBook.remove(address),
    'pri(chain.balances)': async () => d.chain.balances((await d.accounts.list()).map((a) => a.address)),
    'pri(chain.transfer)': async ({ from, to, amount }) => {
      const dest = typedRecipient(to);
      const pair = await d.accounts.pair(from);
      const { decimals, symbol } = await d.chain.token();
      const value = tryParseUnits(amount, decimals);
      if (value === null || value === 0n) {
        throw invalid(`Enter an amount of ${symbol} greater than zero, with at most ${decimals} decimals.`);
      }
      if (dest === from) throw new WalletError('InvalidInput', 'The recipient is the sending account. Choose another recipient.');
      const sent = await d.chain.transfer(pair, dest, value);
      await d.addressBook.noteRecent(dest);
      return sent;
    },
    'pri(dark.status)': () => d.secret.reads.status(),
    'pri(dark.assets)': () => d.secret.reads.assets(),
    'pri(dark.balances)': ({ address }) => d.secret.reads.balances(address),
    'pri(dark.history)': ({ address }) => d.secret.reads.history(address),
    'pri(dark.operations)': async (_req, ctx) => {
      ctx.onClose(d.secret.reads.subscribe((ops) => ctx.push(ops)));
      void d.secret.follower.resume(); // someone is looking: follow whatever a stopped worker left behind
      return d.secret.reads.operations();
    },
    'pri(dark.retry)': ({ id }) => d.secret.follower.retry(text(id)),
    'pri(dark.acceptContractKey)': async ({ ecdhPub }) => {
      await d.secret.acceptContractKey(text(ecdhPub));
      return null;
    },
    'pri(dark.convertToSecret)': ({ address, amount }) => d.secret.runner.submit(address, { op: 'convertToSecret', amount: text(amount) }),
    'pri(dark.convertToPublic)': ({ address, to, amount }) => d.secret.runner.submit(address, { op: 'convertToPublic', to: text(to), amount: text(amount) }),
    'pri(dark.transfer)': ({ address, asset, to, amount }) => d.secret.runner.submit(address, { op: 'transfer', asset, to: text(to), amount: text(amount) }),
    'pri(permits.list)': ({ address }) => d.secret.permits.list(text(address)),
    'pri(permits.grant)': (input) => d.secret.permits.grant(input),
    'pri(permits.revoke)': ({ id }) => d.secret.permits.revoke(text(id)),
    'pri(dark.issue)': ({ address, symbol, name, decimals, supply }) =>
      d.secret.runner.submit(address, { op: 'issue', symbol: text(symbol), name: text(name), decimals, supply: text(supply) }),
  };
}
