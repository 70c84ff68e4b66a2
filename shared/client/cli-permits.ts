/** The CLI's view-permit arguments and files: `permit grant`, `permit revoke` and `audit` (shared/client/cli.ts). */
import { readFileSync, writeFileSync } from 'node:fs';
import { DarkWalletError } from '../errors';
import type { PermitFields, SignedPermit } from '../protocol/permit';
import { permitFromFile, permitToFile } from '../protocol/permit-file';

/** `--fields balances,history` (either or both). */
export function parsePermitFields(text: string): PermitFields {
  const names = text.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  const unknown = names.filter((n) => n !== 'balances' && n !== 'history');
  if (names.length === 0 || unknown.length > 0) throw new DarkWalletError('Usage', '--fields is balances, history or balances,history.');
  return { balances: names.includes('balances'), history: names.includes('history') };
}

/** The block the permit stops reading at: `--expires-at-block N`, or `--expires-in N` blocks after `head`. */
export function permitExpiry(head: number, opts: { expiresIn?: string; expiresAtBlock?: string }): number {
  const whole = (v: string, flag: string) => {
    if (!/^\d+$/.test(v.trim()) || Number(v) > 0xffff_ffff) throw new DarkWalletError('Usage', `--${flag} is a whole number of blocks.`);
    return Number(v);
  };
  if ((opts.expiresIn === undefined) === (opts.expiresAtBlock === undefined)) {
    throw new DarkWalletError('Usage', 'Give the permit an expiry: --expires-in BLOCKS or --expires-at-block N.');
  }
  const at = opts.expiresAtBlock !== undefined ? whole(opts.expiresAtBlock, 'expires-at-block') : head + whole(opts.expiresIn as string, 'expires-in');
  if (at <= head) throw new DarkWalletError('Usage', `Block #${at} is already past (the chain is at #${head}): choose a later block.`);
  if (at > 0xffff_ffff) throw new DarkWalletError('Usage', 'That expiry is beyond the last block number a permit can name.');
  return at;
}

export function readPermitFile(path: string): SignedPermit {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new DarkWalletError('Usage', `Cannot read the permit file ${path}.`);
  }
  return permitFromFile(text);
}

export function writePermitFile(path: string, permit: SignedPermit, ss58Format: number): void {
  writeFileSync(path, `${JSON.stringify(permitToFile(permit, ss58Format), null, 2)}\n`, { mode: 0o600 });
}
