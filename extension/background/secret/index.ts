/**
 * Secret assets in the background, one service per job:
 * - `SecretReads` (reads.ts): the popup's reads — worker trust, assets, balances, history, operations.
 * - `PageReads` (page-reads.ts): a page's reads of its granted accounts, capped per origin.
 * - `SecretRequests` (requests.ts): a page's operations, queued for approval, viewed, approved.
 * - `OperationRunner` (runner.ts): an operation the user decided on, recorded, signed and submitted.
 * - `PermitService` (../permits): view permits the accounts issued — granted, listed, revoked.
 * - `OperationFollower` (follower.ts): submitted operations followed to the worker's verdict, retried,
 *   and picked up again after a restarted service worker.
 * All of them reach the chain and the worker through `SecretGateway` (gateway.ts), where every error
 * becomes a sentence, and through `ContractGuard` (guard.ts), which holds them to the contract key
 * pinned on first use (pins.ts, pinning.ts).
 */
import type { Accounts } from '../accounts/service';
import type { Changes } from '../events';
import type { Delivery } from '../ports';
import type { RequestQueue } from '../requests/queue';
import type { NetworkSettings } from '../../messages/types';
import type { Authorization } from '../sites/service';
import type { StorageArea } from '../storage/store';
import { isSecretRequestKind } from '../../messages/types';
import type { DarkConnector } from './backend';
import { OperationFollower, realTimer, type RetryTimer } from './follower';
import { SecretGateway } from './gateway';
import { ContractGuard } from './guard';
import { OperationStore } from './operations';
import { PageReads } from './page-reads';
import { PinStore } from './pins';
import { SecretReads } from './reads';
import { SecretRequests } from './requests';
import { OperationRunner } from './runner';
import { PermitService } from '../permits/service';
import { PermitStore } from '../permits/store';

export interface SecretDeps {
  connector: DarkConnector;
  accounts: Accounts;
  authorization: Authorization;
  queue: RequestQueue;
  delivery: Delivery;
  changes: Changes;
  /** The active network's endpoints and contract. */
  network(): Promise<NetworkSettings>;
  /** `storage.local`: the pinned contract keys outlive the service worker. */
  local: StorageArea;
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
  /** View permits the user's accounts issued: grant, list, revoke (../permits). */
  permits: PermitService;
  /** The user accepted the new contract key `ecdhPub` in the changed-key warning. */
  acceptContractKey(ecdhPub: string): Promise<void>;
  /** The network, its endpoints or contract changed: connect and verify afresh. */
  reset(): void;
}

export function secretServices(d: SecretDeps): SecretServices {
  const guard = new ContractGuard({
    connector: d.connector, pins: new PinStore(d.local), now: d.now,
    // Stopped means stopped: every secret approval still waiting is refused with the reason.
    onBlocked: async (block) => {
      for (const r of await d.queue.list()) if (isSecretRequestKind(r.kind)) await d.queue.reject(r.id, block.error);
      d.changes.emit('secret');
    },
  });
  const gateway = new SecretGateway(d.connector, guard, d.network);
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
    reads: new SecretReads({ gateway, accounts: d.accounts, network: d.network, ops, changes: d.changes }),
    pageReads: new PageReads({ gateway, accounts: d.accounts, authorization: d.authorization }),
    requests: new SecretRequests({ gateway, accounts: d.accounts, authorization: d.authorization, queue: d.queue, runner, network: d.network }),
    runner,
    follower,
    permits: new PermitService({ gateway, accounts: d.accounts, store: new PermitStore(d.local) }),
    acceptContractKey: async (ecdhPub) => {
      await gateway.acceptContractKey(ecdhPub);
      d.changes.emit('secret');
    },
    reset: () => gateway.reset(),
  };
}
