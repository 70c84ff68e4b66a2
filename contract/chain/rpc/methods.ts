/**
 * The Substrate JSON-RPC methods polkadot-js (api, apps, extension signer) uses, answered from the
 * node. JSON shapes follow Substrate's: hex numbers in headers, `null` for unknown blocks/keys.
 */
import { hexToU8a, isHex, u8aConcat, u8aToHex } from '@polkadot/util';
import { base58Encode } from '@polkadot/util-crypto';
import { accountId, type AccountId } from '../../../shared/types';
import { NODE_NAME, NODE_VERSION, RUNTIME_VERSION } from '../config';
import type { RuntimeMetadata } from '../metadata/build';
import type { SealedBlock } from '../node/block';
import type { Chain, TxStatus } from '../node/chain';
import type { GrandpaFinality } from '../node/finality';
import { GRANDPA_ENGINE_ID } from '../runtime/pallets/grandpa';
import { TxRejected } from '../runtime/errors';
import { Storage } from '../runtime/storage';
import { dryRun } from './dryRun';
import { paymentInfo, stateCall } from './runtimeApi';
import { RpcError, invalidParams, type RpcConnection, type RpcMethod } from './server';

const hexNumber = (n: number) => `0x${n.toString(16)}`;

function headerJson(b: SealedBlock) {
  const h = b.header;
  return {
    parentHash: h.parentHash.toHex(),
    number: hexNumber(b.number),
    stateRoot: h.stateRoot.toHex(),
    extrinsicsRoot: h.extrinsicsRoot.toHex(),
    // Substrate serializes each digest item as the hex of its SCALE encoding.
    digest: { logs: h.digest.logs.map((item) => item.toHex()) },
  };
}

/**
 * A libp2p PeerId (base58 identity multihash of the protobuf ed25519 public key), what
 * `system_localPeerId` answers: this node has no network, but tools display and parse it.
 */
const peerId = (ed25519Public: Uint8Array) =>
  base58Encode(u8aConcat([0x00, 0x24, 0x08, 0x01, 0x12, 0x20], ed25519Public));

const hexParam = (v: unknown, what: string): string => {
  if (typeof v !== 'string' || !isHex(v)) throw invalidParams(`${what} must be 0x-hex`);
  return v.toLowerCase();
};

function accountParam(v: unknown): AccountId {
  if (typeof v !== 'string') throw invalidParams('expected an account address');
  try {
    return accountId(v);
  } catch {
    throw invalidParams('expected an SS58 or 0x account address');
  }
}

/** A transaction refusal as Substrate words it: code 1010 "Invalid Transaction", the reason in `data`. */
const rejected = (e: TxRejected) => new RpcError(e.rpcCode, e.rpcCode === 1010 ? 'Invalid Transaction' : e.reason, e.reason);

export interface RpcContext {
  chain: Chain;
  meta: RuntimeMetadata;
  /** `system_chain`. */
  chainName: string;
  finality: GrandpaFinality;
  /** ed25519 public key the node's PeerId is derived from. */
  peerKey: Uint8Array;
  /**
   * How long after `inBlock` a watched transaction hears `finalized`. Blocks are final at once, but
   * a Substrate node reports finality a GRANDPA round later, and polkadot-js relies on that: it
   * fetches an `inBlock` block's events and drops them (the callback never sees InBlock) when
   * `finalized` arrives first.
   */
  finalityLagMs: number;
}

export function rpcMethods({ chain, meta, chainName, finality, peerKey, finalityLagMs }: RpcContext): Record<string, RpcMethod> {
  const rt = chain.runtime;

  /** The block a method's optional `at` names (the head when absent), or null when unknown. */
  const findBlock = (at: unknown): SealedBlock | null => {
    if (at === undefined || at === null) return chain.head;
    const n = chain.numberOf(hexParam(at, 'block hash'));
    return n === null ? null : chain.block(n);
  };
  const blockAt = (at: unknown): SealedBlock => {
    const b = findBlock(at);
    if (!b) throw new RpcError(-32000, `Unknown block ${String(at)}`);
    return b;
  };
  const storageAt = (at: unknown): Storage => {
    const n = blockAt(at).number;
    return Storage.over(rt.codec, { get: (key) => chain.state.getAt(key, n) });
  };
  const valueAt = (key: unknown, n: number) => {
    const v = chain.state.getAt(hexParam(key, 'storage key'), n);
    return v === null ? null : u8aToHex(v);
  };
  const submit = (hex: unknown, watch?: (s: TxStatus) => void) => chain.submit(hexToU8a(hexParam(hex, 'extrinsic')), watch);

  /** A head subscription: the current head at once (as Substrate does), then every new block. */
  const heads = (notification: string): RpcMethod => (_p, conn) =>
    conn.subscribe(notification, (push) => {
      push(headerJson(chain.head));
      return chain.onBlock((b) => push(headerJson(b)));
    });
  const unsubscribe: RpcMethod = ([id], conn: RpcConnection) => conn.unsubscribe(String(id));

  const methods: Record<string, RpcMethod> = {
    // ---- chain
    chain_getBlockHash: ([n]) => {
      if (n === undefined || n === null) return chain.head.hash;
      const num = typeof n === 'string' ? parseInt(n, n.startsWith('0x') ? 16 : 10) : n;
      if (typeof num !== 'number' || !Number.isInteger(num) || num < 0) throw invalidParams('block number');
      return chain.blockHash(num);
    },
    // Like Substrate: an unknown block is `null` here, an error for state queries.
    chain_getHeader: ([at]) => {
      const b = findBlock(at);
      return b && headerJson(b);
    },
    chain_getBlock: ([at]) => {
      const b = findBlock(at);
      if (!b) return null;
      const justification = finality.justification(b.number);
      return {
        block: { header: headerJson(b), extrinsics: b.extrinsics.map((x) => u8aToHex(x)) },
        justifications: justification && [[u8aToHex(GRANDPA_ENGINE_ID), u8aToHex(justification)]],
      };
    },
    chain_getFinalizedHead: () => chain.head.hash,
    chain_subscribeNewHeads: heads('chain_newHead'),
    chain_subscribeFinalizedHeads: heads('chain_finalizedHead'),
    chain_subscribeAllHeads: heads('chain_allHead'),
    chain_unsubscribeNewHeads: unsubscribe,
    chain_unsubscribeFinalizedHeads: unsubscribe,
    chain_unsubscribeAllHeads: unsubscribe,

    // ---- grandpa
    grandpa_subscribeJustifications: (_p, conn) =>
      conn.subscribe('grandpa_justifications', (push) => finality.onJustification((_b, justification) => push(u8aToHex(justification)))),
    grandpa_unsubscribeJustifications: unsubscribe,
    grandpa_proveFinality: ([n]) => {
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw invalidParams('block number');
      const proof = finality.finalityProof(n);
      return proof && u8aToHex(proof);
    },

    // ---- state
    state_getRuntimeVersion: () => RUNTIME_VERSION,
    state_subscribeRuntimeVersion: (_p, conn) =>
      conn.subscribe('state_runtimeVersion', (push) => {
        push(RUNTIME_VERSION);
        return () => undefined; // the runtime never upgrades
      }),
    state_unsubscribeRuntimeVersion: unsubscribe,
    state_getMetadata: () => u8aToHex(meta.bytes),
    state_call: ([method, data, at]) => {
      if (typeof method !== 'string') throw invalidParams('method name');
      return stateCall(rt, meta, storageAt(at), method, hexParam(data ?? '0x', 'call data'));
    },
    state_getStorage: ([key, at]) => valueAt(key, blockAt(at).number),
    state_queryStorageAt: ([keys, at]) => {
      if (!Array.isArray(keys)) throw invalidParams('keys must be a list');
      const b = blockAt(at);
      return [{ block: b.hash, changes: keys.map((k) => [hexParam(k, 'storage key'), valueAt(k, b.number)]) }];
    },
    state_getKeysPaged: ([prefix, count, startKey, at]) => {
      if (typeof count !== 'number' || count < 0) throw invalidParams('count');
      const start = startKey === undefined || startKey === null ? null : hexParam(startKey, 'start key');
      return chain.state.keysPaged(hexParam(prefix ?? '0x', 'prefix'), Math.min(count, 1000), start, blockAt(at).number);
    },
    state_subscribeStorage: ([keys], conn) => {
      const watched = Array.isArray(keys) && keys.length ? keys.map((k) => hexParam(k, 'storage key')) : null;
      return conn.subscribe('state_storage', (push) => {
        if (watched) push({ block: chain.head.hash, changes: watched.map((k) => [k, valueAt(k, chain.head.number)]) });
        return chain.onBlock((b, changes) => {
          const keysChanged = watched ? watched.filter((k) => changes.has(k)) : [...changes.keys()];
          if (keysChanged.length) push({ block: b.hash, changes: keysChanged.map((k) => [k, valueAt(k, b.number)]) });
        });
      });
    },
    state_unsubscribeStorage: unsubscribe,
    // Like Substrate: the trie nodes proving each key's value (or absence) against the block's stateRoot.
    state_getReadProof: ([keys, at]) => {
      if (!Array.isArray(keys)) throw invalidParams('keys must be a list');
      const b = blockAt(at);
      return { at: b.hash, proof: chain.state.readProof(keys.map((k) => hexParam(k, 'storage key')), b.number).map((n) => u8aToHex(n)) };
    },

    // ---- system
    system_chain: () => chainName,
    system_name: () => NODE_NAME,
    system_version: () => NODE_VERSION,
    system_chainType: () => 'Development',
    system_properties: () => meta.properties,
    system_health: () => ({ peers: 0, isSyncing: false, shouldHavePeers: false }),
    system_accountNextIndex: ([who]) => chain.nextIndex(accountParam(who)),
    system_localPeerId: () => peerId(peerKey),
    system_localListenAddresses: () => [],
    system_peers: () => [],
    system_nodeRoles: () => ['Authority'],
    system_dryRun: ([hex, at]) => dryRun(chain, blockAt(at), hexParam(hex, 'extrinsic')),

    // ---- author
    author_submitExtrinsic: ([hex]) => submit(hex),
    author_pendingExtrinsics: () => chain.pendingExtrinsics().map((x) => u8aToHex(x)),
    author_submitAndWatchExtrinsic: async ([hex], conn) => {
      // Validate before subscribing: a refused transaction gets an error, not a subscription.
      let push: ((s: TxStatus) => void) | null = null;
      const held: TxStatus[] = [];
      const hash = await submit(hex, (s) => (push ? push(s) : held.push(s)));
      return conn.subscribe('author_extrinsicUpdate', (p) => {
        let lagging: NodeJS.Timeout | undefined;
        push = (s) => {
          if (typeof s === 'object' && 'finalized' in s) lagging = setTimeout(() => p(s), finalityLagMs);
          else p(s);
        };
        p('ready');
        held.forEach(push);
        return () => {
          clearTimeout(lagging);
          chain.unwatch(hash);
        };
      });
    },
    author_unwatchExtrinsic: unsubscribe,

    // ---- payment (deprecated in favour of TransactionPaymentApi, still used by older tools)
    payment_queryInfo: ([hex]) => {
      const { refTime, class: cls, fee } = paymentInfo(rt, hexToU8a(hexParam(hex, 'extrinsic')));
      return { weight: Number(refTime), class: cls.toLowerCase(), partialFee: String(fee?.partialFee ?? 0n) };
    },
  };

  // The aliases a Substrate node serves (sc-rpc-api); polkadot-js subscribes through `chain_subscribeNewHead`.
  const aliases: Record<string, string> = {
    chain_getHead: 'chain_getBlockHash',
    chain_getFinalisedHead: 'chain_getFinalizedHead',
    chain_subscribeFinalisedHeads: 'chain_subscribeFinalizedHeads',
    chain_unsubscribeFinalisedHeads: 'chain_unsubscribeFinalizedHeads',
    chain_subscribeNewHead: 'chain_subscribeNewHeads',
    chain_unsubscribeNewHead: 'chain_unsubscribeNewHeads',
    subscribe_newHead: 'chain_subscribeNewHeads',
    unsubscribe_newHead: 'chain_unsubscribeNewHeads',
    chain_getRuntimeVersion: 'state_getRuntimeVersion',
    chain_subscribeRuntimeVersion: 'state_subscribeRuntimeVersion',
    chain_unsubscribeRuntimeVersion: 'state_unsubscribeRuntimeVersion',
    state_getStorageAt: 'state_getStorage',
    state_getKeysPagedAt: 'state_getKeysPaged',
    state_callAt: 'state_call',
  };
  for (const [alias, target] of Object.entries(aliases)) methods[alias] = methods[target];
  methods.rpc_methods = () => ({ version: 1, methods: Object.keys(methods).sort() });
  return Object.fromEntries(Object.entries(methods).map(([name, m]) => [name, reportRejections(m)]));
}

/** Transaction refusals (from submission or from decoding for fee queries) become Substrate's RPC errors. */
function reportRejections(m: RpcMethod): RpcMethod {
  return async (params, conn) => {
    try {
      return await m(params, conn);
    } catch (e) {
      throw e instanceof TxRejected ? rejected(e) : e;
    }
  };
}
