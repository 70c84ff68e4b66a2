/**
 * CheckMetadataHash (RFC-78) on the dev chain, through the real @polkadot/api over WebSocket: the
 * chain serves V15 metadata whose merkleized hash (computed here by @polkadot-api/merkleize-metadata,
 * independently of the node) is the one the node checks; a transfer signed with mode 1 and that hash
 * is included, one signed with mode 1 and another hash is refused as a bad signature (1010), and
 * mode 0 keeps working.
 */
import type { ApiPromise } from '@polkadot/api';
import type { Signer, SignerResult } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { SignerPayloadJSON } from '@polkadot/types/types';
import { u8aToHex } from '@polkadot/util';
import type { RunningChain } from '../../../contract/chain/index';
import { includedMode, servedMetadataHash } from '../../helpers/chain';
import { chainSuite, finalize, freeBalance, PHA, type DevKeys } from './helpers';

const suite = chainSuite();
let node: RunningChain;
let api: ApiPromise;
let keys: DevKeys;
beforeAll(() => ({ node, api, keys } = suite));

/** A dApp-style signer: signs exactly the payload @polkadot/api hands it, with the pair's key. */
function payloadSigner(pair: KeyringPair, seen: SignerPayloadJSON[]): Signer {
  let id = 0;
  return {
    signPayload: async (payload: SignerPayloadJSON): Promise<SignerResult> => {
      seen.push(payload);
      const signed = api.registry.createType('ExtrinsicPayload', payload, { version: payload.version }).sign(pair);
      return { id: ++id, signature: signed.signature };
    },
  };
}

test('the chain declares CheckMetadataHash after ChargeTransactionPayment and serves V15 metadata', async () => {
  expect(api.registry.signedExtensions.slice(-2)).toEqual(['ChargeTransactionPayment', 'CheckMetadataHash']);
  const versions = await api.call.metadata.metadataVersions();
  expect(versions.map((v) => v.toNumber())).toEqual([14, 15]);
  expect(api.runtimeMetadata.version).toBe(15);
});

test('the metadata hash the node checks equals merkleize-metadata over the metadata it serves', async () => {
  expect(await servedMetadataHash(api)).toBe(u8aToHex(node.chain.runtime.codec.metadataHash()));
});

test('a transfer signed with mode 1 and the metadata hash is included', async () => {
  const metadataHash = await servedMetadataHash(api);
  const seen: SignerPayloadJSON[] = [];
  const before = await freeBalance(api, keys.charlie.address);
  const tx = api.tx.balances.transferKeepAlive(keys.charlie.address, 2n * PHA);
  const done = await new Promise<string>((resolve, reject) => {
    tx.signAndSend(keys.alice.address, { signer: payloadSigner(keys.alice, seen), mode: 1, metadataHash }, (r) => {
      if (r.status.isFinalized) resolve(r.status.asFinalized.toHex());
      else if (r.status.isInvalid || r.status.isDropped) reject(new Error('became invalid'));
    }).catch(reject);
  });
  expect(seen[0].mode).toBe(1);
  expect(seen[0].metadataHash).toBe(metadataHash);
  expect(await freeBalance(api, keys.charlie.address)).toBe(before + 2n * PHA);
  expect(await includedMode(api, done, tx.hash.toHex())).toBe(1);
});

test('mode 1 with another hash is refused as a bad signature (1010) and moves nothing', async () => {
  const wrong = u8aToHex(new Uint8Array(32).fill(7));
  const before = await freeBalance(api, keys.dave.address);
  const tx = api.tx.balances.transferKeepAlive(keys.dave.address, PHA);
  await expect(tx.signAndSend(keys.bob.address, { signer: payloadSigner(keys.bob, []), mode: 1, metadataHash: wrong }))
    .rejects.toThrow(/1010: Invalid Transaction: Transaction has a bad signature/);
  expect(await freeBalance(api, keys.dave.address)).toBe(before);
});

test('mode 0 (no metadata hash) keeps working unchanged', async () => {
  const before = await freeBalance(api, keys.eve.address);
  const { names } = await finalize(api.tx.balances.transferKeepAlive(keys.eve.address, PHA), keys.bob);
  expect(names).toContain('balances.Transfer');
  expect(await freeBalance(api, keys.eve.address)).toBe(before + PHA);
});
