/**
 * JSON-RPC 2.0 over WebSocket with Substrate's subscription convention: the subscribe call answers
 * a subscription id, notifications arrive as `{method: <notification>, params: {subscription,
 * result}}`. Notifications produced while a subscribe call is still being answered are held back
 * until its answer is on the wire, so no client sees a notification for an id it does not know.
 */
import { WebSocketServer, type WebSocket } from 'ws';
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

export function serveRpc(port: number, host: string, methods: Record<string, RpcMethod>): Promise<RpcServer> {
  const wss = new WebSocketServer({ port, host, maxPayload: 16 * 1024 * 1024 });
  wss.on('connection', (ws) => serveConnection(ws, methods));
  return new Promise((resolve, reject) => {
    wss.once('error', reject);
    wss.once('listening', () => {
      const bound = (wss.address() as AddressInfo).port;
      resolve({
        url: `ws://${host}:${bound}`,
        port: bound,
        close: () => closeGracefully(wss),
      });
    });
  });
}

/** Closes every client with a close frame (clients see a clean 1001), then the server. */
async function closeGracefully(wss: WebSocketServer): Promise<void> {
  await Promise.all([...wss.clients].map((client) => new Promise<void>((done) => {
    const timer = setTimeout(() => client.terminate(), 1000);
    client.once('close', () => {
      clearTimeout(timer);
      done();
    });
    client.close(1001, 'server shutting down');
  })));
  await new Promise<void>((done) => wss.close(() => done()));
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
    let req: RpcRequest;
    try {
      req = parseRequest(String(data));
    } catch (e) {
      send({ id: null, error: errorBody(e) });
      return;
    }
    const method = methods[req.method];
    const opened: string[] = [];
    try {
      if (!method) throw new RpcError(-32601, 'Method not found');
      const result = await method(req.params, forRequest(opened));
      send({ id: req.id, result: result === undefined ? null : result });
    } catch (e) {
      send({ id: req.id, error: errorBody(e) });
    }
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

function parseRequest(text: string): RpcRequest {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    throw new RpcError(-32700, 'Parse error');
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) throw new RpcError(-32600, 'Invalid request');
  const { id = null, method, params = [] } = msg as Record<string, unknown>;
  if (typeof method !== 'string' || !Array.isArray(params)) throw new RpcError(-32600, 'Invalid request');
  return { id: id as RpcRequest['id'], method, params };
}

function errorBody(e: unknown): { code: number; message: string; data?: string } {
  if (e instanceof RpcError) return { code: e.code, message: e.message, ...(e.data === undefined ? {} : { data: e.data }) };
  return { code: -32603, message: `Internal error: ${e instanceof Error ? e.message : String(e)}` };
}
