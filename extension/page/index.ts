/**
 * Runs in the page's MAIN world at document_start (declared in the manifest, so there is no
 * <script>-tag race). Adds us to `window.injectedWeb3` without touching other wallets' entries.
 */
import type { InjectedWindowProvider } from '@polkadot/extension-inject/types';
import { EXTENSION_NAME } from '../messages/constants';
import { createInjected } from './injected';
import { sendMessage } from './messaging';
import type { DarkWalletInjected, DarkWalletProvider } from './types';

const win = window as Window & { injectedWeb3?: Record<string, InjectedWindowProvider> };

const provider: DarkWalletProvider = {
  version: DARK_WALLET_VERSION,
  async enable(originName: string): Promise<DarkWalletInjected> {
    await sendMessage('pub(authorize.tab)', { origin: String(originName) });
    return createInjected();
  },
};

win.injectedWeb3 ??= {};
win.injectedWeb3[EXTENSION_NAME] = provider;
