/**
 * Domain separation for everything that gets signed: a signature made for one purpose (or chain)
 * can never be replayed as another.
 *
 * Two families:
 * - Keys the protocol owns (the enclave's identity key: receipts, attestations) sign
 *   "dark-wallet/v1/<purpose>" | genesisHash | body. Nothing else ever signs with those keys.
 * - Users' Substrate account keys (query permits: OpenSession, one-shot signed queries) sign
 *   `accountMessage`. Those keys also sign for `signRaw` and `signPayload` — in this wallet and in
 *   every other wallet holding the same seed — so an account message must be bytes that neither can
 *   ever produce (shared/protocol/README.md, "Messages signed by accounts"):
 *
 *   ACCOUNT_DOMAIN (0xff "dark-wallet" 0x00) | purpose tag | genesisHash | u32 body length | body
 *   | zero padding up to ACCOUNT_MESSAGE_MIN_BYTES (257)
 *
 *   1. Not `signRaw`: every Polkadot wallet's `signRaw` signs `<Bytes>…</Bytes>` (`u8aWrapBytes`),
 *      so its signed bytes start with "<Bytes>" (0x3c…); ours start with 0xff. 0xff never occurs in
 *      UTF-8 either, so no wallet can show the prefix as readable text. Dark Wallet's own `signRaw`
 *      also refuses any data that starts with ACCOUNT_DOMAIN, bare or `<Bytes>`-wrapped
 *      (`isAccountDomainData`), for wallets that sign unwrapped data.
 *   2. Not `signPayload`: Substrate signs an extrinsic payload as its SCALE bytes when they are at
 *      most 256 bytes long and as their 32-byte blake2-256 hash otherwise (`SignedPayload` in the
 *      runtime; `ExtrinsicPayload.sign` in polkadot-js). Either way the signed bytes are ≤ 256 long,
 *      whatever the chain, call or signed extensions. An account message is always ≥ 257 bytes, so
 *      no signed extrinsic payload of any chain equals it; this needs no knowledge of metadata.
 *   3. Not each other: the purpose tags have one length and differ, and the body carries its length.
 */
import { ProtocolError } from '../errors';

/**
 * `worker` is hashed into a hardware quote's report data rather than signed; `handover` is a keyholder's
 * signature over a key handover (shared/protocol/handover.ts); `checkpoint` a worker's signed ledger checkpoint;
 * `worker-endpoint` is where a worker says it answers (shared/protocol/worker-endpoint.ts).
 */
export type SigningPurpose = 'receipt' | 'attestation' | 'worker' | 'handover' | 'checkpoint' | 'worker-endpoint';
export type AccountPurpose = 'open-session' | 'query' | 'view-permit' | 'relay';

const utf8 = new TextEncoder();

export function domainMessage(purpose: SigningPurpose, genesisHash: Uint8Array, body: Uint8Array): Uint8Array {
  if (genesisHash.length !== 32) throw new ProtocolError('BadLength', 'A genesis hash is 32 bytes.');
  const tag = utf8.encode(`dark-wallet/v1/${purpose}`);
  const out = new Uint8Array(tag.length + 32 + body.length);
  out.set(tag);
  out.set(genesisHash, tag.length);
  out.set(body, tag.length + 32);
  return out;
}

/** 0xff (never UTF-8, never '<') | "dark-wallet" | 0x00. */
export const ACCOUNT_DOMAIN = Uint8Array.of(0xff, ...utf8.encode('dark-wallet'), 0x00);
/** One more than the longest bytes a Substrate extrinsic signature ever covers (256). */
export const ACCOUNT_MESSAGE_MIN_BYTES = 257;
/** Fixed-width purpose tags (space-padded), so one purpose can never be a prefix of another. */
const PURPOSE_TAG_BYTES = 16;

function purposeTag(purpose: AccountPurpose): Uint8Array {
  const tag = new Uint8Array(PURPOSE_TAG_BYTES).fill(0x20);
  tag.set(utf8.encode(`v2/${purpose}`));
  return tag;
}

export function accountMessage(purpose: AccountPurpose, genesisHash: Uint8Array, body: Uint8Array): Uint8Array {
  if (genesisHash.length !== 32) throw new ProtocolError('BadLength', 'A genesis hash is 32 bytes.');
  const head = ACCOUNT_DOMAIN.length + PURPOSE_TAG_BYTES + 32 + 4;
  const out = new Uint8Array(Math.max(ACCOUNT_MESSAGE_MIN_BYTES, head + body.length));
  out.set(ACCOUNT_DOMAIN);
  out.set(purposeTag(purpose), ACCOUNT_DOMAIN.length);
  out.set(genesisHash, ACCOUNT_DOMAIN.length + PURPOSE_TAG_BYTES);
  new DataView(out.buffer).setUint32(head - 4, body.length, true);
  out.set(body, head);
  return out;
}

/** Is this a message only `accountMessage` may make? The verifier checks it before any signature. */
export const isAccountMessage = (m: Uint8Array): boolean =>
  m.length >= ACCOUNT_MESSAGE_MIN_BYTES && startsWith(m, ACCOUNT_DOMAIN);

const BYTES_OPEN = utf8.encode('<Bytes>');

/**
 * Data a wallet must refuse to `signRaw`: it starts with ACCOUNT_DOMAIN, bare or after "<Bytes>".
 * A `<Bytes>`-wrapped signature can never be a permit (rule 1 above); refusing both forms keeps this
 * wallet from ever signing the permit bytes for a signer that does not wrap.
 */
export const isAccountDomainData = (data: Uint8Array): boolean =>
  startsWith(data, ACCOUNT_DOMAIN) || (startsWith(data, BYTES_OPEN) && startsWith(data.subarray(BYTES_OPEN.length), ACCOUNT_DOMAIN));

function startsWith(data: Uint8Array, prefix: Uint8Array): boolean {
  if (data.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (data[i] !== prefix[i]) return false;
  return true;
}
