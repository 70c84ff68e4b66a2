import { uuid } from '../../../extension/content/uuid';
import { nesting, relayDecision } from '../../../extension/content/relay';
import { MAX_MESSAGE_CHARS, MAX_MESSAGE_DEPTH, PAGE_TAG } from '../../../extension/messages/constants';

const self = {};
const ORIGIN = 'https://dapp.example';
const msg = (data: unknown, over: Partial<{ source: unknown; origin: string }> = {}) => ({ source: self, origin: ORIGIN, data, ...over });
const request = { id: '1.1', message: 'pub(accounts.list)', request: {}, origin: PAGE_TAG };

describe('content relay', () => {
  test('forwards our own tagged pub(*) requests, without the tag', () => {
    expect(relayDecision(msg(request), self, ORIGIN)).toEqual({ forward: { id: '1.1', message: 'pub(accounts.list)', request: {} } });
  });

  test('ignores other windows, other origins, untagged and malformed messages', () => {
    expect(relayDecision(msg(request, { source: {} }), self, ORIGIN)).toBeNull();
    expect(relayDecision(msg(request, { origin: 'https://evil.example' }), self, ORIGIN)).toBeNull();
    expect(relayDecision(msg({ ...request, origin: 'someone-else' }), self, ORIGIN)).toBeNull();
    expect(relayDecision(msg({ ...request, id: 5 }), self, ORIGIN)).toBeNull();
    expect(relayDecision(msg(null), self, ORIGIN)).toBeNull();
    expect(relayDecision(msg('hello'), self, ORIGIN)).toBeNull();
  });

  test('refuses pri(*) and unknown shapes of message type with a sentence', () => {
    const d = relayDecision(msg({ ...request, message: 'pri(accounts.exportJson)' }), self, ORIGIN);
    expect(d).toEqual({ refuse: { id: '1.1', error: { code: 'InvalidInput', message: 'Dark Wallet does not offer this call to web pages.' } } });
  });

  test('refuses oversized and non-JSON requests', () => {
    const big = relayDecision(msg({ ...request, request: { data: 'x'.repeat(MAX_MESSAGE_CHARS) } }), self, ORIGIN);
    expect(big && 'refuse' in big && big.refuse.error.message).toMatch(/too large/);
    const bigint = relayDecision(msg({ ...request, request: { amount: 1n } }), self, ORIGIN);
    expect(bigint && 'refuse' in bigint && bigint.refuse.error.message).toMatch(/plain JSON/);
  });

  // Chromium's storage keeps ~100 levels (deeper parts of a stored request silently become null) and
  // its ports drop messages nested a few thousand deep, leaving the page without an answer.
  test('refuses requests nested deeper than the limit; brackets inside strings do not count', () => {
    const deep = (n: number) => JSON.parse(`${'{"a":'.repeat(n)}1${'}'.repeat(n)}`) as unknown;
    expect(relayDecision(msg({ ...request, request: deep(MAX_MESSAGE_DEPTH) }), self, ORIGIN)).toHaveProperty('forward');
    const refused = relayDecision(msg({ ...request, request: deep(MAX_MESSAGE_DEPTH + 1) }), self, ORIGIN);
    expect(refused).toEqual({ refuse: { id: '1.1', error: { code: 'InvalidInput', message: `This request is nested too deeply for Dark Wallet (over ${MAX_MESSAGE_DEPTH} levels). Send flatter data.` } } });
    expect(relayDecision(msg({ ...request, request: { data: '[[[[{{{{'.repeat(100), quoted: '\\"[[[' } }), self, ORIGIN)).toHaveProperty('forward');
    expect(nesting('{"a":[1,{"b":"]]}}\\"[["}],"c":[[[]]]}')).toBe(4);
  });
});

test('content-script client ids are v4 UUIDs without needing a secure context', () => {
  const ids = new Set(Array.from({ length: 100 }, () => uuid()));
  expect(ids.size).toBe(100);
  for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});
