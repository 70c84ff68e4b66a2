/**
 * Domain separation for everything that gets signed: a signature made for one purpose (or chain)
 * can never be replayed as another. Message = "dark-wallet/v1/<purpose>" | genesisHash | body.
 */
import { ProtocolError } from '../errors';

/** `worker` is hashed into a hardware quote's report data rather than signed. */
export type SigningPurpose = 'receipt' | 'attestation' | 'open-session' | 'query' | 'worker';

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
