/**
 * JSON-RPC 2.0 over WebSocket and plain HTTP POST on the same port, like a Substrate node, single
 * requests and batches alike. WebSocket follows Substrate's subscription convention: the subscribe
 * call answers a subscription id, notifications arrive as `{method: <notification>, params:
 * {subscription, result}}`. Notifications produced while a subscribe call is still being answered
 * are held back until its answer is on the wire, so no client sees a notification for an id it does
 * not know. Over HTTP a subscription is an error: there is no channel to push on.
 */
import { WebSocketServer, type WebSocket } from 'ws';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

export const invalidParams = (what: string) => new RpcError(-32602, `Invalid params: ${what}`);

export interface RpcConnection {
  /**
   * Opens a subscription whose notifications use `notification` as method name. `start` receives a
   * push function and returns the cleanup run on unsubscribe or disconnect.
   */
  subscribe(notification: string, start: (push: (result: unknown) => void, id: string) => () => void): string;
  unsubscribe(id: string): boolean;
}

export type RpcMethod = (params: unknown[], conn: RpcConnection) => unknown;

interface Subscription {
  notification: string;
  cleanup: () => void;
  /** Held-back notifications, until the subscribe call's answer is sent. */
  pending: unknown[] | null;
}

interface RpcRequest {
  id: number | string | null;
  method: string;
  params: unknown[];
}

export interface RpcServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export function serveRpc(port: number, host: string, methods: Record<string, RpcMethod>): Promise<RpcServer> {
  const http = createServer((req, res) => serveHttp(req, res, methods));
  const wss = new WebSocketServer({ server: http, maxPayload: MAX_MESSAGE_BYTES });
  wss.on('connection', (ws) => serveConnection(ws, methods));
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, host, () => {
      const bound = (http.address() as AddressInfo).port;
      resolve({
        url: `ws://${host}:${bound}`,
        port: bound,
        close: () => closeGracefully(wss, http),
      });
    });
  });
}

/** Closes every client with a close frame (clients see a clean 1001), then the server. */
async function closeGracefully(wss: WebSocketServer, http: Server): Promise<void> {
  await Promise.all([...wss.clients].map((client) => new Promise<void>((done) => {
    const timer = setTimeout(() => client.terminate(), 1000);
    client.once('close', () => {
      clearTimeout(timer);
      done();
    });
    client.close(1001, 'server shutting down');
  })));
  await new Promise<void>((done) => wss.close(() => done()));
  http.closeAllConnections();
  await new Promise<void>((done) => http.close(() => done()));
}

/** Answers one parsed request (never throws): `{id, result}` or `{id, error}`. */
async function answer(req: RpcRequest, methods: Record<string, RpcMethod>, conn: RpcConnection): Promise<object> {
  const method = methods[req.method];
  try {
    if (!method) throw new RpcError(-32601, 'Method not found');
    const result = await method(req.params, conn);
    return { id: req.id, result: result === undefined ? null : result };
  } catch (e) {
    return { id: req.id, error: errorBody(e) };
  }
}

/**
 * Answers a message: one request, or a batch (a JSON array) answered by an array in the same order.
 * Each request gets its connection view from `connFor`.
 */
async function answerMessage(text: string, methods: Record<string, RpcMethod>, connFor: () => RpcConnection): Promise<object> {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return { jsonrpc: '2.0', id: null, error: errorBody(new RpcError(-32700, 'Parse error')) };
  }
  const one = async (m: unknown) => {
    try {
      return { jsonrpc: '2.0', ...(await answer(toRequest(m), methods, connFor())) };
    } catch (e) {
      return { jsonrpc: '2.0', id: null, error: errorBody(e) };
    }
  };
  if (!Array.isArray(msg)) return one(msg);
  if (!msg.length) return { jsonrpc: '2.0', id: null, error: errorBody(new RpcError(-32600, 'Invalid request')) };
  return Promise.all(msg.map(one));
}

const NO_SUBSCRIPTIONS: RpcConnection = {
  subscribe() {
    throw new RpcError(-32603, 'Subscriptions are not supported over HTTP; use WebSocket');
  },
  unsubscribe: () => false,
};

function serveHttp(req: IncomingMessage, res: ServerResponse, methods: Record<string, RpcMethod>): void {
  const reply = (status: number, body?: object) => {
    res.writeHead(status, body ? { 'Content-Type': 'application/json; charset=utf-8' } : {});
    res.end(body ? JSON.stringify(body) : undefined);
  };
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return reply(405);
  }
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return reply(415);
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_MESSAGE_BYTES) {
      reply(413);
      req.destroy();
    } else chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > MAX_MESSAGE_BYTES) return;
    answerMessage(Buffer.concat(chunks).toString('utf8'), methods, () => NO_SUBSCRIPTIONS).then((body) => reply(200, body));
  });
  req.on('error', () => res.destroy());
}

function serveConnection(ws: WebSocket, methods: Record<string, RpcMethod>): void {
  const subs = new Map<string, Subscription>();
  // Unguessable per connection, cheap per subscription (one is opened per watched transaction).
  const idPrefix = randomBytes(6).toString('hex');
  let nextId = 0;
  const send = (msg: object) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ jsonrpc: '2.0', ...msg }));
  };
  const notify = (id: string, sub: Subscription, result: unknown) =>
    send({ method: sub.notification, params: { subscription: id, result } });

  const unsubscribe = (id: string) => {
    const sub = subs.get(id);
    if (!sub) return false;
    subs.delete(id);
    sub.cleanup();
    return true;
  };
  /** A connection view for one request, remembering the subscriptions that request opens. */
  const forRequest = (opened: string[]): RpcConnection => ({
    subscribe(notification, start) {
      const id = `${idPrefix}${(nextId++).toString(16)}`;
      const sub: Subscription = { notification, cleanup: () => undefined, pending: [] };
      subs.set(id, sub);
      opened.push(id);
      sub.cleanup = start((result) => {
        if (!subs.has(id)) return;
        if (sub.pending) sub.pending.push(result);
        else notify(id, sub, result);
      }, id);
      return id;
    },
    unsubscribe,
  });

  ws.on('message', async (data) => {
    const opened: string[] = [];
    const reply = await answerMessage(String(data), methods, () => forRequest(opened));
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
    for (const id of opened) {
      const sub = subs.get(id);
      if (!sub?.pending) continue;
      const held = sub.pending;
      sub.pending = null;
      for (const result of held) notify(id, sub, result);
    }
  });
  ws.on('close', () => {
    for (const id of [...subs.keys()]) unsubscribe(id);
  });
  ws.on('error', () => ws.terminate());
}

function toRequest(msg: unknown): RpcRequest {
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) throw new RpcError(-32600, 'Invalid request');
  const { id = null, method, params = [] } = msg as Record<string, unknown>;
  if (typeof method !== 'string' || !Array.isArray(params)) throw new RpcError(-32600, 'Invalid request');
  return { id: id as RpcRequest['id'], method, params };
}

function errorBody(e: unknown): { code: number; message: string; data?: string } {
  if (e instanceof RpcError) return { code: e.code, message: e.message, ...(e.data === undefined ? {} : { data: e.data }) };
  return { code: -32603, message: `Internal error: ${e instanceof Error ? e.message : String(e)}` };
}
