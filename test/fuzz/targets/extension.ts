/**
 * Fuzz target for the extension's page-message path: hostile window messages go through the content
 * relay's `relayDecision` and, when it forwards them, into the real background core (`Background.handle`)
 * over in-memory storage and ports (test/unit/extension/fakes.ts), from an approved, a blocked and a
 * never-connected origin.
 *
 * Input bytes are either JSON text (a whole window message, `__proto__` keys included as JSON.parse
 * makes them) or choices that build one or more messages: a valid request of any `pub(*)` type mutated
 * with wrong types, huge strings and arrays, deep nesting, prototype-pollution shapes, bigint, cyclic
 * data, forged, duplicate and non-string ids, foreign sources and origins.
 *
 * Nothing may reach the page but a well-formed reply with a typed error (never `Internal`), a response
 * to a message that needs none of the user's consent, or nothing yet (waiting for the user). Checked
 * after every case: no prototype gained or lost a key, `storage.local` (vault, sites, metadata) is
 * byte-identical, no signature or operation result reached any page, and the tab's requests are all
 * gone once it closes.
 */
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { relayDecision } from '../../../extension/content/relay';
import {
  CONTENT_TAG, MAX_MESSAGE_CHARS, MAX_PENDING_PER_ORIGIN, MAX_WAITING_PER_REQUEST, PAGE_TAG,
} from '../../../extension/messages/constants';
import { WALLET_ERROR_CODES, WalletError } from '../../../extension/messages/errors';
import type { PubMessageType, RequestOf } from '../../../extension/messages/registry';
import type { TransportReply } from '../../../extension/messages/wire';
import { ok, walletWith, pagePort, popupPort, type FakePort, type TestWallet } from '../../unit/extension/fakes';
import type { FuzzTarget } from '../engine';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const CHARLIE = '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y';
const APPROVED = 'https://approved.example';
const BLOCKED = 'https://blocked.example';
const STRANGER = 'https://stranger.example';
const ORIGINS = [APPROVED, STRANGER, BLOCKED] as const;
const GENESIS = `0x${'ab'.repeat(32)}`;

/** One valid request of every page message type (the registry's types make this list complete). */
const SAMPLES: { [T in PubMessageType]: RequestOf<T> } = {
  'pub(authorize.tab)': { origin: 'Fuzz dApp' },
  'pub(accounts.list)': { anyType: true },
  'pub(accounts.subscribe)': null,
  'pub(accounts.unsubscribe)': { id: 'f1' },
  'pub(bytes.sign)': { address: ALICE, data: '0x48656c6c6f', type: 'bytes' },
  'pub(extrinsic.sign)': {
    address: ALICE, blockHash: `0x${'11'.repeat(32)}`, blockNumber: '0x000003e8', era: '0x8502', genesisHash: GENESIS,
    method: '0x0503008eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a480b00a0724e1809', nonce: '0x00000007',
    specVersion: '0x00000064', tip: '0x00000000000000000000000000000000', transactionVersion: '0x00000001',
    signedExtensions: ['CheckNonZeroSender', 'CheckSpecVersion', 'CheckTxVersion', 'CheckGenesis', 'CheckMortality', 'CheckNonce', 'CheckWeight', 'ChargeTransactionPayment'],
    version: 4,
  } as RequestOf<'pub(extrinsic.sign)'>,
  'pub(metadata.list)': null,
  'pub(metadata.provide)': {
    chain: 'Fuzz chain', genesisHash: GENESIS as `0x${string}`, icon: 'substrate', ss58Format: 42, specVersion: 100,
    tokenDecimals: 12, tokenSymbol: 'UNIT', types: {},
  },
  'pub(dark.balances)': { address: ALICE },
  'pub(dark.history)': { address: ALICE, from: 0, limit: 10 },
  'pub(dark.transfer)': { address: ALICE, asset: 0, to: BOB, amount: '1000' },
  'pub(dark.convertToSecret)': { address: ALICE, amount: '1000' },
  'pub(dark.convertToPublic)': { address: ALICE, to: BOB, amount: '1000' },
  'pub(dark.issue)': { address: ALICE, symbol: 'GOLD', name: 'Gold', decimals: 12, supply: '1000000' },
};
const TYPES = Object.keys(SAMPLES) as PubMessageType[];
/** Names that are not page messages (or not messages at all), some of them prototype keys. */
const BOGUS_TYPES = ['pri(requests.approve)', 'pri(accounts.exportJson)', 'pub(constructor)', 'pub(__proto__)', 'pub(toString)', 'pub(hasOwnProperty)', '__proto__', 'constructor', 'pub()', ''];
/** Messages whose answer carries something only the user may grant: they must never be answered with a response here. */
const NEEDS_CONSENT = new Set<string>(['pub(bytes.sign)', 'pub(extrinsic.sign)', 'pub(metadata.provide)', 'pub(dark.transfer)', 'pub(dark.convertToSecret)', 'pub(dark.convertToPublic)', 'pub(dark.issue)']);
const KEYS = ['address', 'data', 'type', 'origin', 'id', 'amount', 'to', 'asset', 'supply', 'decimals', 'symbol', 'name', 'genesisHash', 'method', 'rawMetadata', 'types', 'userExtensions', 'signedExtensions', 'from', 'limit', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];
const NUMBERS = [0, -0, 1, -1, 0.5, 255, 256, 2 ** 31, 2 ** 32, 2 ** 53, -(2 ** 53), 1e308, Number.MAX_VALUE, NaN, Infinity, -Infinity];
const STRINGS = ['', ' ', '0x', '0x0', '0xzz', 'bytes', 'payload', '__proto__', 'constructor', ALICE, BOB, CHARLIE, `0x${'d4'.repeat(32)}`, '-1', '1e3', '340282366920938463463374607431768211456', '0', '\u0000', '\ud800', 'pub(bytes.sign)', PAGE_TAG, CONTENT_TAG];
// Big values are built once: the fuzzer must stay fast, and sharing them changes nothing about the checks.
const HUGE = [
  'x'.repeat(257 * 1024), `0x${'00'.repeat(600 * 1024)}`, `0x${'ab'.repeat(MAX_MESSAGE_CHARS / 2 - 64)}`, 'y'.repeat(MAX_MESSAGE_CHARS + 1),
];
const BIG_ARRAYS = [new Array(70_000).fill(0), new Array(300).fill('CheckNonce'), new Array(5000).fill(ALICE)];

/** Reads choices from the input; past its end every choice is 0 (the ordinary one). */
class Choices {
  #i = 0;
  constructor(readonly bytes: Uint8Array) {}
  byte(): number {
    return this.#i < this.bytes.length ? this.bytes[this.#i++] : 0;
  }
  pick<T>(list: readonly T[]): T {
    return list[this.byte() % list.length];
  }
  rest(): Uint8Array {
    const out = this.bytes.subarray(this.#i);
    this.#i = this.bytes.length;
    return out;
  }
}

function nested(depth: number, asArray: boolean): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
}

function ownKey(o: Record<string, unknown>, key: string, value: unknown): void {
  // As JSON.parse and structured clone make it: an own property, even for "__proto__".
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A hostile value for one field. */
function hostile(c: Choices, depth = 0): unknown {
  switch (c.byte() % 22) {
    case 0: return null;
    case 1: return undefined;
    case 2: return c.byte() % 2 === 0;
    case 3: return c.pick(NUMBERS);
    case 4: return c.pick(STRINGS);
    case 5: return c.pick(HUGE);
    case 6: return c.pick(BIG_ARRAYS);
    case 7: return depth > 3 ? [] : Array.from({ length: c.byte() % 4 }, () => hostile(c, depth + 1));
    case 8: {
      const o: Record<string, unknown> = {};
      const n = c.byte() % 4;
      for (let i = 0; i < n && depth <= 3; i++) ownKey(o, c.pick(KEYS), hostile(c, depth + 1));
      return o;
    }
    case 9: return JSON.parse('{"__proto__":{"polluted":true,"isAdmin":true,"address":"5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"}}');
    case 10: return JSON.parse('{"constructor":{"prototype":{"polluted":true}},"prototype":{"polluted":true}}');
    case 11: return nested(1 + c.byte() * 40, c.byte() % 2 === 0); // up to ~10,000 levels
    case 12: return BigInt(c.byte()) << 100n;
    case 13: {
      const cyclic: Record<string, unknown> = { address: ALICE };
      cyclic.self = cyclic;
      return cyclic;
    }
    case 14: return `0x${Buffer.from(c.rest().subarray(0, 64)).toString('hex')}`;
    case 15: return new TextDecoder().decode(c.rest().subarray(0, 64));
    case 16: return new Date(c.byte() * 1e9);
    case 17: return new Map([['address', ALICE]]);
    case 18: return new Uint8Array(c.byte());
    case 19: return { toString: 'x', valueOf: 1, toJSON: 'not a function', hasOwnProperty: null };
    case 20: return c.pick([ALICE, BOB, CHARLIE, `0x${'d4'.repeat(32)}`]);
    default: return String(c.byte());
  }
}

function mutatedRequest(c: Choices, type: string): unknown {
  let request: unknown = Object.hasOwn(SAMPLES, type) ? structuredClone(SAMPLES[type as PubMessageType]) : {};
  const rounds = c.byte() % 5;
  for (let r = 0; r < rounds; r++) {
    switch (c.byte() % 6) {
      case 0:
        request = hostile(c);
        break;
      case 1:
      case 2:
      case 3: // one field replaced (or added)
        if (request !== null && typeof request === 'object') ownKey(request as Record<string, unknown>, c.pick(KEYS), hostile(c));
        break;
      case 4: // one field removed
        if (request !== null && typeof request === 'object') delete (request as Record<string, unknown>)[c.pick(KEYS)];
        break;
      default: // the request inside something else
        request = c.byte() % 2 ? [request] : { request };
    }
  }
  return request;
}

interface Sent {
  /** The window message as the content script receives it. */
  event: { source: unknown; origin: string; data: unknown };
  /** Index into ORIGINS: the page the message comes from. */
  from: number;
}

export async function extensionTargets(): Promise<FuzzTarget[]> {
  await cryptoWaitReady();
  const w: TestWallet = await walletWith(['Alice', 'Bob']);
  for (const [origin, approve] of [[APPROVED, true], [BLOCKED, false]] as const) {
    await w.call('pub(authorize.tab)', { origin: 'setup' }, pagePort(origin, 1));
    const id = w.opened.at(-1)!.split('/').at(-1)!;
    if (approve) ok(await w.call('pri(requests.approveAuthorize)', { id, addresses: [ALICE] }, popupPort()));
    else ok(await w.call('pri(requests.reject)', { id }, popupPort()));
  }
  const self = { window: 'the page' };
  const stranger = { window: 'another frame' };
  // What the user wrote (vault, sites, settings). The contract pin is left out: it is written on first
  // contact with the chain's verified contract key, whatever triggered the contact, and holds only what
  // the chain endpoint in settings attested — nothing a page can choose.
  const userData = () => [...w.platform.local.data].filter(([key]) => key !== 'contractPins').map((e) => e.join('=')).join('\n');
  const local = userData();
  const protos = [Object.prototype, Array.prototype, Function.prototype, String.prototype, Number.prototype];
  const protoKeys = () => protos.map((p) => Reflect.ownKeys(p).map(String).sort().join()).join('|');
  const cleanProtos = protoKeys();
  let tab = 100;
  /** Problems found while a case ran, reported by the invariant. */
  let broken: string | null = null;

  /** The waiting requests, read where the queue keeps them (a popup subscription per case would pile up). */
  const waiting = async () => ((await w.platform.session.get('requests')).requests ?? []) as { id: string; origin: string; targets: unknown[] }[];

  function decode(input: Uint8Array, ids: string[]): Sent[] {
    const c = new Choices(input);
    const mode = c.byte();
    const from = c.byte() % ORIGINS.length;
    if (mode % 2 === 0) {
      // JSON text: the whole window message.
      let data: unknown;
      try {
        data = JSON.parse(new TextDecoder().decode(c.rest()));
      } catch {
        return [];
      }
      return [{ event: { source: self, origin: ORIGINS[from], data }, from }];
    }
    const count = 1 + (c.byte() % 3);
    const out: Sent[] = [];
    for (let i = 0; i < count; i++) {
      const t = c.byte();
      const type = t < 224 ? TYPES[t % TYPES.length] : BOGUS_TYPES[t % BOGUS_TYPES.length];
      const request = mutatedRequest(c, type);
      const idChoice = c.byte() % 12;
      // Forged ids: a pending request's id, an earlier message's, or no string at all.
      const id: unknown = idChoice < 6 ? `f${i}.${input.length}`
        : idChoice === 6 ? (ids.at(-1) ?? 'signRaw.00000000-0000-4000-8000-000000000000')
          : idChoice === 7 ? (out.at(-1)?.event.data as { id?: unknown } | undefined)?.id ?? 'dup'
            : idChoice === 8 ? c.pick([0, 1.5, null, undefined, {}, ['x'], true])
              : idChoice === 9 ? c.pick(['', 'x'.repeat(65), '__proto__', 'constructor'])
                : idChoice === 10 ? 'x'.repeat(64) : 'toString';
      const tag = c.byte() % 16;
      const data: Record<string, unknown> = { id, message: type, request, origin: tag < 13 ? PAGE_TAG : tag === 13 ? CONTENT_TAG : undefined };
      if (tag === 15) data.response = { id, signature: `0x${'00'.repeat(64)}` }; // a forged reply
      const where = c.byte() % 16;
      const event = {
        source: where === 14 ? stranger : where === 15 ? null : self,
        origin: where === 13 ? 'https://evil.example' : ORIGINS[from],
        data,
      };
      out.push({ event, from });
    }
    return out;
  }

  function checkReply(type: string, reply: TransportReply, authorized: boolean): void {
    if (reply.error) {
      if (!WALLET_ERROR_CODES.includes(reply.error.code) || typeof reply.error.message !== 'string') broken = `malformed error ${JSON.stringify(reply.error).slice(0, 200)}`;
      else if (reply.error.code === 'Internal') broken = `${type}: an untyped exception reached the page (Internal)`;
      return;
    }
    if (reply.subscription !== undefined) return;
    if (NEEDS_CONSENT.has(type)) broken = `${type} answered without the user: ${JSON.stringify(reply.response).slice(0, 200)}`;
    else if (!authorized && type !== 'pub(accounts.unsubscribe)') broken = `${type} answered a page that is not connected: ${JSON.stringify(reply.response).slice(0, 200)}`;
  }

  return [{
    name: 'extension-page',
    seeds: [
      // Structured: [mode, origin, count, type, mutations, id, tag, where] — all-zero choices are the honest message.
      ...TYPES.flatMap((_, t) => [0, 1, 2].map((from) => new Uint8Array([1, from, 0, t, 0, 0, 0, 0]))),
      new Uint8Array([1, 0, 2, 4, 0, 0, 0, 0, 4, 0, 7, 0, 0]), // a duplicate id
      new Uint8Array([1, 0, 1, 4, 1, 2, 10, 9, 0, 0, 0]), // __proto__ in a sign request
      new Uint8Array([1, 0, 1, 7, 1, 3, 11, 200, 0, 0, 0]), // deep nesting in metadata
      ...['{"id":"1","message":"pub(bytes.sign)","request":{"address":"' + ALICE + '","data":"0x00","type":"bytes","__proto__":{"polluted":true}},"origin":"' + PAGE_TAG + '"}',
        '{"id":"2","message":"pub(metadata.provide)","request":{"chain":"c","genesisHash":"' + GENESIS + '","ss58Format":42,"specVersion":1,"tokenDecimals":12,"tokenSymbol":"U","types":{"__proto__":{"polluted":1}},"constructor":{"prototype":{"polluted":1}}},"origin":"' + PAGE_TAG + '"}',
        '{"id":"3","message":"pub(authorize.tab)","request":{"origin":"x","__proto__":{"isAdmin":true}},"origin":"' + PAGE_TAG + '"}',
        '{"id":"4","message":"pub(dark.issue)","request":{"symbol":"GOLD","name":"Gold","decimals":12,"supply":"1","__proto__":{"address":"' + ALICE + '"}},"origin":"' + PAGE_TAG + '"}',
        '{"id":"5","message":"pub(accounts.unsubscribe)","request":{"id":{"__proto__":null}},"origin":"' + PAGE_TAG + '"}',
      ].map((json) => new Uint8Array([0, 0, ...new TextEncoder().encode(json)])),
    ],
    accepts: (e) => e instanceof WalletError,
    async run(input) {
      const sent = decode(input, (await waiting()).map((r) => r.id));
      const ports = ORIGINS.map((origin) => pagePort(origin, tab));
      const deliveriesBefore = w.tabDeliveries.length;
      for (const { event, from } of sent) {
        let data: unknown;
        try {
          data = structuredClone(event.data); // what postMessage would deliver (it throws where the page's call would)
        } catch {
          continue;
        }
        const decision = relayDecision({ ...event, data }, self, ORIGINS[from]);
        if (!decision) continue;
        if ('refuse' in decision) {
          if (decision.refuse.error.code !== 'InvalidInput' || typeof decision.refuse.id !== 'string') broken = 'the relay refused with an untyped answer';
          continue;
        }
        const { id, message, request } = decision.forward;
        const forwarded = JSON.parse(JSON.stringify({ id, message, request })) as typeof decision.forward; // the port's JSON
        const port: FakePort = ports[from];
        const before = port.sent.length;
        await w.bg.handle(forwarded.id, forwarded.message, forwarded.request, port);
        for (const reply of port.sent.slice(before)) {
          if (reply.id !== forwarded.id) broken = `a reply to ${forwarded.message} came with another id`;
          checkReply(forwarded.message, reply, from === 0);
        }
      }
      const pending = await waiting();
      if (pending.some((r) => r.targets.length > MAX_WAITING_PER_REQUEST)) broken ??= 'a request gathered too many waiting calls';
      for (const origin of ORIGINS) {
        if (pending.filter((r) => r.origin === origin).length > MAX_PENDING_PER_ORIGIN) broken ??= `more than ${MAX_PENDING_PER_ORIGIN} requests wait for ${origin}`;
      }
      // Everything a page ever received must pass the same checks (answers that went through the tab too).
      for (const d of w.tabDeliveries.slice(deliveriesBefore)) checkReply('(delivery)', d.message.reply, false);
      // The tab closes: every request it made ends, so the next case starts from an empty queue.
      await w.bg.tabRemoved(tab++);
      if ((await waiting()).length) broken ??= 'requests outlived the tab that made them';
    },
    invariant() {
      const found = broken;
      broken = null;
      if (found) return found;
      if (protoKeys() !== cleanProtos || ({} as Record<string, unknown>).polluted !== undefined) return 'a prototype was polluted';
      if (userData() !== local) return 'storage.local changed without the user';
      return null;
    },
  }];
}
