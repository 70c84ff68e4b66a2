/**
 * The repository root, found from the working directory so the same module works under jest
 * (CommonJS: no `import.meta`) and tsx (ESM: no `__dirname`); both run from inside the repo.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

function findRoot(from: string): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'dark-wallet') return dir;
    if (dirname(dir) === dir) throw new Error(`Run this from inside the dark-wallet repository (looked upwards from ${from}).`);
  }
}

export const ROOT = findRoot(process.cwd());
