/**
 * Worker selection and failover, pure, over fake members: queries spread round-robin over healthy
 * workers; one that fails to serve is skipped inside the same call and asked last until it has
 * rested; a typed answer is never retried elsewhere; when none answers the call fails with a typed
 * error.
 */
import { ClientError } from '../../../shared/client/errors';
import { isTransportFailure, WorkerPool } from '../../../shared/client/worker-pool';
import { WorkerTransport, type FetchLike } from '../../../shared/client/transport';

interface Fake {
  key: string;
  up: boolean;
  asked: number;
}

const fakes = (...keys: string[]): Fake[] => keys.map((key) => ({ key, up: true, asked: 0 }));

/** What a real transport throws for a worker that is down, timed out or answering 5xx. */
const down = (m: Fake) => new ClientError('WorkerUnavailable', `The worker at ${m.key} is not reachable.`);

/** A query: answered with the member's key, or the transport failure when it is down. */
const ask = async (m: Fake): Promise<string> => {
  m.asked++;
  if (!m.up) throw down(m);
  return m.key;
};

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('it did not fail');
}

test('queries are spread round-robin over the healthy workers', async () => {
  const pool = new WorkerPool(fakes('a', 'b', 'c'));
  const answered = [];
  for (let i = 0; i < 6; i++) answered.push(await pool.run(ask));
  expect(answered).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
});

test('a worker that is down is skipped inside the same call, then asked last until it has rested', async () => {
  let now = 1_000;
  const [a, b, c] = fakes('a', 'b', 'c');
  const pool = new WorkerPool([a, b, c], { retryAfterMs: 5_000, now: () => now });
  a.up = false;
  expect(await pool.run(ask)).toBe('b'); // a failed, the same call went on to b
  expect(a.asked).toBe(1);
  expect(pool.order().map((m) => m.key).at(-1)).toBe('a');
  for (let i = 0; i < 4; i++) expect(await pool.run(ask)).not.toBe('a');
  expect(a.asked).toBe(1); // not asked again while resting and others answer
  a.up = true;
  now += 5_000;
  const next = [await pool.run(ask), await pool.run(ask), await pool.run(ask)];
  expect(next).toContain('a'); // rested: back in the rotation
});

test('when every worker is down the call fails with a typed WorkerUnavailable, after asking each once', async () => {
  const members = fakes('a', 'b');
  for (const m of members) m.up = false;
  const pool = new WorkerPool(members);
  const e = await errorOf(pool.run(ask));
  expect(e).toBeInstanceOf(ClientError);
  expect(e).toMatchObject({ code: 'WorkerUnavailable', message: expect.stringMatching(/None of the 2 workers/) });
  expect(members.map((m) => m.asked)).toEqual([1, 1]);
  // The next call still tries them (oldest failure first): one coming back is found at once.
  members[0].up = true;
  expect(await pool.run(ask)).toBe('a');
});

test('a lone worker that is down is named in the error; an empty pool says no worker published an endpoint', async () => {
  const [a] = fakes('http://127.0.0.1:8000');
  a.up = false;
  expect(await errorOf(new WorkerPool([a]).run(ask))).toMatchObject({ code: 'WorkerUnavailable', message: expect.stringMatching(/at http:\/\/127\.0\.0\.1:8000/) });
  expect(await errorOf(new WorkerPool<Fake>([]).run(ask))).toMatchObject({ code: 'WorkerUnavailable', message: expect.stringMatching(/published an endpoint/) });
});

test('a typed answer is an answer: it is not retried on another worker', async () => {
  const members = fakes('a', 'b');
  const pool = new WorkerPool(members);
  const refused = new ClientError('WorkerRejected', 'The worker refused the query (NotAuthorized).', 'NotAuthorized');
  const e = await errorOf(pool.run(async (m) => {
    m.asked++;
    throw refused;
  }));
  expect(e).toBe(refused);
  expect(members.map((m) => m.asked)).toEqual([1, 0]);
  expect(isTransportFailure(refused)).toBe(false);
  expect(isTransportFailure(down(members[0]))).toBe(true);
  expect(isTransportFailure(new Error('boom'))).toBe(false);
});

test('a new member list keeps what is known of the workers that stay', async () => {
  const [a, b] = fakes('a', 'b');
  const pool = new WorkerPool([a, b]);
  a.up = false;
  await pool.run(ask);
  const [c] = fakes('c');
  pool.replace([a, b, c]);
  expect(pool.order().at(-1)).toBe(a); // still resting
  pool.replace([b, c]);
  expect(pool.members.map((m) => m.key)).toEqual(['b', 'c']);
});

test("a joined worker still catching up (503 CatchingUp) is passed over like a failing one: the next worker answers", async () => {
  const catchingUp: FetchLike = async () => ({
    ok: false, status: 503, arrayBuffer: async () => new ArrayBuffer(0), json: async () => ({ error: 'CatchingUp' }), text: async () => '',
  });
  const answering: FetchLike = async () => ({
    ok: true, status: 200, arrayBuffer: async () => new Uint8Array([7]).buffer, json: async () => ({}), text: async () => '',
  });
  const joiner = { key: 'joiner', transport: new WorkerTransport('http://joiner.example', catchingUp) };
  const keeper = { key: 'keeper', transport: new WorkerTransport('http://keeper.example', answering) };
  const pool = new WorkerPool([joiner, keeper]);
  expect(await pool.run((w) => w.transport.query(new Uint8Array([1])))).toEqual(new Uint8Array([7]));
  expect(pool.order().map((m) => m.key).at(-1)).toBe('joiner');
});
