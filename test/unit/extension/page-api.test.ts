/**
 * The published page API types (`@dark-wallet/page-api`, extension/page-api) stand alone — a dApp
 * installs that folder, not this repository — and its copies of the ledger's and the wallet's code
 * lists are the originals (a difference fails the type check below, and this test at run time).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Direction, HistoryKind, LedgerErrorCode } from '../../../shared/protocol/ledger';
import { Directions, HistoryKinds, LedgerErrorCodes } from '../../../shared/protocol/ledger';
import { WALLET_ERROR_CODES, type WalletErrorCode } from '../../../extension/messages/errors';
import type * as PageApi from '../../../extension/page-api/index';
import { ROOT } from '../../helpers/root';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const lists: [
  Same<PageApi.LedgerErrorCode, LedgerErrorCode>, Same<PageApi.HistoryKind, HistoryKind>,
  Same<PageApi.Direction, Direction>, Same<PageApi.WalletErrorCode, WalletErrorCode>,
] = [true, true, true, true];

const dir = join(ROOT, 'extension/page-api');
const source = readFileSync(join(dir, 'index.ts'), 'utf8');

test('the package imports nothing from this repository, only @polkadot/extension-inject', () => {
  const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
  expect(imports).toEqual(['@polkadot/extension-inject/types']);
  expect(lists).toEqual([true, true, true, true]);
});

test('its package.json exports the types a dApp imports', () => {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; exports: { '.': { types: string } }; files: string[] };
  expect(pkg.name).toBe('@dark-wallet/page-api');
  expect(pkg.exports['.'].types).toBe('./index.ts');
  expect(pkg.files).toContain('index.ts');
});

test('its code lists name every code the ledger and the wallet use', () => {
  const union = (name: string) => {
    const m = new RegExp(`export type ${name} =([^;]+);`).exec(source)!;
    return [...m[1].matchAll(/'(\w+)'/g)].map((x) => x[1]);
  };
  expect(union('LedgerErrorCode')).toEqual([...LedgerErrorCodes.names]);
  expect(union('HistoryKind')).toEqual([...HistoryKinds.names]);
  expect(union('Direction')).toEqual([...Directions.names]);
  expect(union('WalletErrorCode')).toEqual([...WALLET_ERROR_CODES]);
});
