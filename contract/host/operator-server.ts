/**
 * The operator's status endpoint: `GET /status` as JSON, on 127.0.0.1 only, with no CORS headers and
 * only for a Host header naming the loopback (so neither a web page nor a DNS-rebound name can read
 * it). It holds what the public `/health` must not: open sessions and the receipts waiting, counts
 * that would tell anyone watching when users act. Never an amount, an account or a key.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OperatorServer {
  url: string;
  close(): Promise<void>;
}

const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i;

/** `port` 0 picks a free one (the worker logs the URL). */
export async function startOperatorServer(status: () => object, port: number): Promise<OperatorServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (!LOOPBACK_HOST.test(req.headers.host ?? '') || req.headers.origin !== undefined) {
      res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Forbidden' }));
      return;
    }
    if (req.method !== 'GET' || path !== '/status') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'NotFound' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(status()));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/status`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
