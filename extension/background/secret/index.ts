/**
 * Secret assets in the background, one service per job:
 * - `SecretReads` (reads.ts): the popup's reads — worker trust, assets, balances, history, operations.
 * - `PageReads` (page-reads.ts): a page's reads of its granted accounts, capped per origin.
 * - `SecretRequests` (requests.ts): a page's operations, queued for approval, viewed, approved.
 * - `OperationRunner` (runner.ts): an operation the user decided on, recorded, signed and submitted.
 * - `OperationFollower` (follower.ts): submitted operations followed to the worker's verdict, retried,
 *   and picked up again after a restarted service worker.
 * All of them reach the chain and the worker through `SecretGateway` (gateway.ts), where every error
 * becomes a sentence.
 */
import type { Accounts } from '../accounts/service';
import type { Changes } from '../events';
import type { Delivery } from '../ports';
import type { RequestQueue } from '../requests/queue';
import type { SettingsStore } from '../settings/store';
import type { Authorization } from '../sites/service';
import type { StorageArea } from '../storage/store';
import type { DarkConnector } from './backend';
import { OperationFollower, realTimer, type RetryTimer } from './follower';
import { SecretGateway } from './gateway';
import { OperationStore } from './operations';
import { PageReads } from './page-reads';
import { SecretReads } from './reads';
import { SecretRequests } from './requests';
import { OperationRunner } from './runner';

export interface SecretDeps {
  connector: DarkConnector;
  accounts: Accounts;
  authorization: Authorization;
  queue: RequestQueue;
  delivery: Delivery;
  changes: Changes;
  settings: SettingsStore;
  session: StorageArea;
  now: () => number;
  /** When the follower asks the worker again; a real timer unless a test drives it. */
  timer?: RetryTimer;
}

export interface SecretServices {
  reads: SecretReads;
  pageReads: PageReads;
  requests: SecretRequests;
  runner: OperationRunner;
  follower: OperationFollower;
  /** The endpoints changed: connect and verify afresh. */
  reset(): void;
}

export function secretServices(d: SecretDeps): SecretServices {
  const gateway = new SecretGateway(d.connector, async () => (await d.settings.get()).workerEndpoint);
  const ops = new OperationStore(d.session, d.now, () => d.changes.emit('secret'));
  const follower = new OperationFollower({ gateway, accounts: d.accounts, ops, delivery: d.delivery, timer: d.timer ?? realTimer });
  const runner = new OperationRunner({ gateway, accounts: d.accounts, ops, delivery: d.delivery, follower, now: d.now });
  d.changes.on((topic) => {
    if (topic !== 'lock') return;
    void d.accounts.status().then((status) => {
      // Locking drops the query sessions with the client: their keys are only ever in memory.
      if (status !== 'unlocked') gateway.reset();
      else void follower.resume();
    });
  });
  return {
    reads: new SecretReads({ gateway, accounts: d.accounts, settings: d.settings, ops, changes: d.changes }),
    pageReads: new PageReads({ gateway, accounts: d.accounts, authorization: d.authorization }),
    requests: new SecretRequests({ gateway, accounts: d.accounts, authorization: d.authorization, queue: d.queue, runner }),
    runner,
    follower,
    reset: () => gateway.reset(),
  };
}
