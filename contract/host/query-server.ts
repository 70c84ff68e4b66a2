/**
 * The worker's query server. It only moves opaque bytes between clients and the enclave: bodies are
 * query envelopes (`POST /query`) and session frames (`POST /session`); answers are sealed by the
 * enclave. `/health` is public; the WebSocket at `/events` pushes `{"block":N}` after each processed
 * block so clients know when to re-query — it names no account and no amount. With a command relayer
 * (command-relay.ts), `POST /relay` takes one sealed envelope (raw bytes, rate-limited per address)
 * and answers where its batch landed; `GET /relay/quote` says whom to seal for and the fee.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { DarkWalletError } from '../../shared/errors';
import { TokenBuckets } from '../../shared/token-buckets';
import type { Relayed, RelayQuote } from './command-relay';

export interface QueryHandlers {
  /** Absent on a relayer running alone (`npm run relayer`): it serves only /relay and /health. */
  query?(envelope: Uint8Array): Promise<Uint8Array>;
  session?(frame: Uint8Array): Uint8Array | Promise<Uint8Array>;
  health(): unknown;
  relay?: { relay(envelope: Uint8Array): Promise<Relayed>; quote: RelayQuote };
}

export interface QueryServerOptions {
  port: number;
  host?: string;
  /** Largest request body accepted. */
  maxBodyBytes?: number;
  /** Session frames per second allowed per client address (token bucket, burst = 2 s worth). */
  ratePerSecond?: number;
  /**
   * Query envelopes (`/query`: public, one-shot signed and OpenSession) per second per client address,
   * burst 2 s worth. Each costs the enclave an X25519 and often a signature check (~3 ms), so this is
   * the per-address budget for opening sessions; the enclave adds one per account.
   */
  envelopeRatePerSecond?: number;
  /** Envelopes per second per client address accepted by `POST /relay` (burst 2 s worth). */
  relayRatePerSecond?: number;
  /** Client addresses remembered by each limiter (beyond it, new addresses share one bucket). */
  maxClients?: number;
  log?: (line: string) => void;
  /** A monotonic clock in ms the rate limiter refills by; `performance.now` by default. */
  now?: () => number;
}

export interface QueryServer {
  url: string;
  notifyBlock(block: number): void;
  close(): Promise<void>;
}

/** The extension (any browser) and pages served from this machine may call us. */
function allowedOrigin(origin: string | undefined): string | null {
  if (!origin) return null;
  if (/^(chrome|moz)-extension:\/\/[a-z0-9-]+$/i.test(origin)) return origin;
  if (/^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(origin)) return origin;
  return null;
}

function readBody(req: IncomingMessage, max: number): Promise<Uint8Array | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > max) return resolve(null);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        resolve(null);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: Uint8Array | object): void {
  if (body instanceof Uint8Array) {
    res.writeHead(status, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    res.end(body);
  } else {
    const json = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(json);
  }
}

export async function startQueryServer(handlers: QueryHandlers, opts: QueryServerOptions): Promise<QueryServer> {
  const maxBody = opts.maxBodyBytes ?? 4096;
  const now = opts.now ?? (() => performance.now());
  const limiter = (rate: number) => new TokenBuckets({ ratePerSecond: rate, burst: Math.max(1, rate * 2), maxKeys: opts.maxClients ?? 10_000 });
  const limiters = {
    '/session': limiter(opts.ratePerSecond ?? 5000), '/query': limiter(opts.envelopeRatePerSecond ?? 200), '/relay': limiter(opts.relayRatePerSecond ?? 50),
  };
  const routes = {
    '/query': handlers.query, '/session': handlers.session,
    '/relay': handlers.relay && ((body: Uint8Array) => handlers.relay!.relay(body)),
  } as const;
  const log = opts.log ?? (() => {});

  const server: Server = createServer(async (req, res) => {
    const origin = allowedOrigin(req.headers.origin);
    if (origin) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'origin');
      res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
      res.setHeader('access-control-allow-headers', 'content-type');
    }
    if (req.method === 'OPTIONS') return send(res, 204, new Uint8Array());
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/health') return send(res, 200, handlers.health() as object);
    if (req.method === 'GET' && path === '/relay/quote' && handlers.relay) return send(res, 200, handlers.relay.quote);
    const route = req.method === 'POST' && (path === '/query' || path === '/session' || path === '/relay') ? path : null;
    const handle = route && routes[route];
    if (!route || !handle) return send(res, 404, { error: 'NotFound' });
    if (!limiters[route].take(req.socket.remoteAddress ?? '?', now())) return send(res, 429, { error: 'RateLimited' });

    const body = await readBody(req, maxBody).catch(() => null);
    if (!body) return send(res, 413, { error: 'TooLarge' });
    try {
      send(res, 200, await handle(body));
    } catch (e) {
      // A relay error's sentence says what to do; query errors stay codes (the enclave's words are not for the host to relay).
      if (e instanceof DarkWalletError) return send(res, e.code === 'QueueFull' || e.code === 'CatchingUp' ? 503 : 400, route === '/relay' ? { error: e.code, message: e.message } : { error: e.code });
      log(`query handler failed: ${e instanceof Error ? e.name : 'unknown error'}`); // never the body or message
      send(res, 500, { error: 'Internal' });
    }
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  const clients = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    if ((req.url ?? '').split('?')[0] !== '/events' || (req.headers.origin && !allowedOrigin(req.headers.origin))) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (clients.size >= 1000) return ws.close(1013, 'busy');
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('message', () => {}); // nothing to say to us
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    notifyBlock(block) {
      const msg = JSON.stringify({ block });
      for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(msg);
    },
    async close() {
      for (const ws of clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
