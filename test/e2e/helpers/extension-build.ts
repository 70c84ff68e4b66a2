/**
 * The built extension for browser tests: built once per state of its sources and shared by every
 * browser suite (and later runs), instead of one esbuild run per suite. The key hashes everything a
 * build reads, so a changed source file means a fresh build; old builds are removed.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { build } from '../../../scripts/build';
import { ROOT } from '../../helpers/root';

export interface BuiltExtension {
  /** dist/extension's layout: load it in Chromium. */
  chromium: string;
  /** dist/firefox's layout: install it as a temporary add-on. */
  firefox: string;
}

const CACHE = join(ROOT, 'node_modules', '.cache', 'dark-wallet-e2e-build');
/** What `scripts/build.ts` bundles or copies: the extension imports shared/, and the lock file pins the libraries. */
const INPUTS = ['extension', 'shared', 'manifest.json', 'package.json', 'package-lock.json', 'scripts/build.ts'];
const COMPLETE = 'complete';

async function filesUnder(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => filesUnder(join(path, e.name))));
  return nested.flat();
}

async function sourceHash(): Promise<string> {
  const files = (await Promise.all(INPUTS.map((i) => filesUnder(join(ROOT, i))))).flat().sort();
  const hash = createHash('sha256');
  for (const f of files) hash.update(relative(ROOT, f)).update('\0').update(await readFile(f)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

const layout = (dir: string): BuiltExtension => ({ chromium: join(dir, 'extension'), firefox: join(dir, 'firefox') });

export async function builtExtension(): Promise<BuiltExtension> {
  const key = await sourceHash();
  const dir = join(CACHE, key);
  if (await stat(join(dir, COMPLETE)).then(() => true, () => false)) return layout(dir);
  // Suites in other jest workers may build the same key at the same time: each builds on its own and
  // the first rename wins; a build never becomes visible half-written.
  const staging = join(CACHE, `${key}.staging-${process.pid}-${Date.now()}`);
  await mkdir(staging, { recursive: true });
  await build({ outDir: staging });
  await mkdir(join(staging, COMPLETE));
  try {
    await rename(staging, dir);
  } catch {
    await rm(staging, { recursive: true, force: true }); // another suite got there first
  }
  for (const old of await readdir(CACHE)) {
    // Builds of earlier sources go; another run's staging directory is left to that run.
    if (!old.startsWith(key) && !old.includes('.staging-')) await rm(join(CACHE, old), { recursive: true, force: true });
  }
  return layout(dir);
}
