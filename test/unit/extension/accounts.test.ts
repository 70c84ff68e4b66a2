import { Keyring } from '@polkadot/keyring';
import { u8aConcat } from '@polkadot/util';
import {
  base64Decode, base64Encode, cryptoWaitReady, jsonEncryptFormat, mnemonicGenerate, naclEncrypt, randomAsU8a, scryptEncode, scryptToU8a,
} from '@polkadot/util-crypto';
import { DEFAULT_PARAMS as scryptDefaults } from '@polkadot/util-crypto/scrypt/defaults';
import type { AccountView, WalletState } from '../../../extension/messages/types';
import { PASSWORD, makeWallet, ok, pagePort, popupPort, walletWith, type TestWallet } from './fakes';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';

beforeAll(() => cryptoWaitReady());

async function withAlice(w: TestWallet, port = popupPort()) {
  return ok<AccountView>(await w.call('pri(accounts.createFromUri)', { suri: '//Alice', type: 'sr25519', name: 'Alice', password: PASSWORD }, port));
}

async function state(w: TestWallet): Promise<WalletState> {
  return ok<WalletState>(await w.call('pri(wallet.subscribe)', null, popupPort()));
}

describe('vault', () => {
  test('a new wallet starts in onboarding; the first account sets the password and unlocks', async () => {
    const w = makeWallet();
    expect((await state(w)).status).toBe('onboarding');
    const alice = await withAlice(w);
    expect(alice).toMatchObject({ address: ALICE, name: 'Alice', type: 'sr25519' });
    expect((await state(w)).status).toBe('unlocked');
  });

  test('a too-short first password is refused with a sentence', async () => {
    const w = makeWallet();
    const reply = await w.call('pri(accounts.createFromUri)', { suri: '//Alice', type: 'sr25519', name: 'A', password: 'short' }, popupPort());
    expect(reply?.error).toEqual({ code: 'InvalidInput', message: 'Choose a password of at least 8 characters.' });
  });

  test('a generated mnemonic creates an account; plain text is refused as a suri', async () => {
    const w = makeWallet();
    const { mnemonic } = ok<{ mnemonic: string }>(await w.call('pri(mnemonic.generate)', null, popupPort()));
    expect(mnemonic.split(' ')).toHaveLength(12);
    const preview = ok<{ address: string }>(await w.call('pri(accounts.validateUri)', { suri: mnemonic, type: 'sr25519' }, popupPort()));
    const created = ok<AccountView>(await w.call('pri(accounts.createFromUri)', { suri: mnemonic, type: 'sr25519', name: 'Main', password: PASSWORD }, popupPort()));
    expect(created.address).toBe(preview.address);
    const weak = await w.call('pri(accounts.validateUri)', { suri: 'hello world', type: 'sr25519' }, popupPort());
    expect(weak?.error?.code).toBe('InvalidInput');
  });

  test('nothing decrypted or the password ever reaches storage.local', async () => {
    const w = makeWallet();
    const mnemonic = mnemonicGenerate();
    await w.call('pri(accounts.createFromUri)', { suri: mnemonic, type: 'sr25519', name: 'Main', password: PASSWORD }, popupPort());
    const disk = w.platform.local.dump();
    expect(disk).not.toContain(PASSWORD);
    expect(disk).not.toContain(mnemonic.split(' ')[0] + ' ' + mnemonic.split(' ')[1]);
    expect(disk).not.toContain('"none"'); // no unencrypted keystore
    expect(w.platform.session.dump()).toContain('"none"'); // unlocked keys live in session storage only
  });

  test('wrong password: clear sentence and nothing changes; right password unlocks', async () => {
    const w = await walletWith(['Alice']);
    await w.call('pri(wallet.lock)', null, popupPort());
    const before = w.platform.session.dump();
    const reply = await w.call('pri(wallet.unlock)', { password: 'not the password' }, popupPort());
    expect(reply?.error).toEqual({ code: 'WrongPassword', message: 'Wrong password. Try again.' });
    expect(w.platform.session.dump()).toBe(before);
    expect((await state(w)).status).toBe('locked');
    ok(await w.call('pri(wallet.unlock)', { password: PASSWORD }, popupPort()));
    expect((await state(w)).status).toBe('unlocked');
  });

  test('later accounts need the wallet password and an unlocked wallet', async () => {
    const w = await walletWith(['Alice']);
    const wrong = await w.call('pri(accounts.createFromUri)', { suri: '//Bob', type: 'sr25519', name: 'Bob', password: 'other password' }, popupPort());
    expect(wrong?.error?.code).toBe('WrongPassword');
    await w.call('pri(wallet.lock)', null, popupPort());
    const locked = await w.call('pri(accounts.createFromUri)', { suri: '//Bob', type: 'sr25519', name: 'Bob', password: PASSWORD }, popupPort());
    expect(locked?.error?.code).toBe('Locked');
    await w.call('pri(wallet.unlock)', { password: PASSWORD }, popupPort());
    expect(ok<AccountView>(await w.call('pri(accounts.createFromUri)', { suri: '//Bob', type: 'sr25519', name: 'Bob', password: PASSWORD }, popupPort())).address).toBe(BOB);
    const dup = await w.call('pri(accounts.createFromUri)', { suri: '//Bob', type: 'sr25519', name: 'Bob again', password: PASSWORD }, popupPort());
    expect(dup?.error).toEqual({ code: 'InvalidInput', message: 'This account is already in Dark Wallet.' });
  });

  test('rename changes the name everywhere', async () => {
    const w = await walletWith(['Alice']);
    ok(await w.call('pri(accounts.rename)', { address: ALICE, name: 'Alice (dev)' }, popupPort()));
    expect((await state(w)).accounts[0].name).toBe('Alice (dev)');
  });
});

describe('JSON v3 keystore', () => {
  test('exports polkadot-js JSON v3 with scrypt N=2^17 r=8 p=1 (what polkadot-js writes) that polkadot-js keyring opens', async () => {
    const w = await walletWith(['Alice']);
    const wrong = await w.call('pri(accounts.exportJson)', { address: ALICE, password: 'nope nope' }, popupPort());
    expect(wrong?.error?.code).toBe('WrongPassword');
    const { json } = ok<{ json: string }>(await w.call('pri(accounts.exportJson)', { address: ALICE, password: PASSWORD }, popupPort()));
    const parsed = JSON.parse(json);
    expect(parsed.encoding).toEqual({ content: ['pkcs8', 'sr25519'], type: ['scrypt', 'xsalsa20-poly1305'], version: '3' });
    const encoded = base64Decode(parsed.encoded);
    const view = new DataView(encoded.buffer, encoded.byteOffset + 32, 12);
    expect([view.getUint32(0, true), view.getUint32(4, true), view.getUint32(8, true)]).toEqual([1 << 17, 1, 8]);
    expect(scryptDefaults).toEqual({ N: 1 << 17, p: 1, r: 8 }); // @polkadot/util-crypto's own default
    const pair = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromJson(parsed);
    pair.decodePkcs8(PASSWORD);
    expect(pair.address).toBe(ALICE);
    expect(pair.isLocked).toBe(false);
  });

  test('imports a backup written by polkadot-js keyring (its own scrypt settings), re-sealed with the wallet password', async () => {
    const w = await walletWith(['Alice']);
    const bob = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Bob', { name: 'Bob from polkadot-js' });
    const file = JSON.stringify(bob.toJson('backup password'));
    const wrong = await w.call('pri(accounts.importJson)', { json: file, jsonPassword: 'wrong', password: PASSWORD }, popupPort());
    expect(wrong?.error?.code).toBe('WrongPassword');
    const imported = ok<AccountView>(await w.call('pri(accounts.importJson)', { json: file, jsonPassword: 'backup password', password: PASSWORD }, popupPort()));
    expect(imported).toMatchObject({ address: BOB, name: 'Bob from polkadot-js' });
    // Now under the wallet password: unlocking opens both accounts.
    await w.call('pri(wallet.lock)', null, popupPort());
    ok(await w.call('pri(wallet.unlock)', { password: PASSWORD }, popupPort()));
  });

  test('an entry written with the old N=2^15 is re-encrypted with N=2^17 at the next successful unlock, never at a failed one', async () => {
    const w = await walletWith(['Alice']);
    const { local } = w.platform;
    // Rewrite the stored entry as earlier versions did: the same keystore format, scrypt N = 2^15.
    const vault = JSON.parse(local.data.get('vault')!);
    const legacy = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice', { name: 'Alice', whenCreated: 1 });
    const { params, password: key, salt } = scryptEncode(PASSWORD, randomAsU8a(), { N: 1 << 15, p: 1, r: 8 });
    const { encrypted, nonce } = naclEncrypt(base64Decode(legacy.toJson().encoded), key.subarray(0, 32));
    vault.accounts[0].json = { ...legacy.toJson(), ...jsonEncryptFormat(u8aConcat(scryptToU8a(salt, params), nonce, encrypted), ['pkcs8', 'sr25519'], true) };
    local.data.set('vault', JSON.stringify(vault));
    const stored = () => {
      const bytes = base64Decode(JSON.parse(local.data.get('vault')!).accounts[0].json.encoded);
      return new DataView(bytes.buffer, bytes.byteOffset + 32, 12).getUint32(0, true);
    };
    await w.call('pri(wallet.lock)', null, popupPort());
    expect(stored()).toBe(1 << 15);
    expect((await w.call('pri(wallet.unlock)', { password: 'wrong password' }, popupPort()))?.error?.code).toBe('WrongPassword');
    expect(stored()).toBe(1 << 15);
    ok(await w.call('pri(wallet.unlock)', { password: PASSWORD }, popupPort()));
    expect(stored()).toBe(1 << 17);
    // still the same account under the same password, readable by polkadot-js
    const { json } = ok<{ json: string }>(await w.call('pri(accounts.exportJson)', { address: ALICE, password: PASSWORD }, popupPort()));
    const pair = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromJson(JSON.parse(json));
    pair.decodePkcs8(PASSWORD);
    expect(pair.address).toBe(ALICE);
    expect((await state(w)).accounts[0].name).toBe('Alice');
  });

  // The sentence comes from our pre-check: the library itself accepts e.g. N=2^15 p=3 and would run it.
  test('refuses other scrypt parameters before running scrypt', async () => {
    const w = await walletWith(['Alice']);
    const { json } = ok<{ json: string }>(await w.call('pri(accounts.exportJson)', { address: ALICE, password: PASSWORD }, popupPort()));
    for (const [N, p, r] of [[1 << 20, 1, 8], [1 << 15, 3, 8], [1 << 14, 5, 8], [(2 ** 32) - 1, 16, 16]]) {
      const crafted = JSON.parse(json);
      const bytes = base64Decode(crafted.encoded);
      const view = new DataView(bytes.buffer, bytes.byteOffset + 32, 12);
      view.setUint32(0, N, true);
      view.setUint32(4, p, true);
      view.setUint32(8, r, true);
      crafted.encoded = base64Encode(bytes);
      const reply = await w.call('pri(accounts.importJson)', { json: JSON.stringify(crafted), jsonPassword: PASSWORD, password: PASSWORD }, popupPort());
      expect(reply?.error?.code).toBe('InvalidInput');
      expect(reply?.error?.message).toMatch(/unusual encryption settings/);
    }
  });

  test('refuses files that are not single-account JSON v3', async () => {
    const w = await walletWith(['Alice']);
    for (const json of ['not json', '{}', JSON.stringify({ address: ALICE, encoded: 'AA', encoding: { content: ['pkcs8', 'sr25519'], type: ['none'], version: '3' } })]) {
      const reply = await w.call('pri(accounts.importJson)', { json, jsonPassword: 'x', password: PASSWORD }, popupPort());
      expect(reply?.error?.code).toBe('InvalidInput');
    }
  });
});

describe('forgetting an account', () => {
  test('removes it from the vault, the session and every site', async () => {
    const w = await walletWith(['Alice', 'Bob']);
    for (const origin of ['https://a.example', 'https://b.example']) {
      const page = pagePort(origin);
      expect(await w.call('pub(authorize.tab)', { origin: 'dApp' }, page)).toBeNull();
      const [request] = (await state(w)).requests.filter((r) => r.origin === origin);
      ok(await w.call('pri(requests.approveAuthorize)', { id: request.id, addresses: [ALICE, BOB] }, popupPort()));
    }
    ok(await w.call('pri(accounts.forget)', { address: ALICE }, popupPort()));
    const sites = ok<{ addresses: string[] }[]>(await w.call('pri(sites.list)', null, popupPort()));
    expect(sites.map((s) => s.addresses)).toEqual([[BOB], [BOB]]);
    expect((await state(w)).accounts.map((a) => a.address)).toEqual([BOB]);
    expect(w.platform.session.dump()).not.toContain(ALICE);
  });

  test('forgetting the last account returns to onboarding and locks', async () => {
    const w = await walletWith(['Alice']);
    ok(await w.call('pri(accounts.forget)', { address: ALICE }, popupPort()));
    expect((await state(w)).status).toBe('onboarding');
    expect(w.platform.session.data.has('unlocked')).toBe(false);
  });
});

describe('auto-lock', () => {
  test('locks after the configured inactivity, also across a worker restart', async () => {
    const w = await walletWith(['Alice']);
    ok(await w.call('pri(settings.save)', { chainEndpoint: 'ws://127.0.0.1:9944', workerEndpoint: 'http://127.0.0.1:8000', autoLockMinutes: 5 }, popupPort()));
    expect(w.scheduled.at(-1)).toBe(w.clock.now + 5 * 60_000);
    w.clock.now += 4 * 60_000;
    w.restart();
    await w.bg.lockAlarm(); // an early alarm changes nothing
    expect(w.platform.session.data.has('unlocked')).toBe(true);
    w.clock.now += 2 * 60_000;
    await w.bg.lockAlarm();
    expect(w.platform.session.data.has('unlocked')).toBe(false);
    expect((await state(w)).status).toBe('locked');
  });

  test('popup activity pushes the deadline back', async () => {
    const w = await walletWith(['Alice']);
    ok(await w.call('pri(settings.save)', { chainEndpoint: 'ws://127.0.0.1:9944', workerEndpoint: 'http://127.0.0.1:8000', autoLockMinutes: 5 }, popupPort()));
    w.clock.now += 4 * 60_000;
    ok(await w.call('pri(sites.list)', null, popupPort()));
    expect(w.scheduled.at(-1)).toBe(w.clock.now + 5 * 60_000);
    w.clock.now += 4 * 60_000;
    expect((await state(w)).status).toBe('unlocked');
  });

  test('0 means never', async () => {
    const w = await walletWith(['Alice']);
    ok(await w.call('pri(settings.save)', { chainEndpoint: 'ws://127.0.0.1:9944', workerEndpoint: 'http://127.0.0.1:8000', autoLockMinutes: 0 }, popupPort()));
    expect(w.scheduled.at(-1)).toBeNull();
    w.clock.now += 365 * 24 * 60 * 60_000;
    expect((await state(w)).status).toBe('unlocked');
  });
});
