/**
 * A lying chain endpoint: a WebSocket JSON-RPC proxy in front of the real chain that forwards every
 * request and lets a test rewrite any answer (`rewrite(method, params, result)`; return `result` to
 * pass it on). A subscription notification comes to `rewrite` under its own method name
 * (e.g. `state_storage`), with no params. It plays the untrusted host's part: what a
 * worker reads through it is what a hostile operator could hand the enclave.
 */
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

export type Rewrite = (method: string, params: unknown[], result: unknown) => unknown;

export interface RpcProxy {
  url: string;
  close(): Promise<void>;
}

interface Request { id?: unknown; method?: string; params?: unknown[] }
interface Answer { id?: unknown; result?: unknown; method?: string; params?: { result?: unknown } }

export async function startRpcProxy(upstream: string, rewrite: Rewrite): Promise<RpcProxy> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));

  server.on('connection', (client) => {
    const chain = new WebSocket(upstream);
    const asked = new Map<unknown, Request>(); // request id → the request, to rewrite its answer
    const early: RawData[] = [];
    chain.on('open', () => early.splice(0).forEach((m) => chain.send(m.toString())));
    client.on('message', (m) => {
      const req = JSON.parse(m.toString()) as Request;
      if (req.id !== undefined) asked.set(req.id, req);
      if (chain.readyState === WebSocket.OPEN) chain.send(m.toString());
      else early.push(m);
    });
    chain.on('message', (m) => {
      const res = JSON.parse(m.toString()) as Answer;
      const req = res.id === undefined ? undefined : asked.get(res.id);
      asked.delete(res.id);
      if (res.method !== undefined && res.params && 'result' in res.params) {
        return client.send(JSON.stringify({ ...res, params: { ...res.params, result: rewrite(res.method, [], res.params.result) } }));
      }
      if (req?.method === undefined || !('result' in res)) return client.send(m.toString());
      client.send(JSON.stringify({ ...res, result: rewrite(req.method, req.params ?? [], res.result) }));
    });
    const closeBoth = () => {
      client.close();
      chain.close();
    };
    client.on('close', closeBoth);
    chain.on('close', closeBoth);
    chain.on('error', closeBoth);
  });

  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      for (const c of server.clients) c.terminate();
      server.close(() => resolve());
    }),
  };
}
