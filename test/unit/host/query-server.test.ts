/** The worker's HTTP edge: limits and error mapping hold whatever a client sends. */
import { request as httpRequest } from 'node:http';
import { ProtocolError } from '../../../shared/errors';
import { startQueryServer, type QueryServer } from '../../../contract/host/query-server';

let server: QueryServer;
const seen: string[] = [];
/** The rate limiter's clock, moved by the tests (ms). */
let clock = 0;

beforeAll(async () => {
  server = await startQueryServer({
    query: async (body) => {
      if (body[0] === 0xee) throw new ProtocolError('DecryptFailed', 'Envelope did not authenticate.');
      if (body[0] === 0xff) throw new TypeError(`internal detail ${Buffer.from(body).toString('hex')}`);
      return Uint8Array.of(7, ...body);
    },
    session: (body) => Uint8Array.of(8, ...body),
    health: () => ({ lastBlock: 3 }),
  }, { port: 0, maxBodyBytes: 64, ratePerSecond: 20, log: (l) => seen.push(l), now: () => clock });
});
afterAll(() => server.close());

const post = (path: string, body: Uint8Array, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { method: 'POST', body: body.slice(), headers: { 'content-type': 'application/octet-stream', ...headers } });

test('bodies reach the enclave handlers as bytes and answers come back as bytes', async () => {
  const q = await post('/query', Uint8Array.of(1, 2));
  expect(q.status).toBe(200);
  expect(new Uint8Array(await q.arrayBuffer())).toEqual(Uint8Array.of(7, 1, 2));
  const s = await post('/session', Uint8Array.of(3));
  expect(new Uint8Array(await s.arrayBuffer())).toEqual(Uint8Array.of(8, 3));
  expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ lastBlock: 3 });
});

test('a typed rejection is a 400 with its code; an internal fault is a 500 that logs no body', async () => {
  const bad = await post('/query', Uint8Array.of(0xee));
  expect(bad.status).toBe(400);
  expect(await bad.json()).toEqual({ error: 'DecryptFailed' });
  const boom = await post('/query', Uint8Array.of(0xff, 0xab, 0xcd));
  expect(boom.status).toBe(500);
  expect(await boom.json()).toEqual({ error: 'Internal' });
  expect(seen.join('\n')).not.toMatch(/abcd|internal detail/);
});

test('oversized bodies are refused before they reach the enclave', async () => {
  const r = await post('/query', new Uint8Array(65));
  expect(r.status).toBe(413);
});

test('unknown paths and methods are 404', async () => {
  expect((await fetch(`${server.url}/query`)).status).toBe(404);
  expect((await post('/admin', Uint8Array.of(1))).status).toBe(404);
});

test('CORS admits the extension and local pages, not other sites', async () => {
  const ext = await fetch(`${server.url}/health`, { headers: { origin: 'chrome-extension://abcdefghijklmnop' } });
  expect(ext.headers.get('access-control-allow-origin')).toBe('chrome-extension://abcdefghijklmnop');
  const local = await fetch(`${server.url}/health`, { headers: { origin: 'http://127.0.0.1:8080' } });
  expect(local.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8080');
  const evil = await fetch(`${server.url}/health`, { headers: { origin: 'https://evil.example' } });
  expect(evil.headers.get('access-control-allow-origin')).toBeNull();
});

test('a flood from one address is rate limited, and the server keeps answering afterwards', async () => {
  const statuses = await Promise.all(Array.from({ length: 80 }, () => post('/session', Uint8Array.of(1)).then((r) => r.status)));
  expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
  expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
  expect((await post('/session', Uint8Array.of(1))).status).toBe(429); // no time has passed: still empty
  clock += 1000; // a second later the bucket holds a second's worth again
  const after = await Promise.all(Array.from({ length: 20 }, () => post('/session', Uint8Array.of(1)).then((r) => r.status)));
  expect(after).toEqual(Array(20).fill(200));
  expect((await post('/session', Uint8Array.of(1))).status).toBe(429);
});

/** One POST from a chosen loopback address (Linux routes all of 127/8 to lo). */
function postFrom(localAddress: string, url: string, path: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, path, method: 'POST', localAddress, agent: false, headers: { 'content-length': 1 } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(Buffer.of(1));
  });
}

test('rotating 10,000+ client addresses does not reset an existing bucket, for frames or envelopes', async () => {
  // 1 token per 1,000 s: nothing refills during the test, so only a reset could let the victim through
  const slow = await startQueryServer({
    query: async (b) => b, session: (b) => b, health: () => ({}),
  }, { port: 0, ratePerSecond: 0.001, envelopeRatePerSecond: 0.001 });
  try {
    for (const path of ['/query', '/session']) {
      expect(await postFrom('127.0.0.1', slow.url, path)).toBe(200);
      expect(await postFrom('127.0.0.1', slow.url, path)).toBe(429);
    }
    const addresses = Array.from({ length: 10_050 }, (_, i) => `127.1.${Math.floor(i / 250)}.${(i % 250) + 1}`);
    for (let i = 0; i < addresses.length; i += 50) {
      await Promise.all(addresses.slice(i, i + 50).map((a) => postFrom(a, slow.url, '/query')));
    }
    for (const path of ['/query', '/session']) expect(await postFrom('127.0.0.1', slow.url, path)).toBe(429);
  } finally {
    await slow.close();
  }
}, 120_000);

test('query envelopes have their own, smaller per-address budget than session frames', async () => {
  const s = await startQueryServer({ query: async (b) => b, session: (b) => b, health: () => ({}) }, { port: 0, ratePerSecond: 1000, envelopeRatePerSecond: 2 });
  try {
    const envelopes = await Promise.all(Array.from({ length: 10 }, () => postFrom('127.0.0.1', s.url, '/query')));
    expect(envelopes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(5); // burst 4
    expect(await postFrom('127.0.0.1', s.url, '/session')).toBe(200); // frames are not held back by envelopes
  } finally {
    await s.close();
  }
});
