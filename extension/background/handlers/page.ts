/** `pub(*)`: messages from web pages. Every body is validated here; the origin comes from the browser. */
import type { SignerPayloadJSON, SignerPayloadRaw } from '@polkadot/types/types';
import type { ChainAccess } from '../chain/client';
import type { Delivery } from '../ports';
import type { MetadataStore } from '../metadata/store';
import { parseMetadataDef } from '../metadata/store';
import type { RequestQueue } from '../requests/queue';
import type { SecretServices } from '../secret';
import type { SecretOp } from '../../messages/types';
import { checkPayload } from '../requests/payload-check';
import { assertSignableRaw } from '../requests/signing';
import type { Authorization } from '../sites/service';
import type { AccountSubscriptions } from '../sites/subscriptions';
import { hex, integer, invalid, record, string, stringList } from '../validate';
import { DEFERRED, type Deferred, type PageContext, type PageHandlers } from './types';

export interface PageDeps {
  authorization: Authorization;
  queue: RequestQueue;
  metadata: MetadataStore;
  subscriptions: AccountSubscriptions;
  delivery: Delivery;
  secret: SecretServices;
  chain: ChainAccess;
}

function parseSignRaw(input: unknown): SignerPayloadRaw {
  const p = record(input, 'the sign request');
  if (p.type !== 'bytes' && p.type !== 'payload') throw invalid('Send "type" as "bytes" or "payload".');
  const data = string(p.data, 'data', 256 * 1024);
  assertSignableRaw(data);
  return { address: string(p.address, 'address', 128), data, type: p.type };
}

const optional = <T>(value: unknown, parse: (v: unknown) => T): T | undefined => (value === undefined || value === null ? undefined : parse(value));

/** The fields polkadot-js signs; anything else a page adds is dropped. */
function parseSignerPayload(input: unknown): SignerPayloadJSON {
  const p = record(input, 'the payload');
  const assetId = optional(p.assetId, (v) => hex(v, 'assetId', 256));
  const metadataHash = optional(p.metadataHash, (v) => hex(v, 'metadataHash', 66));
  const mode = optional(p.mode, (v) => integer(v, 'mode', 0, 1));
  return {
    address: string(p.address, 'address', 128),
    blockHash: hex(p.blockHash, 'blockHash', 66),
    blockNumber: hex(p.blockNumber, 'blockNumber', 18),
    era: hex(p.era, 'era', 6),
    genesisHash: hex(p.genesisHash, 'genesisHash', 66),
    method: hex(p.method, 'method', 512 * 1024),
    nonce: hex(p.nonce, 'nonce', 18),
    specVersion: hex(p.specVersion, 'specVersion', 10),
    tip: hex(p.tip, 'tip', 34),
    transactionVersion: hex(p.transactionVersion, 'transactionVersion', 10),
    signedExtensions: stringList(p.signedExtensions, 'signedExtensions', 64),
    version: integer(p.version, 'version', 0, 255),
    ...(assetId !== undefined ? { assetId } : {}),
    ...(metadataHash !== undefined ? { metadataHash } : {}),
    ...(mode !== undefined ? { mode } : {}),
    // Whether the site takes back a signed transaction (then the wallet may sign with mode 1).
    ...(p.withSignedTransaction === true ? { withSignedTransaction: true } : {}),
  };
}

export function pageHandlers({ authorization, queue, metadata, subscriptions, delivery, secret, chain }: PageDeps): PageHandlers {
  /** `pub(dark.<op>)`: queued for the user's approval; the page is answered once it is included. */
  const secretOperation = (op: SecretOp) => async (req: unknown, ctx: PageContext): Promise<Deferred> => {
    await secret.requests.request(op, req, ctx);
    return DEFERRED;
  };
  /** Sign requests come from sites only; their display name is their origin. */
  const from = (ctx: PageContext) => ({ origin: ctx.origin, originName: '', url: ctx.url });

  return {
    'pub(authorize.tab)': async (req, ctx) => {
      const originName = string(record(req, 'the request').origin, 'origin', 128);
      return (await authorization.request({ origin: ctx.origin, originName, url: ctx.url }, ctx.target)) ? true : DEFERRED;
    },
    'pub(accounts.list)': (_req, ctx) => authorization.injectedAccounts(ctx.origin),
    'pub(accounts.subscribe)': async (_req, ctx) => {
      const accounts = await authorization.subscribe(ctx.origin, ctx.target);
      await delivery.send(ctx.target, { subscription: accounts });
      return ctx.target.messageId;
    },
    'pub(accounts.unsubscribe)': (req, ctx) =>
      subscriptions.remove(ctx.target.clientId, string(record(req, 'the request').id, 'id', 64)),
    'pub(bytes.sign)': async (req, ctx) => {
      const payload = parseSignRaw(req);
      const address = await authorization.allowedAddress(ctx.origin, payload.address);
      await queue.add('signRaw', from(ctx), { ...payload, address }, ctx.target);
      return DEFERRED;
    },
    'pub(extrinsic.sign)': async (req, ctx) => {
      const payload = parseSignerPayload(req);
      const address = await authorization.allowedAddress(ctx.origin, payload.address);
      await checkPayload(payload, metadata, chain);
      await queue.add('signPayload', from(ctx), { ...payload, address }, ctx.target);
      return DEFERRED;
    },
    'pub(metadata.list)': async (_req, ctx) => {
      await authorization.site(ctx.origin);
      return metadata.known();
    },
    'pub(metadata.provide)': async (req, ctx) => {
      await authorization.site(ctx.origin);
      const def = parseMetadataDef(req);
      const known = await metadata.get(def.genesisHash);
      if (known && known.specVersion >= def.specVersion) return true; // nothing new to ask about
      await queue.add('metadata', from(ctx), def, ctx.target);
      return DEFERRED;
    },
    // Secret assets. Reads of the site's own accounts answer at once (signed queries, inside the
    // extension); every operation waits for the user, who sees it in plaintext before it is sealed.
    'pub(dark.balances)': (req, ctx) => secret.pageReads.balances(ctx.origin, req),
    'pub(dark.history)': (req, ctx) => secret.pageReads.history(ctx.origin, req),
    'pub(dark.transfer)': secretOperation('transfer'),
    'pub(dark.convertToSecret)': secretOperation('convertToSecret'),
    'pub(dark.convertToPublic)': secretOperation('convertToPublic'),
    'pub(dark.issue)': secretOperation('issue'),
  };
}
