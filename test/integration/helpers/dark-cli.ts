/** `npm run dark` as a user runs it, against a test's chain and worker, and the README's CLI blocks it runs. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './processes';

export interface CliRun {
  code: number | null;
  out: string;
}

/**
 * `npm run dark -- ARGS --chain … [--worker …]` (stdout and stderr together, as a terminal shows them),
 * through `endpoints.relay` when given, else `--direct` (the test workers run no relayer unless asked),
 * or with `relayChosenByCli` neither flag. Without `worker` the CLI asks the contract's workers the chain names.
 */
export function runDarkCli(args: string[], endpoints: { chain: string; worker?: string; relay?: string; relayChosenByCli?: true }): Promise<CliRun> {
  const worker = endpoints.worker === undefined ? [] : ['--worker', endpoints.worker];
  const path = endpoints.relayChosenByCli ? [] : endpoints.relay ? ['--relay', endpoints.relay] : ['--direct'];
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'shared/client/cli.ts'), ...args, '--chain', endpoints.chain, ...worker, ...path],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (out += c.toString()));
    p.on('exit', (code) => resolve({ code, out }));
  });
}

/** The `npm run dark -- …` lines of the first sh block after README.md's `heading`, as argument lists. */
export function readmeCliLines(heading: string): string[][] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf(heading));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1];
  return block.split('\n').filter((l) => l.startsWith('npm run dark -- ')).map((l) =>
    [...l.slice('npm run dark -- '.length).matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]));
}
