/** Chain metadata definitions the user accepted from dApps (`metadata.provide`), by genesis hash. */
import type { InjectedMetadataKnown, MetadataDef } from '@polkadot/extension-inject/types';
import { MAX_MESSAGE_CHARS } from '../../messages/constants';
import { Store, isRecord, type StorageArea } from '../storage/store';
import { hex, integer, invalid, record, string } from '../validate';

type Defs = Record<string, MetadataDef>;

export class MetadataStore {
  readonly #store: Store<Defs>;

  constructor(local: StorageArea) {
    // Only definitions that passed `parseMetadataDef` are ever stored.
    this.#store = new Store(local, 'metadata', (raw) => (isRecord(raw) ? (raw as Defs) : {}));
  }

  async get(genesisHash: string): Promise<MetadataDef | undefined> {
    return (await this.#store.get())[genesisHash];
  }

  async known(): Promise<InjectedMetadataKnown[]> {
    return Object.values(await this.#store.get()).map(({ genesisHash, specVersion }) => ({ genesisHash, specVersion }));
  }

  async save(def: MetadataDef): Promise<void> {
    await this.#store.update((defs) => ({ ...defs, [def.genesisHash]: def }));
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
