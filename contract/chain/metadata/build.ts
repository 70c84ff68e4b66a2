/**
 * Builds the dev chain's V14 metadata (and the same as V15, with its RFC-78 hash: v15.ts): the static kitchensink metadata shipped with
 * @polkadot/types-support, cut down to System, Timestamp, Balances, TransactionPayment, Grandpa and Sudo
 * (only the calls this runtime implements), plus PhalaModule at index 100. Pallet indices, type
 * shapes and storage hashers stay those of real Substrate, so any Substrate client decodes us.
 */
import { Metadata, TypeRegistry } from '@polkadot/types';
import staticSubstrate from '@polkadot/types-support/metadata/static-substrate';
import { u8aToHex } from '@polkadot/util';
import { COMMAND_ENVELOPE_SIZE, MAX_COMMAND_BATCH } from '../../../shared/constants';
import { PHALA_PALLET_ID } from '../../../shared/protocol/custody';
import { BLOCK_HASH_COUNT, CHAIN_PROPERTIES, EXISTENTIAL_DEPOSIT, RUNTIME_VERSION, type ChainProperties } from '../config';
import { declareGrandpaCalls } from './grandpa';
import { phalaPallet } from './phala';
import { prune, TypeTable, type ConstantJson, type MetadataV14Json, type PalletJson, type VariantJson } from './portable';
import { encodeV15, metadataDigest, prefixed, v15Roots } from './v15';

/** Kept pallets and the calls of each that the runtime dispatches (snake_case, as in metadata). */
const KEPT_CALLS: Record<string, readonly string[]> = {
  System: ['remark'],
  Timestamp: ['set'],
  Balances: ['transfer_allow_death', 'transfer_keep_alive', 'transfer_all', 'force_set_balance'],
  TransactionPayment: [],
  Sudo: ['sudo', 'set_key'],
  // Its calls are replaced by `schedule_change` (declareGrandpaCalls).
  Grandpa: [],
};

/**
 * The signed extensions we check, in polkadot-sdk's order; all known to polkadot-js, so its signers
 * need no configuration. CheckMetadataHash (RFC-78): extra `mode: u8`, additional `Option<[u8; 32]>`.
 */
const SIGNED_EXTENSIONS = [
  'CheckNonZeroSender', 'CheckSpecVersion', 'CheckTxVersion', 'CheckGenesis', 'CheckMortality', 'CheckNonce',
  'CheckWeight', 'ChargeTransactionPayment', 'CheckMetadataHash',
];

const RUNTIME_PATH = 'dark_wallet_runtime';

export interface RuntimeMetadata {
  /** A registry with this metadata set: decodes our extrinsics, events and storage. */
  registry: TypeRegistry;
  metadata: Metadata;
  /** SCALE `RuntimeMetadataPrefixed`, as served by `state_getMetadata`. */
  bytes: Uint8Array;
  /** The same metadata as V15 (`Metadata_metadata_at_version(15)`). */
  v15: Uint8Array;
  /** Its RFC-78 hash (with this chain's properties): what CheckMetadataHash mode 1 signs. Computed on first use. */
  metadataHash(): Uint8Array;
  /** The address format and token this chain declares (`system_properties`, `System.SS58Prefix`). */
  properties: ChainProperties;
}

export function buildMetadata(properties: ChainProperties = CHAIN_PROPERTIES): RuntimeMetadata {
  const plain = new TypeRegistry();
  const base = new Metadata(plain, staticSubstrate).asV14.toJSON() as unknown as MetadataV14Json;
  const table = new TypeTable(base.lookup.types);

  const kept = base.pallets.filter((p) => p.name in KEPT_CALLS);
  for (const p of kept) {
    if (p.calls) keepVariants(table, p.calls.type, (v) => KEPT_CALLS[p.name].includes(v.name));
    p.constants = p.constants.map((c) => overrideConstant(plain, p.name, c, properties));
  }
  declareGrandpaCalls(table, kept.find((p) => p.name === 'Grandpa')!);
  const phala = phalaPallet(table, {
    palletId: u8aToHex(PHALA_PALLET_ID),
    commandEnvelopeSize: scale(plain, 'u32', COMMAND_ENVELOPE_SIZE),
    maxCommandBatch: scale(plain, 'u32', MAX_COMMAND_BATCH),
  });
  const pallets = [...kept, phala];
  rewriteRuntimeEnums(table, pallets);
  const extrinsic = { ...base.extrinsic, signedExtensions: signedExtensions(table, base) };

  const roots = v15Roots(table, base.extrinsic.type, pallets, RUNTIME_PATH);

  const json = prune({ lookup: { types: table.types }, pallets, extrinsic, type: base.type, v15: roots });
  const registry = new TypeRegistry();
  const { v15: _, ...v14Json } = json;
  const bytes = prefixed(14, registry.createType('MetadataV14', v14Json).toU8a());
  const v15 = encodeV15(registry, json);
  const metadata = new Metadata(registry, bytes);
  registry.setMetadata(metadata);
  registry.setChainProperties(registry.createType('ChainProperties', properties));
  let digest: Uint8Array | undefined;
  return { registry, metadata, bytes, v15, properties, metadataHash: () => (digest ??= metadataDigest(v15, properties)) };
}

/** SCALE as hex (a number's `toHex()` is its big-endian value, not its encoding). */
const scale = (registry: TypeRegistry, type: string, value: unknown) => u8aToHex(registry.createType(type, value).toU8a());

function keepVariants(table: TypeTable, id: number, keep: (v: VariantJson) => boolean): void {
  const t = table.get(id);
  if (!('variant' in t.def)) throw new Error(`Type ${t.path.join('::')} is not an enum.`);
  table.set(id, { ...t, def: { variant: { variants: t.def.variant.variants.filter(keep) } } });
}

/** Constants clients read to reason about this chain: they must describe our runtime, not kitchensink's. */
function overrideConstant(plain: TypeRegistry, pallet: string, c: ConstantJson, properties: ChainProperties): ConstantJson {
  const value = (() => {
    switch (`${pallet}.${c.name}`) {
      case 'System.Version': return scale(plain, 'RuntimeVersion', RUNTIME_VERSION);
      case 'System.SS58Prefix': return scale(plain, 'u16', properties.ss58Format);
      case 'System.BlockHashCount': return scale(plain, 'u32', BLOCK_HASH_COUNT);
      case 'Balances.ExistentialDeposit': return scale(plain, 'u128', EXISTENTIAL_DEPOSIT);
      default: return c.value;
    }
  })();
  return { ...c, value };
}

/**
 * The runtime-level enums (RuntimeCall, RuntimeEvent, hold reasons…) list every kitchensink pallet:
 * keep only ours, add PhalaModule to RuntimeCall/RuntimeEvent, and name the runtime after us.
 */
function rewriteRuntimeEnums(table: TypeTable, pallets: PalletJson[]): void {
  const names = new Set(pallets.map((p) => p.name));
  const phala = pallets[pallets.length - 1];
  const outer: Record<string, number | undefined> = { RuntimeCall: phala.calls?.type, RuntimeEvent: phala.events?.type };
  for (const { id, type } of [...table.types]) {
    if (type.path[0] !== 'kitchensink_runtime') continue;
    const path = [RUNTIME_PATH, ...type.path.slice(1)];
    if (!('variant' in type.def)) {
      table.set(id, { ...type, path });
      continue;
    }
    const variants = type.def.variant.variants.filter((v) => names.has(v.name));
    const inner = outer[type.path[1]];
    if (inner !== undefined) {
      variants.push({ name: phala.name, index: phala.index, fields: [{ name: null, type: inner, typeName: null, docs: [] }], docs: [] });
    }
    table.set(id, { ...type, path, def: { variant: { variants } } });
  }
}

/** Replaces kitchensink's asset-based fee payment with plain ChargeTransactionPayment; keeps the rest of SIGNED_EXTENSIONS as kitchensink declares them. */
function signedExtensions(table: TypeTable, base: MetadataV14Json) {
  const empty = table.def({ tuple: [] });
  const tip = table.def({ compact: { type: table.primitive('U128') } });
  const charge = table.intern({
    path: ['pallet_transaction_payment', 'ChargeTransactionPayment'],
    params: [],
    def: { composite: { fields: [{ name: null, type: tip, typeName: 'BalanceOf<T>', docs: [] }] } },
    docs: [],
  });
  const existing = new Map(base.extrinsic.signedExtensions.map((s) => [s.identifier, s]));
  const list = SIGNED_EXTENSIONS.map((identifier) =>
    identifier === 'ChargeTransactionPayment'
      ? { identifier, type: charge, additionalSigned: empty }
      : existing.get(identifier)!);

  // UncheckedExtrinsic<…, Extra> names the extension tuple: keep it in step with the list.
  const unchecked = table.get(base.extrinsic.type);
  const extraParam = unchecked.params.find((p) => p.name === 'Extra');
  if (extraParam?.type != null) table.set(extraParam.type, { ...table.get(extraParam.type), def: { tuple: list.map((s) => s.type) } });
  return list;
}
