/** The checks the relay applies to every window message before it goes anywhere. */
import { MAX_MESSAGE_CHARS, MAX_MESSAGE_DEPTH, PAGE_TAG } from '../messages/constants';
import type { WireError } from '../messages/errors';
import { isPubMessage } from '../messages/registry';
import { isTransportRequest, type TransportRequest } from '../messages/wire';

export interface WindowMessage {
  source: unknown;
  origin: string;
  data: unknown;
}

export type RelayDecision =
  | { forward: TransportRequest }
  | { refuse: { id: string; error: WireError } }
  | null; // not ours: ignore silently

/**
 * Only messages this very window posted to itself (`source`, `origin`), carrying our page tag and a
 * `pub(*)` type, are relayed; oversized or non-JSON ones are answered with an error instead.
 */
export function relayDecision(event: WindowMessage, self: unknown, ownOrigin: string): RelayDecision {
  if (event.source !== self || event.origin !== ownOrigin) return null;
  const data = event.data as { origin?: unknown } | null;
  if (!data || data.origin !== PAGE_TAG || !isTransportRequest(data)) return null;
  const { id, message, request } = data;
  if (!isPubMessage(message)) {
    return { refuse: { id, error: { code: 'InvalidInput', message: 'Dark Wallet does not offer this call to web pages.' } } };
  }
  let text: string;
  try {
    text = JSON.stringify({ id, message, request }) ?? '';
  } catch {
    return { refuse: { id, error: { code: 'InvalidInput', message: 'Send requests to Dark Wallet as plain JSON data (no bigint or cyclic objects).' } } };
  }
  if (text.length > MAX_MESSAGE_CHARS) {
    return { refuse: { id, error: { code: 'InvalidInput', message: 'This request is too large for Dark Wallet (over 2 MB). Send a smaller one.' } } };
  }
  // The envelope itself is one level.
  if (nesting(text) > MAX_MESSAGE_DEPTH + 1) {
    return { refuse: { id, error: { code: 'InvalidInput', message: `This request is nested too deeply for Dark Wallet (over ${MAX_MESSAGE_DEPTH} levels). Send flatter data.` } } };
  }
  return { forward: JSON.parse(text) as TransportRequest };
}

/** The deepest nesting of arrays and objects in JSON text (brackets inside strings do not count). */
export function nesting(json: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) max = depth;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return max;
}
