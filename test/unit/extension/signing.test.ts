import { Keyring } from '@polkadot/keyring';
import { Metadata, TypeRegistry, expandMetadata } from '@polkadot/types';
import type { SignerPayloadJSON } from '@polkadot/types/types';
import { hexToU8a, u8aToHex, u8aWrapBytes } from '@polkadot/util';
import { cryptoWaitReady, signatureVerify, sr25519Verify } from '@polkadot/util-crypto';
import substrateMetadata from '@polkadot/types-support/metadata/static-substrate';
import { signPayload, signRaw, signingRegistry } from '../../../extension/background/requests/signing';
import type { SignPayloadView, WalletState } from '../../../extension/messages/types';
import { openSessionMessage } from '../../../shared/protocol/query';
import { accountId, type ContractId } from '../../../shared/types';
import { ok, pagePort, popupPort, walletWith, type FakePort, type TestWallet } from './fakes';

const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const GENESIS = `0x${'ab'.repeat(32)}` as const;
const DAPP = 'https://dapp.example';
const SUBSTRATE_TEST = {
  chain: 'Substrate Test', genesisHash: GENESIS, icon: 'substrate', ss58Format: 42, specVersion: 100,
  tokenDecimals: 12, tokenSymbol: 'UNIT', types: {}, rawMetadata: substrateMetadata,
};

let alice: ReturnType<Keyring['addFromUri']>;

beforeAll(async () => {
  await cryptoWaitReady();
  alice = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice');
});

/** A real transfer payload, built the way @polkadot/api builds it. */
function transferPayload(): { payload: SignerPayloadJSON; registry: TypeRegistry } {
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, substrateMetadata);
  registry.setMetadata(metadata);
  const { tx } = expandMetadata(registry, metadata);
  const method = tx.balances.transferKeepAlive(BOB, 1_234_500_000_000n);
  const payload = registry.createType('SignerPayload', {
    address: alice.address,
    blockHash: `0x${'11'.repeat(32)}`,
    blockNumber: 1000,
    era: registry.createType('ExtrinsicEra', { current: 1000, period: 64 }),
    genesisHash: GENESIS,
    method: method.toHex(),
    nonce: 7,
    runtimeVersion: { specVersion: 100, transactionVersion: 1 },
    signedExtensions: registry.signedExtensions,
    tip: 0,
    version: 4,
  }).toPayload();
  return { payload, registry };
}

describe('signing like polkadot-js', () => {
  test('signRaw signs the <Bytes>-wrapped data; the signature verifies against the wrapped message', () => {
    const data = u8aToHex(new TextEncoder().encode('hello dark wallet'));
    const signature = signRaw(alice, { address: alice.address, data, type: 'bytes' });
    expect(signatureVerify(u8aWrapBytes(data), signature, alice.address).isValid).toBe(true);
    // signatureVerify also tries the wrapped form, so check the exact bytes with the raw primitive.
    expect(sr25519Verify(u8aWrapBytes(data), signature, alice.publicKey)).toBe(true);
    expect(sr25519Verify(hexToU8a(data), signature, alice.publicKey)).toBe(false);
  });

  test('signPayload returns a type-prefixed signature over the extrinsic payload', () => {
    const { payload, registry } = transferPayload();
    const signature = signPayload(alice, payload, undefined);
    const bytes = registry.createType('ExtrinsicPayload', payload, { version: 4 }).toU8a({ method: true });
    expect(signature.length).toBe(2 + 2 * 65); // 0x + sr25519 type byte + 64-byte signature
    expect(signature.slice(0, 4)).toBe('0x01');
    expect(signatureVerify(bytes, signature, alice.address).isValid).toBe(true);
    // The same bytes as a metadata-free registry with the payload's extensions (what we sign with).
    const bare = signingRegistry(payload, undefined).createType('ExtrinsicPayload', payload, { version: 4 }).toU8a({ method: true });
    expect(u8aToHex(bare)).toBe(u8aToHex(bytes));
  });
});

describe('signPayload through the request queue', () => {
  async function connectedWallet(): Promise<{ w: TestWallet; page: FakePort }> {
    const w = await walletWith(['Alice']);
    const page = pagePort(DAPP);
    await w.call('pub(authorize.tab)', { origin: 'dApp' }, page);
    const id = w.opened[0].split('/').at(-1)!;
    ok(await w.call('pri(requests.approveAuthorize)', { id, addresses: [alice.address] }, popupPort()));
    return { w, page };
  }

  /** The dApp provides the chain's metadata and the user approves it: now Dark Wallet knows the chain. */
  async function provideMetadata(w: TestWallet, page: FakePort) {
    expect(await w.call('pub(metadata.provide)', SUBSTRATE_TEST, page)).toBeNull();
    ok(await w.call('pri(requests.approve)', { id: w.opened.at(-1)!.split('/').at(-1)! }, popupPort()));
  }

  const queued = async (w: TestWallet) => ok<WalletState>(await w.call('pri(wallet.subscribe)', null, popupPort())).requests;

  test('an unknown genesis hash is refused before anything is queued', async () => {
    const { w, page } = await connectedWallet();
    const { payload } = transferPayload();
    const reply = await w.call('pub(extrinsic.sign)', payload, page);
    expect(reply?.error?.code).toBe('InvalidInput');
    expect(reply?.error?.message).toMatch(/does not know the chain/);
    expect(await queued(w)).toEqual([]);
  });

  test('attack: the raw signPayload (no signed extensions, page-chosen method) is refused', async () => {
    const { w, page } = await connectedWallet();
    await provideMetadata(w, page);
    const { payload } = transferPayload();
    const raw = { ...payload, signedExtensions: [], method: `0x${'de'.repeat(40)}` };
    const reply = await w.call('pub(extrinsic.sign)', raw, page);
    expect(reply?.error?.code).toBe('InvalidInput');
    expect(await queued(w)).toEqual([]);
  });

  test.each([
    ['signed extensions that are not the chain\'s', (p: SignerPayloadJSON) => ({ ...p, signedExtensions: p.signedExtensions.slice(1) }), /signed extensions do not match/],
    ['a method that does not decode', (p: SignerPayloadJSON) => ({ ...p, method: '0xffff00' }), /does not decode/],
    ['a decodable call with trailing bytes', (p: SignerPayloadJSON) => ({ ...p, method: `${p.method}ff` }), /does not decode/],
  ])('refuses %s', async (_name, change, message) => {
    const { w, page } = await connectedWallet();
    await provideMetadata(w, page);
    const reply = await w.call('pub(extrinsic.sign)', change(transferPayload().payload), page);
    expect(reply?.error?.code).toBe('InvalidInput');
    expect(reply?.error?.message).toMatch(message);
    expect(await queued(w)).toEqual([]);
  });

  test('with metadata the dApp provided: the call is decoded for the user', async () => {
    const { w, page } = await connectedWallet();
    const def = SUBSTRATE_TEST;
    expect(await w.call('pub(metadata.provide)', def, page)).toBeNull();
    const metaId = w.opened.at(-1)!.split('/').at(-1)!;
    expect(ok<{ chain: string; knownSpecVersion: null }>(await w.call('pri(requests.get)', { id: metaId }, popupPort()))).toMatchObject({ chain: 'Substrate Test', knownSpecVersion: null });
    ok(await w.call('pri(requests.approve)', { id: metaId }, popupPort()));
    expect(ok(await w.call('pub(metadata.list)', null, page))).toEqual([{ genesisHash: GENESIS, specVersion: 100 }]);
    expect(ok(await w.call('pub(metadata.provide)', def, page))).toBe(true); // nothing new: no prompt

    const { payload, registry } = transferPayload();
    await w.call('pub(extrinsic.sign)', payload, page);
    const id = w.opened.at(-1)!.split('/').at(-1)!;
    const view = ok<SignPayloadView>(await w.call('pri(requests.get)', { id }, popupPort()));
    expect(view.chain).toBe('Substrate Test');
    expect(view.call).toEqual({ section: 'balances', method: 'transferKeepAlive', args: [{ name: 'dest', value: BOB }, { name: 'value', value: '1.2345 UNIT' }] });
    expect(view).toMatchObject({ nonce: '7', tip: '0 UNIT', specVersion: 100, genesisHash: GENESIS });
    expect(view.lifetime).toMatch(/^valid from block #/);
    ok(await w.call('pri(requests.approve)', { id }, popupPort()));
    const { signature } = page.sent.at(-1)!.response as { signature: string };
    const bytes = registry.createType('ExtrinsicPayload', payload, { version: 4 }).toU8a({ method: true });
    expect(signatureVerify(bytes, signature, alice.address).isValid).toBe(true);
  });

  test('attack: signRaw of the hex of a query permit (OpenSession), bare or <Bytes>-wrapped, is refused and nothing is queued', async () => {
    const { w, page } = await connectedWallet();
    const target = { genesisHash: hexToU8a(GENESIS), contractId: 1 as ContractId, contractPub: new Uint8Array(32).fill(9) };
    const permit = openSessionMessage(target, accountId(alice.publicKey), new Uint8Array(32).fill(1), BigInt(Date.now() + 86_400_000));
    for (const data of [u8aToHex(permit), u8aToHex(u8aWrapBytes(permit)), u8aToHex(permit.subarray(0, 13))]) {
      const reply = await w.call('pub(bytes.sign)', { address: alice.address, data, type: 'bytes' }, page);
      expect(reply?.error?.code).toBe('InvalidInput');
      expect(reply?.error?.message).toMatch(/query-permit format/);
    }
    expect(await queued(w)).toEqual([]);
    expect(() => signRaw(alice, { address: alice.address, data: u8aToHex(permit), type: 'bytes' })).toThrow(/query-permit format/);
  });

  test('a malformed payload is refused before it is queued', async () => {
    const { w, page } = await connectedWallet();
    const { payload } = transferPayload();
    const reply = await w.call('pub(extrinsic.sign)', { ...payload, method: 'not hex' }, page);
    expect(reply?.error?.code).toBe('InvalidInput');
  });
});
