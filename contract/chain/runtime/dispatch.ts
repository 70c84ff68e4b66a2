/**
 * Routing of calls to pallet handlers, with Substrate's dispatch semantics: every call runs in its
 * own storage layer and event buffer, which are kept on success and discarded on failure.
 */
import type { Call } from '@polkadot/types/interfaces';
import type { Codec } from '@polkadot/types/types';
import { stringCamelCase } from '@polkadot/util';
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

/** Arguments by camelCase name, as the metadata declares them. */
export type Args = Record<string, Codec>;

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

export interface CallHandler {
  /** refTime; a function when the weight depends on the arguments (a nested call). */
  weight: bigint | ((args: Args, weigh: (call: Call) => bigint) => bigint);
  /** Mandatory calls are inherents the block author adds; they never come from the pool. */
  class?: 'Normal' | 'Mandatory';
  /** May be submitted unsigned because its arguments authenticate it. */
  unsigned?: boolean;
  /** Checked at submission and again at inclusion: failing here keeps the transaction off chain. */
  validate?(ctx: ValidateContext, args: Args): void;
  /** Throws DispatchFailure: the transaction is included, its fee paid, its effects discarded. */
  dispatch(ctx: CallContext, args: Args): void;
}

/** Handlers by camelCase section, then camelCase method (`balances.transferKeepAlive`). */
export type CallTables = Record<string, Record<string, CallHandler>>;

/** Call arguments by camelCase name (@polkadot/types keeps the metadata's snake_case). */
export const argsOf = (call: Call): Args => Object.fromEntries(call.argsEntries.map(([name, value]) => [stringCamelCase(name), value]));

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

  handler(call: Call): CallHandler {
    const h = this.tables[call.section]?.[call.method];
    if (!h) throw invalidTx(Invalid.call);
    return h;
  }

  weigh = (call: Call): bigint => {
    const { weight } = this.handler(call);
    return typeof weight === 'bigint' ? weight : weight(argsOf(call), this.weigh);
  };

  /** Throws TxRejected (1010, with the pallet error's name and docs) when the call must stay off chain. */
  validate(ctx: ValidateContext, call: Call): void {
    try {
      this.handler(call).validate?.(ctx, argsOf(call));
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
      const args = argsOf(call);
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
