/**
 * One name per secret operation (shared/protocol/operations.ts): the SDK method, the page API method,
 * the `pub(dark.*)` / `pri(dark.*)` messages, the extension's intents and approval requests all use it,
 * and the table maps it to the ledger's command and history kinds. A renamed side fails here (and in
 * the type-check, through the `Pick`s below).
 */
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { DarkClient } from '../../../shared/client/dark-client';
import { CommandKinds } from '../../../shared/protocol/command';
import { HistoryKinds } from '../../../shared/protocol/ledger';
import { SECRET_OPERATIONS, isDeposit, type SecretOperation } from '../../../shared/protocol/operations';
import { operationActivity } from '../../../extension/messages/activity';
import type { RequestOf } from '../../../extension/messages/registry';
import { SECRET_OPS, secretOpOf, secretRequestKind, type SecretOp, type SecretOperationView } from '../../../extension/messages/types';
import type { DarkWalletApi } from '../../../extension/page/types';
import { makeWallet, pagePort } from './fakes';

// Compile-time: each side has a member of exactly that name.
export type PageApiHasEveryOp = Pick<DarkWalletApi, SecretOp>;
export type SdkHasEveryOp = Pick<DarkClient, SecretOperation>;
export type MessagesForEveryOp = RequestOf<`pub(dark.${SecretOp})`> | RequestOf<`pri(dark.${SecretOp})`>;

beforeAll(() => cryptoWaitReady());

test.each(Object.keys(SECRET_OPERATIONS) as SecretOperation[])('%s: an SDK method, and ledger kinds that exist', (op) => {
  expect(typeof DarkClient.prototype[op]).toBe('function');
  const { command, history } = SECRET_OPERATIONS[op];
  if (command !== null) expect(CommandKinds.names).toContain(command);
  expect(HistoryKinds.names).toContain(history);
  expect(isDeposit(op)).toBe(op === 'convertToSecret');
});

test.each(SECRET_OPS.map((op) => [op]))('%s: the background handles its pub(dark.*) message and names its approval request after it', async (op) => {
  expect(secretOpOf(secretRequestKind(op))).toBe(op);
  expect(secretRequestKind(op)).toBe(`dark${op[0].toUpperCase()}${op.slice(1)}`);
  const w = makeWallet();
  const page = pagePort('https://stranger.example');
  // A handled message validates its body; an unknown one (the control) is refused as such.
  expect((await w.call(`pub(dark.${op})`, {} as never, page))?.error?.code).toBe('InvalidInput');
  const unknown = await w.call(`pub(dark.${op}Typo)` as 'pub(dark.transfer)', {} as never, page);
  expect(unknown?.error).toEqual({ code: 'NotAuthorized', message: 'Dark Wallet does not accept this message from here.' });
});

test.each(SECRET_OPS.map((op) => [op]))('%s: its history line uses the ledger kind the table gives', (op) => {
  const view: SecretOperationView = {
    id: 'op.x', address: 'a', op, status: 'pending', createdAt: 0, origin: null, asset: 0, symbol: 'PHA', decimals: 12, amount: '1',
    to: null, name: null, block: null, blockHash: null, txHash: null, ref: null, reason: null, atBlock: null,
  };
  expect(operationActivity(view, new Map()).kind).toBe(SECRET_OPERATIONS[op].history);
});
