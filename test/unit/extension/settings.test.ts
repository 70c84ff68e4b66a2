import { DEFAULT_SETTINGS, SettingsStore, validateSettings } from '../../../extension/background/settings/store';
import { MemoryStorage } from './fakes';

describe('settings', () => {
  test('defaults: local dev chain and worker, 15 minute auto-lock', async () => {
    expect(await new SettingsStore(new MemoryStorage()).get()).toEqual({
      chainEndpoint: 'ws://127.0.0.1:9944', workerEndpoint: 'http://127.0.0.1:8000', autoLockMinutes: 15,
    });
  });

  test('only ws(s) chains, http(s) workers and the offered auto-lock choices', () => {
    expect(() => validateSettings({ ...DEFAULT_SETTINGS, chainEndpoint: 'http://node:9944' })).toThrow(/ws:\/\/ or wss:\/\//);
    expect(() => validateSettings({ ...DEFAULT_SETTINGS, chainEndpoint: 'javascript:alert(1)' })).toThrow(/chain endpoint/);
    expect(() => validateSettings({ ...DEFAULT_SETTINGS, workerEndpoint: 'file:///etc/passwd' })).toThrow(/worker endpoint/);
    expect(() => validateSettings({ ...DEFAULT_SETTINGS, autoLockMinutes: 7 })).toThrow(/0, 5, 15, 30, 60/);
    expect(validateSettings({ ...DEFAULT_SETTINGS, chainEndpoint: ' wss://rpc.example/ws ', autoLockMinutes: 0 }))
      .toEqual({ ...DEFAULT_SETTINGS, chainEndpoint: 'wss://rpc.example/ws', autoLockMinutes: 0 });
  });

  test('a damaged stored value keeps its valid fields and defaults the rest', async () => {
    const local = new MemoryStorage();
    await local.set({ settings: { chainEndpoint: 'wss://rpc.example', workerEndpoint: 42, autoLockMinutes: 'soon' } });
    expect(await new SettingsStore(local).get()).toEqual({ ...DEFAULT_SETTINGS, chainEndpoint: 'wss://rpc.example' });
  });
});
