/**
 * Builds and serves the demo dApp (demo/) on 127.0.0.1. `/config.json` tells the page which chain
 * to use; everything else is static.
 */
import { build } from 'esbuild';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stopWhenAskedOrOrphaned } from '../shared/process/supervised';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'dist', 'demo');

export async function buildDemo(): Promise<string> {
  await build({
    entryPoints: [join(root, 'demo', 'app.ts')], bundle: true, format: 'esm', minify: true, target: 'es2022',
    outfile: join(out, 'app.js'), logLevel: 'warning', legalComments: 'none',
  });
  return out;
}

export async function serveDemo(opts: { port: number; chain: string }): Promise<{ url: string; close(): Promise<void> }> {
  await buildDemo();
  const files: Record<string, [string, string]> = {
    '/': [join(root, 'demo', 'index.html'), 'text/html; charset=utf-8'],
    '/index.html': [join(root, 'demo', 'index.html'), 'text/html; charset=utf-8'],
    '/app.js': [join(out, 'app.js'), 'text/javascript; charset=utf-8'],
  };
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/config.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ chain: opts.chain }));
    }
    const file = files[path];
    if (!file) {
      res.writeHead(404);
      return res.end('Not found');
    }
    res.writeHead(200, { 'content-type': file[1] });
    res.end(await readFile(file[0]));
  });
  await new Promise<void>((r, j) => { server.once('error', j); server.listen(opts.port, '127.0.0.1', () => r()); });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8080' }, chain: { type: 'string', default: 'ws://127.0.0.1:9944' }, worker: { type: 'string' } } });
  const s = await serveDemo({ port: Number(values.port), chain: values.chain! });
  console.log(`demo dApp at ${s.url}`);
  stopWhenAskedOrOrphaned(() => void s.close().then(() => process.exit(0)));
}
