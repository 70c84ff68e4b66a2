import { DEFAULT_AUTO_LOCK_MINUTES, SettingsStore, autoLockMinutes } from '../../../extension/background/settings/store';
import { chainEndpoint, contractId, workerEndpoint } from '../../../extension/background/networks/endpoints';
import { MemoryStorage } from './fakes';

describe('settings', () => {
  test('a new wallet locks after 15 minutes and has no single-network endpoints to migrate', async () => {
    const store = new SettingsStore(new MemoryStorage());
    expect(await store.autoLockMinutes()).toBe(DEFAULT_AUTO_LOCK_MINUTES);
    expect(DEFAULT_AUTO_LOCK_MINUTES).toBe(15);
    expect(await store.legacyNetwork()).toEqual({});
  });

  test('only ws(s) chains, http(s) workers, u32 contract ids and the offered auto-lock choices', () => {
    expect(() => chainEndpoint('http://node:9944')).toThrow(/ws:\/\/ or wss:\/\//);
    expect(() => chainEndpoint('javascript:alert(1)')).toThrow(/chain endpoint/);
    expect(() => workerEndpoint('file:///etc/passwd')).toThrow(/worker endpoint/);
    expect(() => contractId(-1)).toThrow(/contract id/);
    expect(() => contractId(1.5)).toThrow(/contract id/);
    expect(() => autoLockMinutes(7)).toThrow(/0, 5, 15, 30, 60/);
    expect(chainEndpoint(' wss://rpc.example/ws ')).toBe('wss://rpc.example/ws');
    expect(autoLockMinutes(0)).toBe(0);
  });

  test('a damaged stored value keeps its valid fields and defaults the rest', async () => {
    const local = new MemoryStorage();
    await local.set({ settings: { chainEndpoint: 'wss://rpc.example', workerEndpoint: 42, autoLockMinutes: 'soon' } });
    const store = new SettingsStore(local);
    expect(await store.autoLockMinutes()).toBe(DEFAULT_AUTO_LOCK_MINUTES);
    expect(await store.legacyNetwork()).toEqual({ chainEndpoint: 'wss://rpc.example' });
  });
});
