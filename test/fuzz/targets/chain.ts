/**
 * Fuzz targets for the dev chain: extrinsic bytes into `Chain.submit` (decoding, signature, nonce,
 * era and pallet checks must refuse with typed errors), and JSON-RPC text over a real WebSocket
 * (every message gets exactly one well-formed answer; the connection survives).
 */
import { COMMAND_ENVELOPE_SIZE } from '../../../shared/constants';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { WebSocket } from 'ws';
import { startChain, type RunningChain } from '../../../contract/chain';
import { shutdown } from '../../helpers/teardown';
import { RpcError } from '../../../contract/chain/rpc/server';
import { TxRejected } from '../../../contract/chain/runtime/errors';
import type { FuzzTarget } from '../engine';

const utf8 = new TextEncoder();

export async function chainTargets(): Promise<FuzzTarget[]> {
  const chain: RunningChain = await startChain({ port: 0 });
  const api = await ApiPromise.create({ provider: new WsProvider(chain.url), noInitWarn: true });
  const keyring = new Keyring({ type: 'sr25519' });
  const [alice, bob] = [keyring.addFromUri('//Alice'), keyring.addFromUri('//Bob')];
  const ed = new Keyring({ type: 'ed25519' }).addFromUri('//Alice');
  const nonce = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
  const payload = u8aToHex(new Uint8Array(COMMAND_ENVELOPE_SIZE).fill(7));
  const extrinsics = await Promise.all([
    api.tx.balances.transferKeepAlive(bob.address, 10n ** 12n).signAsync(alice, { nonce }),
    api.tx.phalaModule.pushCommand(1, payload).signAsync(alice, { nonce: nonce + 1, era: 0 }),
    api.tx.phalaModule.transferToTee(1, 5n * 10n ** 12n).signAsync(bob, { nonce: 0 }),
    api.tx.balances.transferAllowDeath(alice.address, 1n).signAsync(ed, { nonce: 0 }),
    Promise.resolve(api.tx.phalaModule.transferToChain({ contractId: 1, seq: 9n, dest: bob.address, amount: 1n }, new Uint8Array(64))),
  ]);
  const txSeeds = extrinsics.map((x) => x.toU8a());

  const ws = new WebSocket(chain.url);
  await new Promise((r, j) => { ws.once('open', r); ws.once('error', j); });
  let waiting: ((text: string) => void) | null = null;
  ws.on('message', (data) => {
    const text = String(data);
    if (text.includes('"subscription"')) return; // notifications of subscriptions a case opened
    waiting?.(text);
  });
  const ask = (text: Uint8Array) => new Promise<string>((resolve, reject) => {
    // A ceiling: no answer in 2 s is the hang this target looks for.
    const timer = setTimeout(() => { waiting = null; reject(new Error('hang: no RPC answer within 2 s')); }, 2000);
    waiting = (answer) => { clearTimeout(timer); waiting = null; resolve(answer); };
    ws.send(text);
  });
  const call = (id: number, method: string, params: unknown[]) => utf8.encode(JSON.stringify({ id, jsonrpc: '2.0', method, params }));
  const head = (await api.rpc.chain.getHeader()).hash.toHex();
  const rpcSeeds = [
    call(1, 'chain_getBlockHash', [0]), call(2, 'chain_getHeader', [head]), call(3, 'chain_getBlock', [head]),
    call(4, 'state_getStorage', [api.query.system.account.key(alice.address)]), call(5, 'system_health', []),
    call(6, 'state_call', ['AccountNonceApi_account_nonce', u8aToHex(alice.publicKey)]),
    call(7, 'payment_queryInfo', [extrinsics[0].toHex()]), call(8, 'author_submitExtrinsic', [extrinsics[2].toHex()]),
    call(9, 'state_queryStorageAt', [[api.query.system.number.key()]]), call(10, 'system_properties', []),
    call(11, 'chain_getFinalizedHead', []), call(12, 'state_getKeysPaged', ['0x', 10, null]),
  ];

  return [
    {
      name: 'chain-extrinsic', seeds: txSeeds,
      accepts: (e) => e instanceof TxRejected || e instanceof RpcError,
      async run(input) {
        await chain.chain.submit(input);
      },
    },
    {
      name: 'chain-rpc', seeds: rpcSeeds, accepts: () => false,
      async run(input) {
        const answer = JSON.parse(await ask(input)) as { jsonrpc?: string; result?: unknown; error?: { code: number; message: string } };
        if (answer.jsonrpc !== '2.0' || (!('result' in answer) && !answer.error)) throw new Error('a malformed RPC answer');
        if (answer.error && (typeof answer.error.code !== 'number' || typeof answer.error.message !== 'string')) throw new Error('an untyped RPC error');
      },
      async close() {
        ws.close();
        // Through `shutdown`: polkadot-js tears its subscriptions down on timers that outlive
        // disconnect(), and as the last suites of a run they kept jest from exiting.
        await shutdown(api, () => chain.close());
      },
    },
  ];
}
