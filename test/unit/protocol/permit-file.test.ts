/** The permit file an owner hands an auditor: reads back exactly, and refuses anything else with PermitFileError. */
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { verifyAccountSignature } from '../../../shared/crypto/account-signature';
import { signPermit } from '../../../shared/client/permits';
import { permitMessage, type SignedPermit } from '../../../shared/protocol/permit';
import { PermitFileError, permitFromFile, permitToFile, type PermitFile } from '../../../shared/protocol/permit-file';
import { accountId, contractId, type AssetId } from '../../../shared/types';

let signed: SignedPermit;
let file: PermitFile;

beforeAll(async () => {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519' });
  const owner = keyring.addFromUri('//Alice');
  const auditor = accountId(keyring.addFromUri('//Charlie').publicKey);
  signed = signPermit(owner, { genesisHash: new Uint8Array(32).fill(1), contractId: contractId(1), contractPub: new Uint8Array(32) }, {
    name: 'Tax 2026', auditor, assets: [3 as AssetId, 0 as AssetId, 3 as AssetId], fields: { balances: true, history: false }, expiresAtBlock: 500,
  });
  file = permitToFile(signed);
});

test('signing sorts and dedupes the assets; the file names accounts in SS58 and reads back to the same signed permit', () => {
  expect(signed.permit.assets).toEqual([0, 3]);
  expect(file).toMatchObject({ format: 'dark-wallet-view-permit', version: 1, owner: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY', fields: ['balances'] });
  const back = permitFromFile(JSON.stringify(file));
  expect(back).toEqual(signed);
  expect(verifyAccountSignature(back.permit.owner, back.signature, permitMessage(back.permit))).toBe(true);
});

const broken: [string, unknown][] = [
  ['not JSON', '{"format":'],
  ['another format', { ...{}, format: 'polkadot-js' }],
  ['a newer version', { format: 'dark-wallet-view-permit', version: 2 }],
];
test.each(broken)('refuses %s with PermitFileError', (_what, input) => {
  expect(() => permitFromFile(input)).toThrow(PermitFileError);
});

const changes: [string, (f: PermitFile) => unknown][] = [
  ['an extra field', (f) => ({ ...f, amount: 1 })],
  ['a short id', (f) => ({ ...f, id: '0x01' })],
  ['an empty name', (f) => ({ ...f, name: '' })],
  ['a bad owner', (f) => ({ ...f, owner: '5Grw' })],
  ['unsorted assets', (f) => ({ ...f, assets: [3, 0] })],
  ['17 assets', (f) => ({ ...f, assets: Array.from({ length: 17 }, (_, i) => i) })],
  ['no fields', (f) => ({ ...f, fields: [] })],
  ['an unknown field name', (f) => ({ ...f, fields: ['supply'] })],
  ['a fractional expiry', (f) => ({ ...f, expiresAtBlock: 1.5 })],
  ['a short signature', (f) => ({ ...f, signature: { scheme: 'Sr25519', bytes: '0x00' } })],
  ['an ecdsa scheme', (f) => ({ ...f, signature: { ...f.signature, scheme: 'Ecdsa' } })],
];
test.each(changes)('refuses %s with PermitFileError (a sentence, no crash)', (_what, change) => {
  let error: unknown;
  try {
    permitFromFile(change(file));
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(PermitFileError);
  expect((error as Error).message).toMatch(/permit/);
});
