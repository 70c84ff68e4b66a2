/**
 * Builds the extension: `npm run build`, or `await build()` from tests and scripts/start.ts.
 *
 *   dist/extension/  Chromium MV3 (background service worker, ESM)
 *   dist/firefox/    Firefox MV3 (background.scripts, gecko id)
 *
 * Bundles are minified: the background and popup as ESM, the content script and the MAIN-world page
 * script as IIFE (content scripts cannot be modules). The version comes from package.json.
 */
import * as esbuild from 'esbuild';
import { cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'extension');

export interface BuildOptions {
  /** Parent of `extension/` and `firefox/`; default `dist/` in the repository. */
  outDir?: string;
  /** Default true. */
  minify?: boolean;
}

export interface BuildResult {
  chromium: string;
  firefox: string;
  /** Bytes of each emitted bundle, by file name. */
  sizes: Record<'background.js' | 'content.js' | 'page.js' | 'popup.js' | 'popup.css', number>;
}

const BUNDLES = [
  { entry: 'background/index.ts', out: 'background.js', format: 'esm' },
  { entry: 'content/index.ts', out: 'content.js', format: 'iife' },
  { entry: 'page/index.ts', out: 'page.js', format: 'iife' },
  { entry: 'popup/index.tsx', out: 'popup.js', format: 'esm' },
] as const;

/** Chromium 111 is the first with MAIN-world content scripts; Firefox 128 likewise. */
const TARGET = ['chrome111', 'firefox128'];
const GECKO_ID = 'dark-wallet@dark-wallet.dev';

export async function build(opts: BuildOptions = {}): Promise<BuildResult> {
  const outDir = opts.outDir ?? join(root, 'dist');
  const chromium = join(outDir, 'extension');
  const firefox = join(outDir, 'firefox');
  const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };

  await rm(chromium, { recursive: true, force: true });
  await rm(firefox, { recursive: true, force: true });
  await mkdir(chromium, { recursive: true });

  await Promise.all(BUNDLES.map(({ entry, out, format }) => esbuild.build({
    entryPoints: [join(src, entry)],
    outfile: join(chromium, out),
    bundle: true,
    format,
    platform: 'browser',
    target: TARGET,
    minify: opts.minify ?? true,
    legalComments: 'none',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: { DARK_WALLET_VERSION: JSON.stringify(version) },
    logLevel: 'warning',
  })));
  await cp(join(src, 'popup', 'popup.html'), join(chromium, 'popup.html'));
  await cp(join(src, 'icons'), join(chromium, 'icons'), { recursive: true, filter: (f) => !f.endsWith('.svg') });

  const manifest = { ...JSON.parse(await readFile(join(root, 'manifest.json'), 'utf8')), version } as Record<string, unknown>;
  await writeFile(join(chromium, 'manifest.json'), JSON.stringify(manifest, null, 2));

  // Firefox: the same files; its MV3 runs the background as an event page, not a service worker.
  await cp(chromium, firefox, { recursive: true });
  const { minimum_chrome_version: _chromeOnly, background: _sw, ...common } = manifest;
  await writeFile(join(firefox, 'manifest.json'), JSON.stringify({
    ...common,
    background: { scripts: ['background.js'], type: 'module' },
    browser_specific_settings: { gecko: { id: GECKO_ID, strict_min_version: '128.0' } },
  }, null, 2));

  const size = async (f: string) => (await stat(join(chromium, f))).size;
  const sizes = {
    'background.js': await size('background.js'),
    'content.js': await size('content.js'),
    'page.js': await size('page.js'),
    'popup.js': await size('popup.js'),
    'popup.css': await size('popup.css'),
  };
  return { chromium, firefox, sizes };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  build().then((result) => {
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    console.log(`built ${result.chromium} and ${result.firefox}`);
    for (const [file, bytes] of Object.entries(result.sizes)) console.log(`  ${file.padEnd(14)} ${kb(bytes)}`);
  }, (e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
