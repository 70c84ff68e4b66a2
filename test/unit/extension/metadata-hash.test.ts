/**
 * How a dApp payload is signed with respect to CheckMetadataHash (RFC-78), with the dev chain's real
 * metadata and hash and real sr25519: mode 1 added only for a site that takes back a signed
 * transaction, whose signature then verifies over the mode-1 payload; a site's own mode 1 kept, unless
 * its hash is not the chain's; mode 0, with the reason, otherwise. And which calls the balance check judges.
 */
import { Keyring } from '@polkadot/keyring';
import { expandMetadata } from '@polkadot/types';
import type { SignerPayloadJSON } from '@polkadot/types/types';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, signatureVerify } from '@polkadot/util-crypto';
import { buildMetadata, type RuntimeMetadata } from '../../../contract/chain/metadata/build';
import { metadataHashPlan, payloadToSign } from '../../../extension/background/requests/metadata-mode';
import { signedTransaction, signPayload } from '../../../extension/background/requests/signing';
import { WalletError } from '../../../extension/messages/errors';
import { publicSpend } from '../../../shared/client/funds';

const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const GENESIS = `0x${'ab'.repeat(32)}` as const;

let meta: RuntimeMetadata;
let chainHash: `0x${string}`;
let alice: ReturnType<Keyring['addFromUri']>;

beforeAll(async () => {
  await cryptoWaitReady();
  meta = buildMetadata();
  chainHash = u8aToHex(meta.metadataHash());
  alice = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice');
});

/** A transfer payload of the dev chain, as @polkadot/api builds it (mode 0 unless told). */
function payload(extra: Partial<SignerPayloadJSON> = {}): SignerPayloadJSON {
  const { registry } = meta;
  return {
    ...registry.createType('SignerPayload', {
      address: alice.address, blockHash: GENESIS, blockNumber: 0, era: '0x00', genesisHash: GENESIS,
      method: expandMetadata(registry, meta.metadata).tx.balances.transferKeepAlive(BOB, 5n * 10n ** 12n).toHex(),
      nonce: 0, runtimeVersion: { specVersion: 1, transactionVersion: 1 }, signedExtensions: registry.signedExtensions, tip: 0, version: 4,
    }).toPayload(),
    ...extra,
  };
}

const chainKnowing = (hash: `0x${string}` | null) => ({ metadataHash: async () => hash });

test('a site that takes back a signed transaction gets mode 1 with the chain\'s hash; the returned transaction carries it and its signature verifies', async () => {
  const sent = payload({ withSignedTransaction: true });
  const plan = await metadataHashPlan(sent, chainKnowing(chainHash));
  expect(plan).toEqual({ mode: 1, hash: chainHash, byWallet: true });

  const signed = payloadToSign(sent, plan);
  const signature = signPayload(alice, signed, undefined);
  const tx = meta.registry.createType('Extrinsic', signedTransaction(meta.registry, signed, signature));
  expect(tx.mode.toNumber()).toBe(1);
  expect(tx.method.toHex()).toBe(sent.method);
  expect(tx.signer.toString()).toBe(alice.address);
  const bytes = meta.registry.createType('ExtrinsicPayload', signed, { version: 4 }).toU8a({ method: true });
  expect(signatureVerify(bytes, signature, alice.address).isValid).toBe(true);
  // The same signature does not verify over the payload the site sent (mode 0): the hash is committed to.
  const original = meta.registry.createType('ExtrinsicPayload', sent, { version: 4 }).toU8a({ method: true });
  expect(signatureVerify(original, signature, alice.address).isValid).toBe(false);
});

test('a site that cannot take a transaction back is signed as sent (mode 0), and the view says why', async () => {
  const sent = payload();
  const plan = await metadataHashPlan(sent, chainKnowing(chainHash));
  expect(plan).toEqual({ mode: 0, reason: 'the site cannot take back a transaction with the hash added' });
  expect(payloadToSign(sent, plan)).toBe(sent);
});

test('without the chain\'s hash (not connected to it) or without the extension, the mode stays 0', async () => {
  expect(await metadataHashPlan(payload({ withSignedTransaction: true }), chainKnowing(null))).toMatchObject({ mode: 0, reason: expect.stringMatching(/not connected/) });
  const withoutExtension = payload({ withSignedTransaction: true, signedExtensions: meta.registry.signedExtensions.filter((e) => e !== 'CheckMetadataHash') });
  expect(await metadataHashPlan(withoutExtension, chainKnowing(chainHash))).toEqual({ mode: 0, reason: 'this chain does not check a metadata hash' });
});

test('a site\'s own mode 1 is kept with the chain\'s hash and refused with another (the chain would refuse it)', async () => {
  expect(await metadataHashPlan(payload({ mode: 1, metadataHash: chainHash }), chainKnowing(chainHash))).toEqual({ mode: 1, hash: chainHash, byWallet: false });
  const wrong = payload({ mode: 1, metadataHash: `0x${'07'.repeat(32)}` });
  await expect(metadataHashPlan(wrong, chainKnowing(chainHash))).rejects.toThrow(WalletError);
  await expect(metadataHashPlan(wrong, chainKnowing(chainHash))).rejects.toThrow(/another metadata hash than the chain's/);
  await expect(metadataHashPlan(payload({ mode: 1 }), chainKnowing(chainHash))).rejects.toThrow(/without a hash/);
});

test('the balance check judges transfers and convert-to-secret, keep-alive except transferAllowDeath, and nothing else', () => {
  const call = (section: string, method: string, amount: bigint) => ({ section, method, args: [{ toString: () => BOB }, { toString: () => amount.toString() }] });
  expect(publicSpend(call('balances', 'transferKeepAlive', 7n))).toEqual({ amount: 7n, keepAlive: true });
  expect(publicSpend(call('balances', 'transferAllowDeath', 8n))).toEqual({ amount: 8n, keepAlive: false });
  expect(publicSpend(call('phalaModule', 'transferToTee', 9n))).toEqual({ amount: 9n, keepAlive: true });
  expect(publicSpend(call('system', 'remark', 0n))).toBeNull();
});
