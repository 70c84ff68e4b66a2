/**
 * Chain metadata definitions the user accepted from dApps (`metadata.provide`), per network (genesis
 * hash) and spec version: a transaction built just before a runtime upgrade still decodes with the
 * metadata it was built for. The newest `SPEC_VERSIONS_KEPT` of each network are kept (raw metadata
 * is about 1 MB).
 */
import type { InjectedMetadataKnown, MetadataDef } from '@polkadot/extension-inject/types';
import { MAX_MESSAGE_CHARS } from '../../messages/constants';
import { Store, isRecord, type StorageArea } from '../storage/store';
import { hex, integer, invalid, record, string } from '../validate';

export const SPEC_VERSIONS_KEPT = 2;

/** genesis hash → spec version → definition. */
type Defs = Record<string, Record<string, MetadataDef>>;

const isDef = (x: unknown): x is MetadataDef => isRecord(x) && typeof x.genesisHash === 'string' && typeof x.specVersion === 'number';

/** Only definitions that passed `parseMetadataDef` are ever stored; the layout before networks held one per genesis. */
function parseDefs(raw: unknown): Defs {
  const out: Defs = {};
  for (const [genesis, entry] of Object.entries(isRecord(raw) ? raw : {})) {
    const defs = isDef(entry) ? [entry] : Object.values(isRecord(entry) ? entry : {}).filter(isDef);
    out[genesis] = Object.fromEntries(defs.filter((d) => d.genesisHash === genesis).map((d) => [String(d.specVersion), d]));
  }
  return out;
}

const newest = (defs: Record<string, MetadataDef> | undefined): MetadataDef | undefined =>
  Object.values(defs ?? {}).sort((a, b) => b.specVersion - a.specVersion)[0];

export class MetadataStore {
  readonly #store: Store<Defs>;

  constructor(local: StorageArea) {
    this.#store = new Store(local, 'metadata', parseDefs);
  }

  /** The definition for `specVersion` when kept, else the network's newest. */
  async get(genesisHash: string, specVersion?: number): Promise<MetadataDef | undefined> {
    const defs = (await this.#store.get())[genesisHash];
    return (specVersion === undefined ? undefined : defs?.[String(specVersion)]) ?? newest(defs);
  }

  /** Only the exact spec version, or nothing. */
  async exact(genesisHash: string, specVersion: number): Promise<MetadataDef | undefined> {
    return (await this.#store.get())[genesisHash]?.[String(specVersion)];
  }

  /** The newest spec version of each network (what a dApp compares before providing). */
  async known(): Promise<InjectedMetadataKnown[]> {
    return Object.values(await this.#store.get()).flatMap((defs) => {
      const def = newest(defs);
      return def ? [{ genesisHash: def.genesisHash, specVersion: def.specVersion }] : [];
    });
  }

  async save(def: MetadataDef): Promise<void> {
    await this.#store.update((all) => {
      const kept = [def, ...Object.values(all[def.genesisHash] ?? {}).filter((d) => d.specVersion !== def.specVersion)]
        .sort((a, b) => b.specVersion - a.specVersion)
        .slice(0, SPEC_VERSIONS_KEPT);
      return { ...all, [def.genesisHash]: Object.fromEntries(kept.map((d) => [String(d.specVersion), d])) };
    });
  }
}

/** A dApp-provided definition, checked field by field; unknown fields are dropped. */
export function parseMetadataDef(input: unknown): MetadataDef {
  const d = record(input, 'the metadata definition');
  const types = d.types === undefined ? {} : record(d.types, '"types"');
  const userExtensions = d.userExtensions === undefined ? undefined : record(d.userExtensions, '"userExtensions"');
  const chainType = d.chainType === undefined ? undefined : d.chainType;
  if (chainType !== undefined && chainType !== 'substrate' && chainType !== 'ethereum') throw invalid('Send "chainType" as "substrate" or "ethereum".');
  return {
    chain: string(d.chain, 'chain', 128),
    genesisHash: hex(d.genesisHash, 'genesisHash', 66),
    icon: typeof d.icon === 'string' ? string(d.icon, 'icon', 64) : 'substrate',
    ss58Format: integer(d.ss58Format, 'ss58Format', 0, 16383),
    specVersion: integer(d.specVersion, 'specVersion', 0, 0xffff_ffff),
    tokenDecimals: integer(d.tokenDecimals, 'tokenDecimals', 0, 38),
    tokenSymbol: string(d.tokenSymbol, 'tokenSymbol', 16),
    types: types as MetadataDef['types'],
    ...(typeof d.color === 'string' ? { color: string(d.color, 'color', 32) } : {}),
    ...(chainType ? { chainType } : {}),
    ...(d.rawMetadata !== undefined ? { rawMetadata: hex(d.rawMetadata, 'rawMetadata', MAX_MESSAGE_CHARS) } : {}),
    ...(d.metaCalls !== undefined ? { metaCalls: string(d.metaCalls, 'metaCalls', 1024 * 1024) } : {}),
    ...(userExtensions ? { userExtensions: userExtensions as MetadataDef['userExtensions'] } : {}),
  };
}
