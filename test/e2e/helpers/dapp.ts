/** Builds the test dApp bundle and serves it over http on 127.0.0.1 (each server port is its own origin). */
import * as esbuild from 'esbuild';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { approvalWindow, type Wallet } from './browser';
import type {} from './dapp-page';

const HTML = '<!doctype html><html><head><meta charset="utf-8"><title>Test dApp</title></head><body><h1>Test dApp</h1><script src="/dapp.js"></script></body></html>';

export interface DappServer {
  origin: string;
  close(): Promise<void>;
}

export async function buildDapp(): Promise<string> {
  const out = await esbuild.build({
    entryPoints: [join(__dirname, 'dapp-page.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome111',
    minify: true,
    write: false,
    logLevel: 'warning',
  });
  return out.outputFiles[0].text;
}

export async function serveDapp(js: string, host = '127.0.0.1'): Promise<DappServer> {
  const server: Server = createServer((req, res) => {
    if (req.url === '/dapp.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    else res.writeHead(200, { 'content-type': 'text/html' }).end(HTML);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * The barrier before a "still pending" check: a later request from `page` (an accounts list, answered
 * at once, with accounts or NotAuthorized) through the same content script, port and background,
 * answered. The wallet takes a page's messages in order and answers on the same port, so an answer it
 * had for an earlier request has reached the page by now.
 */
export async function answeredAfter(page: Page): Promise<void> {
  await page.evaluate(() => window.dapp.raw('pub(accounts.list)', {}));
}

/** A page of `server` in the wallet's browser, connected as `name` with only `account` shared (approved in the authorize window). */
export async function connectedDapp(wallet: Wallet, server: DappServer, name: string, account: string): Promise<Page> {
  const page = await wallet.ctx.newPage();
  await page.goto(server.origin);
  await page.waitForFunction(() => !!window.dapp);
  const enabling = page.evaluate((n) => window.dapp.enable(n), name);
  const win = await approvalWindow(wallet.ctx, 'authorize');
  await win.getByTestId(`pick-${account}`).check();
  await win.getByTestId('approve').click();
  const enabled = await enabling;
  if (!('ok' in enabled) || !enabled.ok.includes('dark-wallet')) throw new Error(`the dApp did not connect: ${JSON.stringify(enabled)}`);
  return page;
}
