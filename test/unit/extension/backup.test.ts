/**
 * "All accounts" backups move between Dark Wallet and polkadot-js both ways: the batch JSON of
 * @polkadot/ui-keyring's `backupAccounts` (`jsonEncrypt(JSON.stringify(keystores), ['batch-pkcs8'],
 * password)` + `accounts`), read back the way polkadot-js extension's `batchRestore` does
 * (`jsonDecrypt`, then each account into the keyring). Bad files change nothing.
 */
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair$Json } from '@polkadot/keyring/types';
import { stringToU8a, u8aToString } from '@polkadot/util';
import { base64Decode, base64Encode, cryptoWaitReady, jsonDecrypt, jsonEncrypt, signatureVerify } from '@polkadot/util-crypto';
import type { EncryptedJson } from '@polkadot/util-crypto/types';
import type { AccountView, BatchImportResult, WalletState } from '../../../extension/messages/types';
import { MemoryStorage, PASSWORD, makeWallet, ok, popupPort, type TestWallet } from './fakes';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const CHARLIE = '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y';

beforeAll(() => cryptoWaitReady());

/** Each account costs scrypt runs (N = 2^17) on both sides; a loaded machine takes its time. */
const SCRYPT_HEAVY = 240_000;

const create = (w: TestWallet, suri: string, name: string, type: 'sr25519' | 'ed25519' = 'sr25519') =>
  w.call('pri(accounts.createFromUri)', { suri, type, name, password: PASSWORD }, popupPort()).then((r) => ok<AccountView>(r));

const state = async (w: TestWallet) => ok<WalletState>(await w.call('pri(wallet.subscribe)', null, popupPort()));

/** What polkadot-js writes for "export all accounts": each stored keystore (own password) in one sealed batch. */
function polkadotJsBatch(keystores: KeyringPair$Json[], filePassword: string): EncryptedJson & { accounts: unknown[] } {
  return {
    ...jsonEncrypt(stringToU8a(JSON.stringify(keystores)), ['batch-pkcs8'], filePassword),
    accounts: keystores.map(({ address, meta }) => ({ address, meta })),
  };
}

const importBatch = (w: TestWallet, json: string, jsonPassword: string, accountsPassword?: string) =>
  w.call('pri(accounts.importBatch)', { json, jsonPassword, accountsPassword, password: PASSWORD }, popupPort());

test('the batch Dark Wallet exports opens in polkadot-js: jsonDecrypt, then Keyring.addFromJson of each account', async () => {
  const w = makeWallet();
  await create(w, '//Alice', 'Alice');
  await create(w, '//Bob', 'Bob');
  const ed = await create(w, '//Charlie', 'Charlie ed', 'ed25519');
  const wrong = await w.call('pri(accounts.exportAll)', { password: 'not the password' }, popupPort());
  expect(wrong?.error?.code).toBe('WrongPassword');

  const { json } = ok<{ json: string }>(await w.call('pri(accounts.exportAll)', { password: PASSWORD }, popupPort()));
  const file = JSON.parse(json);
  expect(file.encoding).toEqual({ content: ['batch-pkcs8'], type: ['scrypt', 'xsalsa20-poly1305'], version: '3' });
  expect(file.accounts.map((a: { address: string }) => a.address)).toEqual([ALICE, BOB, ed.address]);
  expect(() => jsonDecrypt(file, 'not the password')).toThrow();

  // polkadot-js extension's batchRestore → ui-keyring restoreAccounts: decrypt, parse, load each.
  const inner = JSON.parse(u8aToString(jsonDecrypt(file, PASSWORD))) as KeyringPair$Json[];
  const keyring = new Keyring({ ss58Format: 42 });
  const restored = inner.map((account) => keyring.addFromJson(account));
  for (const pair of restored) pair.decodePkcs8(PASSWORD);
  expect(restored.map((p) => [p.address, p.type, p.meta.name])).toEqual([
    [ALICE, 'sr25519', 'Alice'], [BOB, 'sr25519', 'Bob'], [ed.address, 'ed25519', 'Charlie ed'],
  ]);
  const message = stringToU8a('restored');
  expect(signatureVerify(message, restored[0].sign(message), ALICE).isValid).toBe(true);
}, SCRYPT_HEAVY);

test('a polkadot-js batch imports into a new wallet, re-sealed with the wallet password', async () => {
  const js = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const accounts = [
    js.addFromUri('//Alice', { name: 'Alice from pjs', whenCreated: 1 }).toJson('pjs password'),
    js.addFromUri('//Bob', { name: 'Bob from pjs', whenCreated: 2 }).toJson('pjs password'),
  ];
  const file = JSON.stringify(polkadotJsBatch(accounts, 'pjs password'));
  const w = makeWallet();
  const result = ok<BatchImportResult>(await importBatch(w, file, 'pjs password'));
  expect(result.imported.map((a) => [a.address, a.name])).toEqual([[ALICE, 'Alice from pjs'], [BOB, 'Bob from pjs']]);
  expect(result).toMatchObject({ alreadyThere: 0, withoutKey: 0 });
  expect((await state(w)).status).toBe('unlocked');
  await w.call('pri(wallet.lock)', null, popupPort());
  ok(await w.call('pri(wallet.unlock)', { password: PASSWORD }, popupPort())); // both now under the wallet password
  expect((await state(w)).accounts.map((a) => a.address)).toEqual([ALICE, BOB]);
}, SCRYPT_HEAVY);

test('accounts sealed with another password than the file need that password too; watch-only ones are left out', async () => {
  const js = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const watchOnly = { ...js.addFromUri('//Charlie').toJson('x'), meta: { name: 'watched', isExternal: true } };
  const file = JSON.stringify(polkadotJsBatch([js.addFromUri('//Bob', { name: 'Bob' }).toJson('account pw'), watchOnly], 'file pw'));
  const w = makeWallet();
  await create(w, '//Alice', 'Alice');
  const before = w.platform.local.dump();

  const locked = await importBatch(w, file, 'file pw');
  expect(locked?.error).toEqual({ code: 'WrongPassword', message: "The file opened, but 1 account in it uses another password. Enter the accounts' password too." });
  expect(w.platform.local.dump()).toBe(before);

  const result = ok<BatchImportResult>(await importBatch(w, file, 'file pw', 'account pw'));
  expect(result.imported.map((a) => a.address)).toEqual([BOB]);
  expect(result.withoutKey).toBe(1);
  expect((await state(w)).accounts.map((a) => a.address)).toEqual([ALICE, BOB]);
  expect((await state(w)).accounts.map((a) => a.address)).not.toContain(CHARLIE);
}, SCRYPT_HEAVY);

test('accounts already in the wallet stay as they are; the others are added', async () => {
  const source = makeWallet();
  await create(source, '//Alice', 'Alice');
  await create(source, '//Bob', 'Bob');
  const { json } = ok<{ json: string }>(await source.call('pri(accounts.exportAll)', { password: PASSWORD }, popupPort()));
  const w = makeWallet();
  await create(w, '//Alice', 'My Alice');
  const result = ok<BatchImportResult>(await importBatch(w, json, PASSWORD));
  expect(result.imported.map((a) => a.address)).toEqual([BOB]);
  expect(result.alreadyThere).toBe(1);
  expect((await state(w)).accounts.map((a) => a.name)).toEqual(['My Alice', 'Bob']);
}, SCRYPT_HEAVY);

describe('a bad batch file: a typed error, nothing imported, nothing lost', () => {
  let w: TestWallet;
  let json: string;
  let before: string;

  beforeAll(async () => {
    const source = makeWallet();
    await create(source, '//Bob', 'Bob');
    await create(source, '//Charlie', 'Charlie');
    json = ok<{ json: string }>(await source.call('pri(accounts.exportAll)', { password: PASSWORD }, popupPort())).json;
    w = makeWallet({ local: new MemoryStorage() });
    await create(w, '//Alice', 'Alice');
    before = w.platform.local.dump();
  }, SCRYPT_HEAVY);

  afterEach(async () => {
    expect(w.platform.local.dump()).toBe(before);
    expect((await state(w)).accounts.map((a) => a.address)).toEqual([ALICE]);
  });

  const withEncoded = (edit: (bytes: Uint8Array) => Uint8Array) => {
    const file = JSON.parse(json);
    file.encoded = base64Encode(edit(base64Decode(file.encoded)));
    return JSON.stringify(file);
  };

  test('wrong password', async () => {
    expect((await importBatch(w, json, 'wrong password'))?.error).toEqual({
      code: 'WrongPassword', message: 'Wrong password for this backup file. Enter the password it was exported with.',
    });
  });

  test('truncated file', async () => {
    expect((await importBatch(w, json.slice(0, json.length / 2), PASSWORD))?.error?.code).toBe('InvalidInput');
  });

  test('truncated ciphertext', async () => {
    expect((await importBatch(w, withEncoded((b) => b.subarray(0, b.length - 40)), PASSWORD))?.error?.code).toBe('WrongPassword');
  });

  test('a flipped byte in the ciphertext', async () => {
    expect((await importBatch(w, withEncoded((b) => { const c = b.slice(); c[c.length - 1] ^= 1; return c; }), PASSWORD))?.error?.code).toBe('WrongPassword');
  });

  test('malformed: not JSON, not a batch, a single-account file, unusual scrypt settings', async () => {
    const single = JSON.stringify(new Keyring({ type: 'sr25519' }).addFromUri('//Bob').toJson('x'));
    const heavy = withEncoded((b) => { const c = b.slice(); new DataView(c.buffer, 32, 12).setUint32(0, 1 << 20, true); return c; });
    for (const file of ['not json', '[]', '{}', single, heavy]) {
      const reply = await importBatch(w, file, PASSWORD);
      expect(reply?.error?.code).toBe('InvalidInput');
    }
    expect((await importBatch(w, heavy, PASSWORD))?.error?.message).toMatch(/unusual encryption settings/);
  });

  test('a well-sealed batch whose content is damaged', async () => {
    for (const content of ['not json', '{"a":1}', '[{"address":"x"}]']) {
      const file = JSON.stringify({ ...jsonEncrypt(stringToU8a(content), ['batch-pkcs8'], PASSWORD), accounts: [] });
      expect((await importBatch(w, file, PASSWORD))?.error?.message).toMatch(/accounts inside it are damaged/);
    }
  });
});
