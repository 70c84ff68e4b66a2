/**
 * Routing of calls to pallet handlers, with Substrate's dispatch semantics: every call runs in its
 * own storage layer and event buffer, which are kept on success and discarded on failure.
 */
import type { Struct } from '@polkadot/types';
import type { Call } from '@polkadot/types/interfaces';
import type { Codec } from '@polkadot/types/types';
import type { AccountId } from '../../../shared/types';
import type { RuntimeCodec } from './codec';
import { DispatchFailure, Invalid, invalidTx, type DispatchErrorValue } from './errors';
import type { Storage } from './storage';

export type Origin = { kind: 'signed'; who: AccountId } | { kind: 'root' } | { kind: 'none' };

export interface BlockEnv {
  /** Number of the block being built. */
  number: number;
  genesisHash: Uint8Array;
}

/**
 * A call's arguments by name, as polkadot-js names a call's fields (camelCase; `hash_`, `new_` for
 * names a codec reserves). What the dispatcher hands every handler before it knows the call.
 */
type RawArgs = Record<string, Codec>;

/**
 * The typed arguments of each call of a pallet, read off its polkadot-js call enum (the `Pallet…Call`
 * lookup types: `asTransferKeepAlive: { dest: MultiAddress; value: Compact<u128> } & Struct`), so a
 * handler that names an argument the metadata does not have does not compile.
 */
export type CallArgsOf<E> = {
  [K in keyof E as K extends `as${infer M}` ? Uncapitalize<M> : never]: Omit<E[K], keyof Struct>;
};

/** Handlers for the calls `M` of the pallet whose call enum is `E`. */
export type CallTable<E, M extends keyof CallArgsOf<E> = keyof CallArgsOf<E>> = {
  [K in M]: CallHandler<CallArgsOf<E>[K]>;
};

export interface ValidateContext {
  storage: Storage;
  origin: Origin;
  env: BlockEnv;
}

export interface CallContext extends ValidateContext {
  deposit(pallet: string, name: string, fields?: Record<string, unknown>): void;
  /** Dispatches a nested call in its own layer (Sudo); returns its error, if any. */
  dispatchNested(call: Call, origin: Origin): DispatchErrorValue | null;
}

/**
 * One call's semantics. Its methods take the call's own argument type; the dispatcher, which only
 * learns the call at run time, holds them as `CallHandler<RawArgs>` (method parameters are bivariant).
 */
export interface CallHandler<A = RawArgs> {
  /** refTime. */
  weight: bigint;
  /** Added to `weight` when it depends on the arguments (the nested call of Sudo). */
  extraWeight?(args: A, weigh: (call: Call) => bigint): bigint;
  /** Mandatory calls are inherents the block author adds; they never come from the pool. */
  class?: 'Normal' | 'Mandatory';
  /** May be submitted unsigned because its arguments authenticate it. */
  unsigned?: boolean;
  /** Checked at submission and again at inclusion: failing here keeps the transaction off chain. */
  validate?(ctx: ValidateContext, args: A): void;
  /** Throws DispatchFailure: the transaction is included, its fee paid, its effects discarded. */
  dispatch(ctx: CallContext, args: A): void;
}

/** Handlers by camelCase section, then camelCase method (`balances.transferKeepAlive`). */
export type CallTables = Record<string, Record<string, CallHandler>>;

/** Refuses any origin but root, as `ensure_root` does. */
export function ensureRoot(origin: Origin): void {
  if (origin.kind !== 'root') throw new DispatchFailure('BadOrigin');
}

export function ensureSigned(origin: Origin): AccountId {
  if (origin.kind !== 'signed') throw new DispatchFailure('BadOrigin');
  return origin.who;
}

export class Dispatcher {
  constructor(
    private readonly codec: RuntimeCodec,
    private readonly tables: CallTables,
  ) {}

  readonly #argNames = new Map<string, string[]>();

  /** Names the arguments as polkadot-js names the call's fields (the names `CallArgsOf` reads). */
  argsOf(call: Call): RawArgs {
    const id = `${call.section}.${call.method}`;
    let names = this.#argNames.get(id);
    if (!names) {
      const { lookup } = this.codec.registry;
      names = call.meta.fields.map((f, i) => lookup.sanitizeField(f.name)[0] ?? String(i));
      this.#argNames.set(id, names);
    }
    const args = call.args;
    return Object.fromEntries(names.map((name, i) => [name, args[i]]));
  }

  handler(call: Call): CallHandler {
    const h = this.tables[call.section]?.[call.method];
    if (!h) throw invalidTx(Invalid.call);
    return h;
  }

  weigh = (call: Call): bigint => {
    const h = this.handler(call);
    return h.weight + (h.extraWeight?.(this.argsOf(call), this.weigh) ?? 0n);
  };

  /** Throws TxRejected (1010, with the pallet error's name and docs) when the call must stay off chain. */
  validate(ctx: ValidateContext, call: Call): void {
    try {
      this.handler(call).validate?.(ctx, this.argsOf(call));
    } catch (e) {
      if (e instanceof DispatchFailure) throw invalidTx(this.codec.describeError(e.error));
      throw e;
    }
  }

  /**
   * Runs `call`; on success its writes reach `parent` and its events reach `emit`. `validated`
   * skips the handler's validation when the caller has just run it (a pooled transaction).
   */
  dispatch(
    parent: Storage, env: BlockEnv, call: Call, origin: Origin, emit: (event: Uint8Array) => void, validated = false,
  ): DispatchErrorValue | null {
    const handler = this.handler(call);
    const storage = parent.layer();
    const events: Uint8Array[] = [];
    const ctx: CallContext = {
      storage,
      origin,
      env,
      deposit: (pallet, name, fields) => events.push(this.codec.event(pallet, name, fields)),
      dispatchNested: (inner, innerOrigin) => this.dispatch(storage, env, inner, innerOrigin, (e) => events.push(e)),
    };
    try {
      const args = this.argsOf(call);
      if (!validated) handler.validate?.(ctx, args);
      handler.dispatch(ctx, args);
    } catch (e) {
      if (e instanceof DispatchFailure) return this.codec.dispatchError(e.error);
      throw e;
    }
    storage.commitInto(parent);
    events.forEach(emit);
    return null;
  }
}
