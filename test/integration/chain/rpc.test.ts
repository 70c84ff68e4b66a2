/**
 * The dev chain through the real @polkadot/api over WebSocket: reads, a transfer to finalized with
 * fees that match the fee query, every kind of refused transaction, and opaque pushCommand.
 */
import { COMMAND_ENVELOPE_SIZE } from '../../../shared/constants';
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, randomAsU8a } from '@polkadot/util-crypto';
import { WebSocket } from 'ws';
import { startChain, type RunningChain } from '../../../contract/chain/index';
import { connect, devKeys, finalize, freeBalance, PHA } from './helpers';
import { shutdown } from '../../helpers/teardown';
import { until } from '../../helpers/until';

let node: RunningChain;
let api: ApiPromise;
let keys: Awaited<ReturnType<typeof devKeys>>;
/** The chain's wall clock, set by the tests (ms since the epoch). */
let clock = Date.UTC(2030, 0, 1);

beforeAll(async () => {
  node = await startChain({ port: 0, now: () => clock });
  api = await connect(node.url);
  keys = await devKeys();
});

afterAll(async () => {
  await shutdown(api, async () => node?.close());
});

/** One JSON-RPC exchange on a plain WebSocket, bypassing polkadot-js's own checks. */
async function rawRpc(method: string, params: unknown[]): Promise<{ result?: unknown; error?: { code: number; message: string } }> {
  const ws = new WebSocket(node.url);
  await new Promise((r) => ws.once('open', r));
  ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }));
  const reply = JSON.parse(String(await new Promise((r) => ws.once('message', r))));
  ws.close();
  return reply;
}

/** The JSON-RPC error a raw submission gets (polkadot-js formats it as `code: message: data`). */
async function submitError(hex: string): Promise<string> {
  try {
    await api.rpc.author.submitExtrinsic(hex);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the transaction was accepted');
}

async function signed(tx: ReturnType<ApiPromise['tx']['balances']['transferKeepAlive']>, pair = keys.alice, nonce = -1) {
  return (await tx.signAsync(pair, { nonce })).toHex();
}

test('serves chain identity, properties and genesis state', async () => {
  expect(api.runtimeChain.toString()).toBe('Dark Wallet Dev');
  expect(api.registry.chainSS58).toBe(42);
  expect(api.registry.chainDecimals).toEqual([12]);
  expect(api.registry.chainTokens).toEqual(['PHA']);
  expect(api.genesisHash.toHex()).toBe(node.genesisHash);
  expect(await freeBalance(api, keys.ferdie.address)).toBe(1_000_000n * PHA);
  expect((await api.query.sudo.key()).toString()).toBe(keys.alice.address);
  expect((await api.rpc.system.health()).isSyncing.isFalse).toBe(true);
});

test('Alice → Bob transfer: finalized with events, fee charged equals the fee query', async () => {
  const amount = 5n * PHA;
  const tx = api.tx.balances.transferKeepAlive(keys.bob.address, amount);
  const callInfo = await tx.paymentInfo(keys.alice);
  const aliceBefore = await freeBalance(api, keys.alice.address);
  const bobBefore = await freeBalance(api, keys.bob.address);

  const result = await finalize(tx, keys.alice);
  expect(result.names).toEqual(expect.arrayContaining(['balances.Transfer', 'system.ExtrinsicSuccess', 'transactionPayment.TransactionFeePaid']));

  const fee = aliceBefore - (await freeBalance(api, keys.alice.address)) - amount;
  expect(fee).toBeGreaterThan(0n);
  expect(fee).toBe(callInfo.partialFee.toBigInt());
  expect(await freeBalance(api, keys.bob.address)).toBe(bobBefore + amount);
  const paid = result.events.find((e) => e.event.method === 'TransactionFeePaid')!;
  expect((paid.event.data[1] as unknown as { toBigInt(): bigint }).toBigInt()).toBe(fee);

  // Both fee query paths agree on the same (signed) extrinsic.
  const probe = api.tx.balances.transferKeepAlive(keys.bob.address, amount);
  await probe.signAsync(keys.alice);
  const viaCall = await api.call.transactionPaymentApi.queryInfo(probe.toHex(), probe.encodedLength);
  const viaRpc = await api.rpc.payment.queryInfo(probe.toHex());
  expect(viaCall.partialFee.toBigInt()).toBe(fee);
  expect(viaRpc.partialFee.toBigInt()).toBe(fee);

  // The block is readable like any Substrate block: the header hash matches, the extrinsic is in it.
  const block = await api.rpc.chain.getBlock(result.blockHash);
  expect(block.block.header.hash.toHex()).toBe(result.blockHash);
  expect(block.block.extrinsics.map((x) => `${x.method.section}.${x.method.method}`)).toEqual(['timestamp.set', 'balances.transferKeepAlive']);
});

test('ed25519 and ecdsa accounts sign valid transactions too', async () => {
  for (const type of ['ed25519', 'ecdsa'] as const) {
    const pair = new Keyring({ type }).addFromUri(`//Dark//${type}`);
    await finalize(api.tx.balances.transferKeepAlive(pair.address, 10n * PHA), keys.alice);
    const result = await finalize(api.tx.balances.transferKeepAlive(keys.bob.address, PHA), pair);
    expect(result.names).toContain('system.ExtrinsicSuccess');
  }
});

test('immortal transactions are accepted', async () => {
  const tx = api.tx.system.remark('0x01');
  await tx.signAsync(keys.charlie, { era: 0 });
  expect((await finalize(tx)).names).toContain('system.ExtrinsicSuccess');
});

describe('refused transactions get 1010 with a reason, and blocks keep coming', () => {
  // polkadot-js logs every refused submission to console.error; the assertions say what matters.
  beforeAll(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  test('bad signature', async () => {
    const tx = await api.tx.balances.transferKeepAlive(keys.bob.address, PHA).signAsync(keys.alice);
    const bytes = tx.toU8a();
    const sig = tx.signature.toU8a();
    const at = Buffer.from(bytes).indexOf(Buffer.from(sig));
    bytes[at + 5] ^= 0xff;
    expect(await submitError(u8aToHex(bytes))).toMatch(/^1010: Invalid Transaction: Transaction has a bad signature/);
  });

  test('stale nonce', async () => {
    await finalize(api.tx.system.remark('0x02'), keys.dave);
    expect(await submitError(await signed(api.tx.balances.transferKeepAlive(keys.bob.address, PHA), keys.dave, 0)))
      .toMatch(/^1010: .*stale/);
  });

  test('future nonce', async () => {
    expect(await submitError(await signed(api.tx.balances.transferKeepAlive(keys.bob.address, PHA), keys.dave, 1000)))
      .toMatch(/^1010: .*future/);
  });

  test('wrong genesis hash', async () => {
    const ext = api.createType('Extrinsic', api.tx.balances.transferKeepAlive(keys.bob.address, PHA));
    const other = u8aToHex(randomAsU8a(32));
    ext.sign(keys.alice, {
      blockHash: other, genesisHash: other, era: api.createType('ExtrinsicEra'), nonce: (await api.rpc.system.accountNextIndex(keys.alice.address)).toNumber(),
      runtimeVersion: api.runtimeVersion, signedExtensions: api.registry.signedExtensions,
    });
    expect(await submitError(ext.toHex())).toMatch(/^1010: .*bad signature/);
  });

  test('a mortal transaction after its era ends (Substrate reports it as a bad signature)', async () => {
    const old = (await api.tx.balances.transferKeepAlive(keys.bob.address, PHA).signAsync(keys.ferdie, { era: 4 })).toHex();
    for (let i = 0; i < 5; i++) await finalize(api.tx.system.remark(`0x0${i}`), keys.charlie);
    expect(await submitError(old)).toMatch(/^1010: .*bad signature/);
  });

  test('insufficient balance to pay the fee', async () => {
    const pauper = new Keyring({ type: 'sr25519' }).addFromUri('//Pauper');
    expect(await submitError(await signed(api.tx.balances.transferKeepAlive(keys.bob.address, 1n), pauper)))
      .toMatch(/^1010: .*Inability to pay some fees/);
  });

  test('pushCommand payloads of the wrong size (short, long, oversized)', async () => {
    for (const size of [0, 200, 202, 64 * 1024]) {
      const hex = await signed(api.tx.phalaModule.pushCommand(1, u8aToHex(randomAsU8a(size))) as never);
      expect(await submitError(hex)).toMatch(/^1010: .*PayloadWrongSize/);
    }
  });

  test('undecodable bytes', async () => {
    const reply = await rawRpc('author_submitExtrinsic', ['0x1234']);
    expect(reply.error).toMatchObject({ code: 1001 });
  });

  test('the chain still produces blocks afterwards', async () => {
    const head = (await api.rpc.chain.getHeader()).number.toNumber();
    const result = await finalize(api.tx.balances.transferKeepAlive(keys.eve.address, PHA), keys.alice);
    expect(result.names).toContain('system.ExtrinsicSuccess');
    expect((await api.rpc.chain.getHeader()).number.toNumber()).toBe(head + 1);
  });
});

test('a failing call is included: fee paid, ExtrinsicFailed', async () => {
  const result = await finalize(api.tx.balances.transferKeepAlive(keys.alice.address, 10_000_000n * PHA), keys.eve);
  expect(result.names).toContain('system.ExtrinsicFailed');
  expect(result.names).not.toContain('balances.Transfer');
});

test('pushCommand: CommandPushed with the blake2 hash; the payload is nowhere in events or storage', async () => {
  const payload = randomAsU8a(COMMAND_ENVELOPE_SIZE);
  const payloadHex = u8aToHex(payload).slice(2);
  const result = await finalize(api.tx.phalaModule.pushCommand(1, u8aToHex(payload)), keys.bob);
  const pushed = result.events.find((e) => e.event.method === 'CommandPushed')!;
  expect(pushed.event.section).toBe('phalaModule');
  const [contractId, sender, payloadHash] = pushed.event.data;
  expect(contractId.toString()).toBe('1');
  expect(sender.toString()).toBe(keys.bob.address);
  expect(payloadHash.toHex()).toBe(blake2AsHex(payload, 256));

  const allEvents = await api.query.system.events.at(result.blockHash);
  expect(allEvents.toHex()).not.toContain(payloadHex);
  let start: string | undefined;
  for (;;) {
    const page = await api.rpc.state.getKeysPaged('0x', 500, start, result.blockHash);
    if (!page.length) break;
    for (const key of page) {
      const value = await api.rpc.state.getStorage(key, result.blockHash);
      expect(`${key.toHex()}${(value as unknown as { toHex(): string }).toHex()}`).not.toContain(payloadHex);
    }
    start = page[page.length - 1].toHex();
  }
  // The ciphertext lives only in the block body, where the worker reads it.
  const block = await api.rpc.chain.getBlock(result.blockHash);
  expect(block.block.extrinsics.some((x) => x.toHex().includes(payloadHex))).toBe(true);
});

test('historical reads, storage subscriptions and head subscriptions', async () => {
  const before = (await api.rpc.chain.getHeader()).hash.toHex();
  const balanceBefore = await freeBalance(api, keys.charlie.address);
  const seen: bigint[] = [];
  const unsub = await api.query.system.account(keys.charlie.address, (info: unknown) => {
    seen.push((info as { data: { free: { toBigInt(): bigint } } }).data.free.toBigInt());
  });
  await finalize(api.tx.balances.transferKeepAlive(keys.charlie.address, 3n * PHA), keys.alice);
  await until(() => seen.includes(balanceBefore + 3n * PHA), { what: 'the subscription to announce the new balance' });
  unsub();
  expect(seen[0]).toBe(balanceBefore);
  expect(seen[seen.length - 1]).toBe(balanceBefore + 3n * PHA);
  const atBefore = (await api.query.system.account.at(before, keys.charlie.address)) as unknown as { data: { free: { toBigInt(): bigint } } };
  expect(atBefore.data.free.toBigInt()).toBe(balanceBefore);
});

test('unknown methods answer -32601', async () => {
  expect(await rawRpc('no_suchMethod', [])).toEqual({ jsonrpc: '2.0', id: 1, error: { code: -32601, message: 'Method not found' } });
});

test("block timestamps come from the chain's clock and never go backwards", async () => {
  const timestampOf = async (blockHash: string) => BigInt((await (await api.at(blockHash)).query.timestamp.now()).toString());
  clock = Date.UTC(2031, 5, 1);
  const first = await finalize(api.tx.balances.transferKeepAlive(keys.dave.address, PHA), keys.alice);
  expect(await timestampOf(first.blockHash)).toBe(BigInt(clock));
  clock -= 60_000; // the host's clock is set back a minute
  const second = await finalize(api.tx.balances.transferKeepAlive(keys.dave.address, PHA), keys.alice);
  expect(await timestampOf(second.blockHash)).toBe(BigInt(Date.UTC(2031, 5, 1)) + 1n);
});
