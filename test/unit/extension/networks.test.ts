/**
 * Networks in the background, against two real dev chains (in-process, different genesis hashes,
 * names, tokens and address formats) through the real @polkadot/api client: a single-network install
 * migrates into its first network, networks are added by endpoint and keyed by genesis, settings are
 * kept per network, bad input and unreachable or replaced chains get typed errors; and the store alone
 * on damaged storage.
 */
import { startChain, type RunningChain } from '../../../contract/chain';
import { DEV_IDENTITY } from '../../../contract/chain/config';
import { NetworkStore } from '../../../extension/background/networks/store';
import { SettingsStore } from '../../../extension/background/settings/store';
import type { BalancesView, NetworkView, NetworksView, Settings, WalletState } from '../../../extension/messages/types';
import { shutdown } from '../../helpers/teardown';
import { MemoryStorage, ok, popupPort, walletWith, type TestWallet } from './fakes';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const SECOND = { name: 'Second Dev', properties: { ...DEV_IDENTITY.properties, ss58Format: 0, tokenSymbol: 'DOT' } };

let first: RunningChain;
let second: RunningChain;

beforeAll(async () => {
  [first, second] = await Promise.all([startChain({ port: 0 }), startChain({ port: 0, identity: SECOND })]);
}, 60_000);

const wallets: TestWallet[] = [];

afterAll(() => shutdown(undefined, async () => {
  await Promise.all(wallets.map((w) => w.bg.stop()));
  await Promise.all([first?.close(), second?.close()]);
}));

const call = async <T>(w: TestWallet, type: Parameters<TestWallet['call']>[0], request: unknown): Promise<T> =>
  ok<T>(await w.call(type, request as never, popupPort()));
const failure = async (w: TestWallet, type: Parameters<TestWallet['call']>[0], request: unknown) =>
  (await w.call(type, request as never, popupPort()))?.error;
const state = (w: TestWallet) => call<WalletState>(w, 'pri(wallet.subscribe)', null);

/** A wallet with //Alice on the live client, pointed (as a single-network install was) at `chainEndpoint`. */
async function wallet(legacy: Record<string, unknown> = { chainEndpoint: first.url, workerEndpoint: 'http://127.0.0.1:8123', autoLockMinutes: 30 }): Promise<TestWallet> {
  const w = await walletWith(['Alice'], { chain: 'live' });
  await w.platform.local.set({ settings: legacy });
  wallets.push(w);
  return w;
}

test('a single-network install keeps its endpoints and auto-lock: its chain becomes the first network', async () => {
  const w = await wallet();
  expect(await call<Settings>(w, 'pri(settings.get)', null)).toEqual({
    chainEndpoint: first.url, workerEndpoint: 'http://127.0.0.1:8123', contractId: 1, relayEndpoint: null, autoLockMinutes: 30,
  });
  expect(await call<NetworksView>(w, 'pri(networks.list)', null)).toEqual({ active: null, networks: [] });
  expect((await state(w)).network).toBeNull();

  const balances = await call<BalancesView>(w, 'pri(chain.balances)', null); // the first connection
  expect(balances.token).toEqual({ symbol: 'PHA', decimals: 12 });
  const expected: NetworkView = {
    genesisHash: first.genesisHash, name: 'Dark Wallet Dev', tokenSymbol: 'PHA', tokenDecimals: 12, ss58Format: 42,
    chainEndpoint: first.url, workerEndpoint: 'http://127.0.0.1:8123', contractId: 1, relayEndpoint: null,
  };
  expect(await call<NetworksView>(w, 'pri(networks.list)', null)).toEqual({ active: first.genesisHash, networks: [expected] });
  expect((await state(w)).network).toEqual(expected);
  w.restart(); // a stopped service worker: all of it was stored
  expect(await call<Settings>(w, 'pri(settings.get)', null)).toEqual({ chainEndpoint: first.url, workerEndpoint: 'http://127.0.0.1:8123', contractId: 1, relayEndpoint: null, autoLockMinutes: 30 });
  expect((await state(w)).network).toEqual(expected);
});

test('a network is added by its endpoint, read from the chain, keyed by genesis; the same chain again updates it', async () => {
  const w = await wallet();
  await call(w, 'pri(chain.balances)', null);
  expect(second.genesisHash).not.toBe(first.genesisHash);
  const added = await call<NetworkView>(w, 'pri(networks.add)', { chainEndpoint: second.url, workerEndpoint: 'http://127.0.0.1:8200' });
  expect(added).toEqual({
    genesisHash: second.genesisHash, name: 'Second Dev', tokenSymbol: 'DOT', tokenDecimals: 12, ss58Format: 0,
    chainEndpoint: second.url, workerEndpoint: 'http://127.0.0.1:8200', contractId: 1, relayEndpoint: null, // a new network has no relayer until one is set
  });
  // The same node under another name of its host: still one network, now at that endpoint, worker kept.
  const otherUrl = second.url.replace('127.0.0.1', 'localhost');
  expect(await call<NetworkView>(w, 'pri(networks.add)', { chainEndpoint: otherUrl })).toEqual({ ...added, chainEndpoint: otherUrl });
  const list = await call<NetworksView>(w, 'pri(networks.list)', null);
  expect(list.networks.map((n) => n.name)).toEqual(['Dark Wallet Dev', 'Second Dev']);
  expect(list.active).toBe(first.genesisHash); // adding does not switch
});

test('switching networks switches endpoints, contract, relayer, token and balances; each network keeps its own settings', async () => {
  const w = await wallet();
  await call(w, 'pri(chain.balances)', null);
  await call(w, 'pri(networks.add)', { chainEndpoint: second.url });
  await call(w, 'pri(networks.switch)', { genesisHash: second.genesisHash });
  expect((await state(w)).network?.name).toBe('Second Dev');
  expect((await call<BalancesView>(w, 'pri(chain.balances)', null)).token.symbol).toBe('DOT');
  await call(w, 'pri(settings.save)', { chainEndpoint: second.url, workerEndpoint: 'http://127.0.0.1:8300', contractId: 2, relayEndpoint: ' http://127.0.0.1:8301/ ', autoLockMinutes: 30 });

  await call(w, 'pri(networks.switch)', { genesisHash: first.genesisHash });
  expect(await call<Settings>(w, 'pri(settings.get)', null)).toEqual({ chainEndpoint: first.url, workerEndpoint: 'http://127.0.0.1:8123', contractId: 1, relayEndpoint: null, autoLockMinutes: 30 });
  expect((await call<BalancesView>(w, 'pri(chain.balances)', null)).token.symbol).toBe('PHA');
  await call(w, 'pri(networks.switch)', { genesisHash: second.genesisHash });
  expect(await call<Settings>(w, 'pri(settings.get)', null)).toEqual({ chainEndpoint: second.url, workerEndpoint: 'http://127.0.0.1:8300', contractId: 2, relayEndpoint: 'http://127.0.0.1:8301', autoLockMinutes: 30 });
  expect((await call<BalancesView>(w, 'pri(chain.balances)', null)).balances[ALICE].free).not.toBe('0');
  // Emptied, the relayer is gone and secret operations go out from the account; a missing field keeps it.
  await call(w, 'pri(settings.save)', { chainEndpoint: second.url, workerEndpoint: 'http://127.0.0.1:8300', autoLockMinutes: 30 });
  expect((await call<Settings>(w, 'pri(settings.get)', null)).relayEndpoint).toBe('http://127.0.0.1:8301');
  await call(w, 'pri(settings.save)', { chainEndpoint: second.url, workerEndpoint: 'http://127.0.0.1:8300', relayEndpoint: '', autoLockMinutes: 30 });
  expect((await call<Settings>(w, 'pri(settings.get)', null)).relayEndpoint).toBeNull();
});

test('a chain endpoint typed in Settings that is another chain adds that network and switches to it', async () => {
  const w = await wallet();
  await call(w, 'pri(chain.balances)', null);
  const saved = await call<Settings>(w, 'pri(settings.save)', { chainEndpoint: second.url, workerEndpoint: 'http://127.0.0.1:8400', autoLockMinutes: 30 });
  expect(saved).toEqual({ chainEndpoint: second.url, workerEndpoint: 'http://127.0.0.1:8400', contractId: 1, relayEndpoint: null, autoLockMinutes: 30 });
  const list = await call<NetworksView>(w, 'pri(networks.list)', null);
  expect(list.active).toBe(second.genesisHash);
  expect(list.networks.find((n) => n.genesisHash === first.genesisHash)?.workerEndpoint).toBe('http://127.0.0.1:8123'); // untouched
});

test('bad input and unreachable chains: typed errors, nothing stored', async () => {
  const w = await wallet();
  await call(w, 'pri(chain.balances)', null);
  const before = w.platform.local.dump();
  expect(await failure(w, 'pri(networks.add)', { chainEndpoint: 'http://127.0.0.1:9944' })).toEqual({ code: 'InvalidInput', message: expect.stringMatching(/ws:\/\/ or wss:\/\//) });
  expect(await failure(w, 'pri(networks.add)', { chainEndpoint: 42 })).toMatchObject({ code: 'InvalidInput' });
  expect(await failure(w, 'pri(networks.add)', 'ws://x')).toMatchObject({ code: 'InvalidInput' });
  expect(await failure(w, 'pri(networks.add)', { chainEndpoint: second.url, workerEndpoint: 'ftp://x' })).toMatchObject({ code: 'InvalidInput', message: expect.stringMatching(/worker endpoint/) });
  expect(await failure(w, 'pri(networks.add)', { chainEndpoint: 'ws://127.0.0.1:9' })).toEqual({ code: 'ChainUnavailable', message: expect.stringMatching(/Cannot reach the chain at ws:\/\/127.0.0.1:9/) });
  expect(await failure(w, 'pri(networks.switch)', { genesisHash: `0x${'ab'.repeat(32)}` })).toMatchObject({ code: 'InvalidInput', message: expect.stringMatching(/does not know this network/) });
  expect(await failure(w, 'pri(networks.switch)', { genesisHash: 'Polkadot' })).toMatchObject({ code: 'InvalidInput' });
  expect(await failure(w, 'pri(networks.remove)', { genesisHash: first.genesisHash })).toMatchObject({ code: 'InvalidInput', message: expect.stringMatching(/Switch to another network before removing it/) });
  expect(await failure(w, 'pri(settings.save)', { chainEndpoint: first.url, workerEndpoint: 'http://127.0.0.1:8123', contractId: -1, autoLockMinutes: 30 })).toMatchObject({ code: 'InvalidInput', message: expect.stringMatching(/contract id/) });
  for (const relayEndpoint of ['ftp://relay.example', 'javascript:alert(1)', 'ws://127.0.0.1:8000', 42]) {
    expect(await failure(w, 'pri(settings.save)', { chainEndpoint: first.url, workerEndpoint: 'http://127.0.0.1:8123', relayEndpoint, autoLockMinutes: 30 }))
      .toEqual({ code: 'InvalidInput', message: expect.stringMatching(/relayer endpoint as an http:\/\/ or https:\/\/ address/) });
  }
  expect(w.platform.local.dump()).toBe(before);
});

test('a network not in use can be removed', async () => {
  const w = await wallet();
  await call(w, 'pri(chain.balances)', null);
  await call(w, 'pri(networks.add)', { chainEndpoint: second.url });
  const left = await call<NetworksView>(w, 'pri(networks.remove)', { genesisHash: second.genesisHash });
  expect(left.networks.map((n) => n.genesisHash)).toEqual([first.genesisHash]);
});

test('a node that now serves another chain than its network is refused, never taken for it', async () => {
  let chain = await startChain({ port: 0 });
  try {
    const w = await wallet({ chainEndpoint: chain.url, workerEndpoint: 'http://127.0.0.1:8123' });
    await call(w, 'pri(chain.balances)', null);
    const { url, port, genesisHash } = chain;
    await w.bg.stop();
    await chain.close();
    chain = await startChain({ port }); // a new chain (a new genesis) where the old one was
    expect(chain.genesisHash).not.toBe(genesisHash);
    const refused = await failure(w, 'pri(chain.balances)', null);
    expect(refused).toEqual({ code: 'ChainUnavailable', message: expect.stringMatching(/now serves another chain than Dark Wallet Dev/) });
    // Added by its endpoint, it is a second network, not a change of the first.
    const added = await call<NetworkView>(w, 'pri(networks.add)', { chainEndpoint: url });
    expect(added.genesisHash).toBe(chain.genesisHash);
    expect((await call<NetworksView>(w, 'pri(networks.list)', null)).networks).toHaveLength(2);
  } finally {
    await chain.close();
  }
});

describe('the store on its own', () => {
  const INFO = { genesisHash: `0x${'11'.repeat(32)}`, name: 'One', tokenSymbol: 'ONE', tokenDecimals: 10, ss58Format: 0 };

  test('damaged entries are dropped; a lost active network falls back to the default endpoints', async () => {
    const local = new MemoryStorage();
    await local.set({
      networks: {
        active: `0x${'22'.repeat(32)}`,
        networks: {
          [INFO.genesisHash]: { ...INFO, chainEndpoint: 'wss://one.example', workerEndpoint: 'https://w.example', contractId: 3 },
          [`0x${'22'.repeat(32)}`]: { ...INFO, genesisHash: `0x${'22'.repeat(32)}`, chainEndpoint: 'javascript:1', workerEndpoint: 'https://w.example', contractId: 1 },
          [`0x${'33'.repeat(32)}`]: { ...INFO, chainEndpoint: 'wss://three.example', workerEndpoint: 'https://w.example', contractId: 1 }, // filed under another genesis
        },
        pending: 'nonsense',
      },
    });
    const store = new NetworkStore(local, new SettingsStore(local));
    expect(await store.list()).toEqual({ active: null, networks: [{ ...INFO, chainEndpoint: 'wss://one.example', workerEndpoint: 'https://w.example', contractId: 3, relayEndpoint: null }] });
    expect(await store.inUse()).toEqual({ genesisHash: null, settings: { chainEndpoint: 'ws://127.0.0.1:9944', workerEndpoint: '', contractId: 1, relayEndpoint: 'http://127.0.0.1:8000' } });
  });

  test("a new install relays through npm start's worker; a damaged relayer drops its network rather than sending directly", async () => {
    expect(await new NetworkStore(new MemoryStorage(), new SettingsStore(new MemoryStorage())).inUse()).toEqual({
      genesisHash: null, settings: { chainEndpoint: 'ws://127.0.0.1:9944', workerEndpoint: '', contractId: 1, relayEndpoint: 'http://127.0.0.1:8000' },
    });
    const local = new MemoryStorage();
    const stored = { ...INFO, chainEndpoint: 'wss://one.example', workerEndpoint: 'https://w.example', contractId: 3 };
    await local.set({ networks: { active: null, networks: { [INFO.genesisHash]: { ...stored, relayEndpoint: 'file:///etc/passwd' } }, pending: null } });
    expect((await new NetworkStore(local, new SettingsStore(local)).list()).networks).toEqual([]);
    await local.set({ networks: { active: INFO.genesisHash, networks: { [INFO.genesisHash]: { ...stored, relayEndpoint: 'https://relay.example' } }, pending: null } });
    expect((await new NetworkStore(local, new SettingsStore(local)).inUse()).settings.relayEndpoint).toBe('https://relay.example');
  });

  test('reading a new or migrated install writes nothing; the pending network is adopted only at its own endpoint', async () => {
    const local = new MemoryStorage();
    await local.set({ settings: { chainEndpoint: 'wss://old.example', autoLockMinutes: 5 } });
    const before = local.dump();
    const store = new NetworkStore(local, new SettingsStore(local));
    // An install from before networks predates relayers too: it keeps sending directly.
    expect(await store.inUse()).toEqual({ genesisHash: null, settings: { chainEndpoint: 'wss://old.example', workerEndpoint: '', contractId: 1, relayEndpoint: null } });
    expect(local.dump()).toBe(before);
    expect(await store.adopt(INFO, 'wss://elsewhere.example')).toBe(false);
    expect(await store.adopt(INFO, 'wss://old.example')).toBe(true);
    expect(await store.inUse()).toEqual({ genesisHash: INFO.genesisHash, settings: { chainEndpoint: 'wss://old.example', workerEndpoint: '', contractId: 1, relayEndpoint: null } });
  });
});
