/** Keys from randomness, the dev-wrapped secret, and sealed state: continuity and refusal of foreign or tampered blobs. */
import { inspect } from 'node:util';
import { x25519 } from '@noble/curves/ed25519.js';
import { Enclave, EnclaveSecret } from '../../../contract/enclave';
import { isProtocolError, type ProtocolErrorCode } from '../../../shared/errors';
import { toHex, type ContractId } from '../../../shared/types';
import {
  BlockBuilder, CONFIG, Feeder, GENESIS, accounts, amt, balancesOf, idOf, newEnclave, seal, thrown, type Accounts,
} from './helpers';
import { withKnownContractSecret } from '../../helpers/known-secret';

let acc: Accounts;
beforeAll(async () => {
  acc = await accounts();
});

async function expectProtocolError(fn: () => unknown, code: ProtocolErrorCode): Promise<void> {
  const err = await thrown(fn);
  expect(isProtocolError(err, code)).toBe(true);
}

describe('enclave secret', () => {
  it('is random per install, never the 0x1 key of the original', async () => {
    const [a, b] = await Promise.all([newEnclave(), newEnclave()]);
    const one = new Uint8Array(32);
    one[0] = 1;
    expect(toHex(a.contractPub)).not.toBe(toHex(b.contractPub));
    expect(toHex(a.identityPub)).not.toBe(toHex(b.identityPub));
    expect(toHex(a.contractPub)).not.toBe(toHex(x25519.getPublicKey(one)));
  });

  it('shows nothing of itself when serialised or inspected', () => {
    const { secret, contractSecret } = withKnownContractSecret();
    const hex = toHex(contractSecret).slice(2);
    expect(JSON.stringify(secret)).toBe('{}');
    expect(inspect(secret, { showHidden: true, depth: 5 })).not.toContain(hex);
    expect(Object.keys(secret)).toEqual([]);
  });

  it('round-trips through the dev key file and refuses another key file or tampering', async () => {
    const secret = EnclaveSecret.generate();
    const keyFile = EnclaveSecret.newDevKeyFile();
    const blob = secret.wrapForDev(keyFile);
    const [a, b] = await Promise.all([newEnclave(secret), newEnclave(EnclaveSecret.unwrapForDev(blob, keyFile))]);
    expect(toHex(b.contractPub)).toBe(toHex(a.contractPub));
    expect(toHex(b.identityPub)).toBe(toHex(a.identityPub));
    await expectProtocolError(() => EnclaveSecret.unwrapForDev(blob, EnclaveSecret.newDevKeyFile()), 'DecryptFailed');
    const flipped = blob.slice();
    flipped[40] ^= 1;
    await expectProtocolError(() => EnclaveSecret.unwrapForDev(flipped, keyFile), 'DecryptFailed');
    const versioned = blob.slice();
    versioned[0] = 2;
    await expectProtocolError(() => EnclaveSecret.unwrapForDev(versioned, keyFile), 'BadVersion');
    await expectProtocolError(() => EnclaveSecret.unwrapForDev(blob.subarray(0, 30), keyFile), 'Truncated');
    await expectProtocolError(() => EnclaveSecret.unwrapForDev(blob, keyFile.subarray(1)), 'BadLength');
  });

  it('provisions a second worker with the same contract key but its own identity', async () => {
    const { secret: first, contractSecret } = withKnownContractSecret();
    const second = EnclaveSecret.devOnlyWithContractSecret(contractSecret);
    const [a, b] = await Promise.all([newEnclave(first), newEnclave(second)]);
    expect(toHex(b.contractPub)).toBe(toHex(a.contractPub));
    expect(toHex(b.identityPub)).not.toBe(toHex(a.identityPub));
  });
});

describe('sealed state', () => {
  async function withHistory() {
    const { secret, contractSecret } = withKnownContractSecret();
    const e = await newEnclave(secret);
    const feed = new Feeder();
    const alice = idOf(acc.alice);
    await feed.feed(e, new BlockBuilder().deposit(alice, 100));
    const [r] = await feed.feed(e, new BlockBuilder().push(alice, await seal(e, alice, { kind: 'Withdraw', dest: idOf(acc.bob), amount: amt(7) })));
    expect(r.receipts.map((x) => x.receipt.seq)).toEqual([1n]);
    return { secret, contractSecret, e, feed };
  }

  it('restores to the same root and block, and continues without reusing a receipt seq', async () => {
    const { secret, e, feed } = await withHistory();
    const root = e.stateRoot();
    const restored = await Enclave.restore(secret, CONFIG, e.seal());
    expect(restored.stateRoot()).toBe(root);
    expect(restored.lastBlock).toBe(2);
    expect(restored.lastBlockHash).toBe(e.lastBlockHash);
    expect(await balancesOf(restored, acc.alice)).toEqual(new Map([[0, 93n]]));
    const alice = idOf(acc.alice);
    const block = new BlockBuilder().push(alice, await seal(e, alice, { kind: 'Withdraw', dest: alice, amount: amt(1) }));
    const [x, y] = await feed.feed([e, restored], block);
    expect(y.receipts.map((r) => r.receipt.seq)).toEqual([2n]);
    expect(y.receipts).toEqual(x.receipts); // same identity: byte-identical signatures
    expect(restored.stateRoot()).toBe(e.stateRoot());
    expect(restored.health()).toMatchObject({ lastBlock: 3, lastBlockHash: e.lastBlockHash, authoritySetId: '0' });
    expect(restored.counts()).toMatchObject({ unpaidReceipts: 2, heldReceipts: 0 });
  });

  it('keeps signed receipts until a verified block shows them paid, across a restore', async () => {
    const { secret, e, feed } = await withHistory();
    const [receipt] = e.unpaidReceipts();
    expect(receipt.receipt.seq).toBe(1n);
    const restored = await Enclave.restore(secret, CONFIG, e.seal());
    expect(restored.unpaidReceipts()).toEqual([receipt]); // same identity: the same signature again
    // Paid by another contract's seq 1: not ours.
    await feed.feed([e, restored], new BlockBuilder().paid({ ...receipt.receipt, contractId: 2 }));
    expect(restored.unpaidReceipts()).toEqual([receipt]);
    await feed.feed([e, restored], new BlockBuilder().paid(receipt.receipt));
    expect(restored.unpaidReceipts()).toEqual([]);
    expect(restored.counts().unpaidReceipts).toBe(0);
  });

  it('restored from an older snapshot, replays the verified blocks since: the same state and the same receipts', async () => {
    const { secret, e, feed } = await withHistory();
    const older = e.seal();
    const alice = idOf(acc.alice);
    const later = [
      feed.block(new BlockBuilder().push(alice, await seal(e, alice, { kind: 'Withdraw', dest: alice, amount: amt(2) }))),
      feed.block(new BlockBuilder().deposit(alice, 3)),
    ];
    const live = await e.ingest(later);
    const restored = await Enclave.restore(secret, CONFIG, older);
    const replayed = await restored.ingest(later);
    expect(replayed.receipts).toEqual(live.receipts);
    expect(restored.stateRoot()).toBe(e.stateRoot());
    expect(restored.unpaidReceipts()).toEqual(e.unpaidReceipts());
  });

  it('opens in another worker of the same contract (contract sealing key), and in no other contract\'s', async () => {
    const { contractSecret, e } = await withHistory();
    const blob = e.seal();
    const sameContract = await Enclave.restore(EnclaveSecret.devOnlyWithContractSecret(contractSecret), CONFIG, blob);
    expect(sameContract.stateRoot()).toBe(e.stateRoot());
    await expectProtocolError(() => Enclave.restore(EnclaveSecret.generate(), CONFIG, blob), 'DecryptFailed');
  });

  it('refuses a blob of another contract or chain, a flipped byte, another version, a cut blob', async () => {
    const { secret, e } = await withHistory();
    const blob = e.seal();
    const config = CONFIG;
    await expectProtocolError(() => Enclave.restore(secret, { ...config, contractId: 2 as ContractId }, blob), 'DecryptFailed');
    await expectProtocolError(() => Enclave.restore(secret, { ...config, genesisHash: new Uint8Array(32) }, blob), 'DecryptFailed');
    for (const at of [1, 24, 25, Math.floor(blob.length / 2), blob.length - 1]) {
      const t = blob.slice();
      t[at] ^= 0x80;
      await expectProtocolError(() => Enclave.restore(secret, config, t), 'DecryptFailed');
    }
    const v = blob.slice();
    v[0] = 9;
    await expectProtocolError(() => Enclave.restore(secret, config, v), 'BadVersion');
    await expectProtocolError(() => Enclave.restore(secret, config, blob.subarray(0, 40)), 'Truncated');
    await expectProtocolError(() => Enclave.restore(secret, config, blob.subarray(0, blob.length - 1)), 'DecryptFailed');
  });

  it('seals a fresh enclave too (no block yet)', async () => {
    const secret = EnclaveSecret.generate();
    const e = await newEnclave(secret);
    const restored = await Enclave.restore(secret, CONFIG, e.seal());
    expect(restored.lastBlockHash).toBe(toHex(GENESIS));
    expect(restored.stateRoot()).toBe(e.stateRoot());
  });
});
