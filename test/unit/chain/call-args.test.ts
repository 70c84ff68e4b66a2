/**
 * The pallets take their call arguments typed from polkadot-js call enums (`CallArgsOf`): Substrate's
 * own lookup types for System, Timestamp, Balances and Sudo, shared/protocol/phala-augment.ts for
 * PhalaModule, the dev chain's own call enum for Grandpa's `scheduleChange`. TypeScript checks the handlers against those types; this checks those types against
 * the metadata the chain serves, so neither side can drift: every call, every argument, same names.
 */
import type { FrameSystemCall, PalletBalancesCall, PalletSudoCall, PalletTimestampCall } from '@polkadot/types/lookup';
import { stringCamelCase } from '@polkadot/util';
import { buildMetadata } from '../../../contract/chain/metadata/build';
import type { CallArgsOf } from '../../../contract/chain/runtime/dispatch';
import type { GrandpaScheduleChangeCall } from '../../../contract/chain/runtime/pallets/grandpa';
import type { PalletPhalaCall } from '../../../shared/protocol/phala-augment';

/** Every argument of every listed call, exactly: the compiler refuses a missing or an extra name. */
type Fields<T> = { [M in keyof T]: { [F in keyof T[M]]-?: true } };
const both = <T>(fields: Fields<T>) => fields;

const declared: Record<string, Record<string, Record<string, true>>> = {
  System: both<Pick<CallArgsOf<FrameSystemCall>, 'remark'>>({ remark: { remark: true } }),
  Timestamp: both<Pick<CallArgsOf<PalletTimestampCall>, 'set'>>({ set: { now: true } }),
  Balances: both<Pick<CallArgsOf<PalletBalancesCall>, 'transferAllowDeath' | 'transferKeepAlive' | 'transferAll' | 'forceSetBalance'>>({
    transferAllowDeath: { dest: true, value: true },
    transferKeepAlive: { dest: true, value: true },
    transferAll: { dest: true, keepAlive: true },
    forceSetBalance: { who: true, newFree: true },
  }),
  Sudo: both<Pick<CallArgsOf<PalletSudoCall>, 'sudo' | 'setKey'>>({ sudo: { call: true }, setKey: { new_: true } }),
  Grandpa: both<CallArgsOf<GrandpaScheduleChangeCall>>({ scheduleChange: { nextAuthorities: true, delay: true } }),
  PhalaModule: both<CallArgsOf<PalletPhalaCall>>({
    pushCommand: { contractId: true, payload: true },
    transferToTee: { contractId: true, amount: true },
    transferToChain: { receipt: true, signature: true },
    registerWorker: { identityPub: true, ecdhPub: true, attestation: true },
    createContract: {},
    addMeasurement: { hash_: true },
    removeMeasurement: { hash_: true },
    setTcbPolicy: { acceptedStatuses: true, maxCollateralAgeMs: true },
    transferToChainBatch: { receipts: true },
    pushCommands: { contractId: true, payloads: true },
    handoverKey: { contractId: true, recipient: true, sender: true, sealedKeys: true, signature: true },
    submitCheckpoint: { checkpoint: true, signature: true },
    setWorkerEndpoint: { identityPub: true, endpoint: true, signature: true },
  }),
};

test('the typed call arguments name exactly the calls and arguments of the served metadata', () => {
  const { registry, metadata } = buildMetadata();
  const served: Record<string, Record<string, string[]>> = {};
  for (const p of metadata.asLatest.pallets) {
    if (p.calls.isNone) continue;
    const variants = registry.lookup.getSiType(p.calls.unwrap().type).def.asVariant.variants;
    // The names the dispatcher hands to handlers (Dispatcher.argsOf): polkadot-js's field names.
    served[p.name.toString()] = Object.fromEntries(variants.map((v) => [
      stringCamelCase(v.name.toString()), v.fields.map((f) => registry.lookup.sanitizeField(f.name)[0]!),
    ]));
  }
  const typed = Object.fromEntries(Object.entries(declared).map(([pallet, calls]) => [
    pallet, Object.fromEntries(Object.entries(calls).map(([call, args]) => [call, Object.keys(args)])),
  ]));
  expect(typed).toEqual(served);
});
