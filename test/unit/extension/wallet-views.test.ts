/**
 * The everyday views of the popup, as pure functions and as background messages: the address book
 * (contacts, recent public recipients), recipient suggestions, the asset list's search and
 * hide-zero, the history's filters, CSV and balance-over-time series.
 */
import { cryptoWaitReady } from '@polkadot/util-crypto';
import type { AccountView, AddressBookView, SecretActivityView, SecretBalanceView } from '../../../extension/messages/types';
import { decodeQR } from 'qr/decode.js';
import { qrMatrix, qrPath } from '../../../extension/popup/address/qr-matrix';
import { recentCounterparties, suggestions } from '../../../extension/popup/address/suggestions';
import { visibleAssets } from '../../../extension/popup/secret/asset-list';
import { balanceDelta, balanceSeries, stepPath } from '../../../extension/popup/secret/balance-chart';
import { csvCell, historyCsv } from '../../../extension/popup/secret/history-csv';
import { filterActivity, filterChoices, NO_FILTER } from '../../../extension/popup/secret/history-filter';
import { PASSWORD, makeWallet, ok, popupPort } from './fakes';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const CHARLIE = '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y';
const DAVE = '5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy';

beforeAll(() => cryptoWaitReady());

let n = 0;
const entry = (over: Partial<SecretActivityView>): SecretActivityView => ({
  id: `e${n++}`, kind: 'Transfer', direction: 'Out', status: 'applied', block: 1, asset: 0, symbol: 'PHA', decimals: 12,
  amount: '0', counterparty: null, counterpartyName: null, reason: null, ref: null, origin: null, at: null, ...over,
});
const PHA = 10n ** 12n;
const balance = (id: number, symbol: string, amount: bigint, decimals = 12): SecretBalanceView =>
  ({ id, symbol, name: `${symbol} token`, decimals, issuer: id === 0 ? null : ALICE, amount: String(amount) });

describe('address book (background)', () => {
  test('contacts are validated, stored canonical and sorted; the same address renames; remove forgets', async () => {
    const w = makeWallet();
    const call = async (type: 'pri(addressBook.save)' | 'pri(addressBook.remove)', req: object) => w.call(type, req as never, popupPort());
    expect((await call('pri(addressBook.save)', { name: 'Bob', address: `${BOB.slice(0, -1)}x` }))?.error?.code).toBe('InvalidInput');
    expect((await call('pri(addressBook.save)', { name: '  ', address: BOB }))?.error?.code).toBe('InvalidInput');
    ok(await call('pri(addressBook.save)', { name: 'Charlie', address: CHARLIE }));
    ok(await call('pri(addressBook.save)', { name: 'Bob', address: BOB }));
    const book = ok<AddressBookView>(await call('pri(addressBook.save)', { name: 'Bobby', address: BOB }));
    expect(book.contacts).toEqual([{ name: 'Bobby', address: BOB }, { name: 'Charlie', address: CHARLIE }]);
    expect(ok<AddressBookView>(await call('pri(addressBook.remove)', { address: CHARLIE })).contacts).toEqual([{ name: 'Bobby', address: BOB }]);
    expect(ok<AddressBookView>(await w.call('pri(addressBook.get)', null, popupPort())).contacts).toHaveLength(1);
  });

  test('a public send remembers its recipient first; a refused one does not', async () => {
    const w = makeWallet();
    ok<AccountView>(await w.call('pri(accounts.createFromUri)', { suri: '//Alice', type: 'sr25519', name: 'Alice', password: PASSWORD }, popupPort()));
    const send = (to: string, amount = '1') => w.call('pri(chain.transfer)', { from: ALICE, to, amount }, popupPort());
    ok(await send(BOB));
    ok(await send(CHARLIE));
    ok(await send(BOB));
    expect((await send(DAVE, '0'))?.error?.code).toBe('InvalidInput');
    expect(ok<AddressBookView>(await w.call('pri(addressBook.get)', null, popupPort())).recent).toEqual([BOB, CHARLIE]);
  });
});

test('the receive QR code decodes to the address; its SVG path draws exactly the dark modules', () => {
  const matrix = qrMatrix(ALICE);
  const scale = 4;
  const side = matrix.length * scale;
  const data = new Uint8Array(side * side * 4);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const v = matrix[Math.floor(y / scale)][Math.floor(x / scale)] ? 0 : 255;
      data.set([v, v, v, 255], (y * side + x) * 4);
    }
  }
  expect(decodeQR({ width: side, height: side, data })).toBe(ALICE);
  expect(matrix[0].every((dark) => !dark)).toBe(true); // the quiet zone
  expect(qrPath(matrix).split('M').length - 1).toBe(matrix.flat().filter(Boolean).length);
});

describe('recipient suggestions', () => {
  const accounts: AccountView[] = [
    { address: ALICE, name: 'Alice', type: 'sr25519', createdAt: 0 }, { address: BOB, name: 'Bob', type: 'sr25519', createdAt: 0 },
  ];
  test('recent first (named when known), then contacts, then our accounts; each once; never the sender', () => {
    const list = suggestions([DAVE, BOB], [{ name: 'Charlie', address: CHARLIE }, { name: 'Dave', address: DAVE }], accounts, ALICE);
    expect(list.map((s) => [s.label, s.source])).toEqual([['Dave', 'recent'], ['Bob', 'recent'], ['Charlie', 'contact']]);
  });

  test('secret recent recipients come from outgoing entries of the kind, newest first, unique', () => {
    const history = [
      entry({ counterparty: BOB }), entry({ counterparty: CHARLIE, direction: 'In' }), entry({ counterparty: DAVE, kind: 'Withdraw' }),
      entry({ counterparty: CHARLIE }), entry({ counterparty: BOB }),
    ];
    expect(recentCounterparties(history, 'Transfer')).toEqual([BOB, CHARLIE]);
    expect(recentCounterparties(history, 'Withdraw')).toEqual([DAVE]);
  });
});

test('asset list: hide zero keeps secret PHA; search by symbol, name or number', () => {
  const list = [balance(0, 'PHA', 0n), balance(1, 'GOLD', 5n), balance(2, 'SILVER', 0n), balance(12, 'GOLDEN', 1n)];
  const ids = (hideZero: boolean, query: string) => visibleAssets(list, { hideZero, query }).map((b) => b.id);
  expect(ids(true, '')).toEqual([0, 1, 12]);
  expect(ids(false, 'gold')).toEqual([1, 12]);
  expect(ids(false, 'silver token')).toEqual([2]);
  expect(ids(false, '#12')).toEqual([12]);
  expect(ids(true, 'silver')).toEqual([]);
});

describe('history', () => {
  const items = [
    entry({ kind: 'Transfer', direction: 'In', asset: 1, symbol: 'GOLD', status: 'applied' }),
    entry({ kind: 'Deposit', direction: 'In', status: 'failed' }),
    entry({ kind: 'Transfer', status: 'included' }),
    entry({ kind: 'Withdraw', status: 'unconfirmed' }),
  ];
  test('filters combine asset, kind and status (under way = pending, included, unconfirmed)', () => {
    expect(filterActivity(items, NO_FILTER)).toHaveLength(4);
    expect(filterActivity(items, { ...NO_FILTER, asset: 0 })).toHaveLength(3);
    expect(filterActivity(items, { ...NO_FILTER, kind: 'Transfer', status: 'underWay' })).toEqual([items[2]]);
    expect(filterActivity(items, { asset: 1, kind: 'Transfer', status: 'applied' })).toEqual([items[0]]);
    expect(filterActivity(items, { ...NO_FILTER, status: 'failed' })).toEqual([items[1]]);
    expect(filterChoices(items)).toEqual({ assets: [{ id: 0, symbol: 'PHA' }, { id: 1, symbol: 'GOLD' }], kinds: ['Transfer', 'Deposit', 'Withdraw'] });
  });

  test('CSV: exact amounts, signed change only when applied, quoting, and no formula from other people\'s text', () => {
    const csv = historyCsv([
      entry({ block: 7, amount: String(30n * PHA + 5n), counterparty: BOB, counterpartyName: 'Bob, "the" builder' }),
      entry({ block: 8, kind: 'Issue', direction: 'Self', asset: 3, symbol: '=HYPERLINK("x")', amount: '1000', decimals: 0 }),
      entry({ block: null, status: 'failed', amount: String(PHA), reason: '-2+3' }),
    ]).split('\r\n');
    expect(csv[0]).toBe('block,status,kind,direction,asset,symbol,amount,change,counterparty,counterparty_name,reason,ref');
    expect(csv[1]).toBe(`7,applied,Transfer,Out,0,PHA,30.000000000005,-30.000000000005,${BOB},"Bob, ""the"" builder",,`);
    expect(csv[2]).toBe(`8,applied,Issue,Self,3,"'=HYPERLINK(""x"")",1000,1000,,,,`);
    expect(csv[3]).toBe(",failed,Transfer,Out,0,PHA,1,0,,,'-2+3,");
    expect(csv[4]).toBe('');
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  test('balance series walk back from the balance now through applied entries only', () => {
    const history = [ // newest first, as the worker answers
      entry({ block: 9, kind: 'Withdraw', amount: String(10n * PHA) }),
      entry({ block: 8, kind: 'Transfer', direction: 'Out', amount: String(5n * PHA), status: 'failed' }),
      entry({ block: 6, kind: 'Transfer', direction: 'Out', amount: String(30n * PHA) }),
      entry({ block: 6, kind: 'Transfer', direction: 'In', amount: String(2n * PHA) }),
      entry({ block: 3, kind: 'Deposit', direction: 'In', amount: String(100n * PHA) }),
      entry({ block: 5, kind: 'Issue', direction: 'Self', asset: 1, symbol: 'GOLD', amount: '1000', decimals: 0 }),
      entry({ block: 7, kind: 'Burn', direction: 'Self', asset: 1, symbol: 'GOLD', amount: '100', decimals: 0 }),
    ];
    const series = balanceSeries(history, [balance(0, 'PHA', 62n * PHA), balance(1, 'GOLD', 900n, 0), balance(2, 'NONE', 0n)]);
    expect(series.map((s) => [s.symbol, s.points.map((p) => [p.block, p.balance / (s.decimals ? PHA : 1n)])])).toEqual([
      ['PHA', [[2, 0n], [3, 100n], [6, 72n], [9, 62n]]],
      ['GOLD', [[4, 0n], [5, 1000n], [7, 900n]]],
    ]);
    expect(balanceDelta(entry({ direction: 'Self', amount: '5' }))).toBe(0n);
    expect(stepPath(series[1].points, 30, 10)).toBe('M0 10H7.5V0H22.5V1H30');
  });
});
