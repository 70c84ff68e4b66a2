/**
 * The secret workload of the fault suites: senders streaming secret transfers, withdraws and
 * deposits (`transferToTee`) at a chain that is killed and restarted under them. Commands are sealed
 * and signed offline (the chain's metadata and the contract's key are loaded once) and sent over one
 * bare JSON-RPC link that reconnects after every chain restart; each sender asks the chain for its
 * nonce again after a refusal or a cut. What was sent, accepted and seen finalized is recorded, so a
 * suite can build the model from what the chain finally holds and check that nothing was lost.
 */
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import { DarkClient } from '../../../shared/client';
import { DEFAULT_CONTRACT_ID } from '../../../shared/constants';
import { amount, NATIVE_ASSET, toHex, type AccountId } from '../../../shared/types';
import { until } from '../../helpers/until';
import {
  idOf, modelOf, RawRpc, Rng, scanChain, settle, sleep, UNIT, verify, workerHealth,
  type ChainScan, type FaultSystem, type Model, type ModelCommand, type Verdict,
} from './harness';

/** One JSON-RPC connection shared by the senders, re-opened after each chain restart. */
export class Link {
  #rpc: RawRpc | null = null;
  #opening: Promise<RawRpc> | null = null;
  constructor(private readonly url: string) {}

  get(): Promise<RawRpc> {
    if (this.#rpc && !this.#rpc.closed) return Promise.resolve(this.#rpc);
    this.#opening ??= (async () => {
      for (;;) {
        try {
          this.#rpc = await RawRpc.connect(this.url, 1000);
          return this.#rpc;
        } catch {
          await sleep(100); // retry pacing: the chain is being restarted and refuses connections
        }
      }
    })().finally(() => { this.#opening = null; });
    return this.#opening;
  }

  close(): void {
    this.#rpc?.close();
  }
}

export class SenderWorkload {
  readonly link: Link;
  /** Every sealed payload sent, with its sender and command (the model's input). */
  readonly known = new Map<string, { sender: AccountId; command: ModelCommand }>();
  /** Extrinsics a sender saw finalized (these must be on chain at the end). */
  readonly finalized = new Set<string>();
  /** Extrinsics the chain's pool accepted (a kill may still have lost them before a block). */
  readonly accepted = new Set<string>();
  readonly stats = { sent: 0, accepted: 0, refused: 0, cutOff: 0 };
  /** The senders' `system.account` storage keys, to compare account state across a chain restart. */
  readonly accountKeys: string[];
  #stopping = false;
  #drivers: Promise<void>[] = [];

  /** `signer`: an api whose metadata signs offline; `client`: seals for the contract's key. */
  constructor(chainUrl: string, private readonly signer: ApiPromise, private readonly client: DarkClient, private readonly senders: KeyringPair[], private readonly dests: KeyringPair[]) {
    this.link = new Link(chainUrl);
    this.accountKeys = senders.map((p) => signer.query.system.account.key(p.address));
  }

  /**
   * Gives every sender `deposit` of secret balance, then returns the workload (not started yet).
   * From then on `api` is used only for its metadata, to sign offline: the caller may disconnect it.
   */
  static async funded(chainUrl: string, api: ApiPromise, client: DarkClient, senders: KeyringPair[], dests: KeyringPair[], deposit: bigint): Promise<SenderWorkload> {
    await Promise.all(senders.map((p) => client.convertToSecret(p, amount(deposit))));
    return new SenderWorkload(chainUrl, api, client, senders, dests);
  }

  /** Starts every sender, sender i on its own stream `seed + i + 1`. */
  start(seed: number): void {
    this.#drivers = this.senders.map((p, i) => this.#drive(p, new Rng(seed + i + 1)));
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    await Promise.all(this.#drivers);
    this.link.close();
  }

  /** Waits for one more extrinsic finalized than now: the restarted system took work. */
  async oneMoreFinalized(what: string): Promise<void> {
    const mark = this.finalized.size;
    await until(() => this.finalized.size > mark, { what, timeoutMs: 60_000, intervalMs: 20 });
  }

  async #drive(sender: KeyringPair, r: Rng): Promise<void> {
    const { signer, client, senders, dests } = this;
    let nonce: number | null = null;
    while (!this.#stopping) {
      try {
        const rpc = await this.link.get();
        nonce ??= await rpc.call<number>('system_accountNextIndex', [sender.address]);
        const roll = r.next();
        let tx: string;
        if (roll < 0.05) {
          tx = (await signer.tx.phalaModule.transferToTee(1, BigInt(r.int(100, 1000)) * (UNIT / 1000n)).signAsync(sender, { nonce, era: 0 })).toHex();
        } else {
          const command: ModelCommand = roll < 0.12
            ? { kind: 'Withdraw', dest: idOf(r.pick(dests)), amount: amount(BigInt(r.int(1000, 2000)) * (UNIT / 1000n)) }
            : { kind: 'Transfer', asset: NATIVE_ASSET, dest: idOf(r.pick(senders.filter((p) => p !== sender))), amount: amount(BigInt(r.int(1, 10_000)) * 1_000_000n) };
          const payload = toHex(await client.sealFor(sender, command));
          this.known.set(payload, { sender: idOf(sender), command });
          tx = (await signer.tx.phalaModule.pushCommand(1, payload).signAsync(sender, { nonce, era: 0 })).toHex();
        }
        this.stats.sent++;
        await rpc.subscribe('author_submitAndWatchExtrinsic', [tx], (status) => {
          if (status && typeof status === 'object' && 'finalized' in status) this.finalized.add(tx);
        });
        this.stats.accepted++;
        this.accepted.add(tx);
        nonce++;
      } catch (e) {
        // Refused (the chain restarted without our queued nonce) or cut off: ask the chain again.
        if ((e as { rpcCode?: number }).rpcCode === 1010) this.stats.refused++;
        else this.stats.cutOff++;
        nonce = null;
      }
      // Fault timing: the senders' pace, so kills land between and during submissions.
      await sleep(r.int(30, 250));
    }
  }
}

/** Head and the senders' account storage at it, read just before a chain kill. */
export interface Survivor {
  number: number;
  hash: string;
  accounts: (string | null)[];
}

/** Reads the head and the senders' account storage at it, before a chain kill. */
export async function survivorOf(rpc: RawRpc, keys: string[]): Promise<Survivor> {
  const header = await rpc.call<{ number: string }>('chain_getHeader');
  const number = Number(header.number);
  const hash = await rpc.call<string>('chain_getBlockHash', [number]);
  const accounts = await Promise.all(keys.map((k) => rpc.call<string | null>('state_getStorage', [k, hash])));
  return { number, hash, accounts };
}

/** The head seen before a chain kill is still there after the restart, with the same hash and account state. */
export async function expectSurvived(rpc: RawRpc, keys: string[], s: Survivor): Promise<void> {
  expect(await rpc.call<string>('chain_getBlockHash', [s.number])).toBe(s.hash);
  expect(await Promise.all(keys.map((k) => rpc.call<string | null>('state_getStorage', [k, s.hash])))).toEqual(s.accounts);
}

/**
 * Waits until the worker at `url` has processed `head`, failing only once it has stopped advancing
 * for STALL_MS: after a long run on loaded cores several workers may be thousands of blocks behind
 * (each verifies every block) and catch up at their own pace, which is not a fault.
 */
async function caughtUp(url: string, head: number, what: string): Promise<void> {
  let best = -1;
  let since = Date.now();
  for (;;) {
    const at = await workerHealth(url).then((h) => h.lastBlock, () => best);
    if (at >= head) return;
    if (at > best) [best, since] = [at, Date.now()];
    if (Date.now() - since > STALL_MS) throw new Error(`${what} stopped at block #${best} of #${head} for ${STALL_MS} ms`);
    await sleep(500); // polling pace
  }
}
const STALL_MS = 60_000;

export interface RunCheck {
  head: number;
  scan: ChainScan;
  model: Model;
  /** One verdict per worker, in worker order. */
  verdicts: Verdict[];
  droppedWithPool: number;
  settleMs: number;
}

/**
 * The end of a fault run, once the workload has stopped: every head seen before a chain kill is
 * still there; the model is built from what the chain holds (no command the senders did not send);
 * nothing a sender saw finalized is lost; each sender's nonce counts exactly its included
 * extrinsics; every receipt is paid and nothing arrives after the head; and every worker's ledger
 * (balances, every history entry) equals the model, every receipt paid exactly once.
 */
export async function checkRun(sys: FaultSystem, api: ApiPromise, workload: SenderWorkload, senders: KeyringPair[], dests: KeyringPair[], survivors: Survivor[]): Promise<RunCheck> {
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  for (const s of survivors) expect((await api.rpc.chain.getBlockHash(s.number)).toHex()).toBe(s.hash);
  for (let i = 0; i < sys.workers.length; i++) await caughtUp(sys.workerUrlOf(i), head, `worker ${i}`);

  const scan = await scanChain(api, 1, head);
  const { model, unknown } = modelOf(scan, workload.known);
  expect(unknown).toBe(0);
  const lost = [...workload.finalized].filter((tx) => !scan.extrinsics.has(tx));
  expect(lost).toEqual([]);
  const droppedWithPool = [...workload.accepted].filter((tx) => !scan.extrinsics.has(tx)).length;
  for (const p of senders) expect((await api.rpc.system.accountNextIndex(p.address)).toNumber()).toBe(scan.signed.get(idOf(p)));

  const settleStart = Date.now();
  for (const w of sys.workers) await settle(api, w!, model.receipts.map((r) => r.seq), 120_000);
  const settleMs = Date.now() - settleStart;
  const after = await scanChain(api, head + 1);
  expect(after.commands).toEqual([]);
  expect(after.deposits).toEqual([]);
  scan.payouts.push(...after.payouts);
  // The workers never disagreed on their ledger (a diverged worker would stop relaying).
  expect([...scan.checkpointMismatches, ...after.checkpointMismatches]).toEqual([]);
  const verdicts: Verdict[] = [];
  for (let i = 0; i < sys.workers.length; i++) {
    const pinned = await DarkClient.connect({ api, workerUrl: sys.workerUrlOf(i), contractId: DEFAULT_CONTRACT_ID });
    verdicts.push(await verify(api, pinned, [...senders, ...dests], model, scan));
  }
  return { head, scan, model, verdicts, droppedWithPool, settleMs };
}

/**
 * The restarts after which nothing was included before the next restart (or the head): each one must
 * have taken work, so a run cannot pass with a system that only came back idle.
 */
export function idleRestarts(cycles: { n: number; headAfter: number }[], scan: ChainScan, head: number): number[] {
  const included = [...scan.commands, ...scan.deposits].map((x) => x.block);
  return cycles.filter((c, i) => {
    const next = cycles[i + 1]?.headAfter ?? head; // up to the next restart
    return !included.some((b) => b > c.headAfter && b <= next);
  }).map((c) => c.n);
}
