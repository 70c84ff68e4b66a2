/**
 * The enclave's light client: it believes the chain, never the host. Configured with the genesis hash
 * and the hash of the runtime metadata, it starts from the GRANDPA authority set proven against the
 * genesis state root, then accepts runs of blocks only when each header links to the one before, the
 * run ends in a block finalized by a justification of the current set, every authority-set change is
 * followed as GRANDPA enacts it, each body hashes to its `extrinsicsRoot`, and `System::Events` (and
 * any other storage asked for) is proven against each `stateRoot`.
 *
 * Pure: bytes in, a new state and verified facts out. `ingest` throws a typed LightClientError and
 * returns nothing on any refusal, so the caller's state is replaced only by a fully verified result.
 */
import { equalBytes } from '@noble/curves/utils.js';
import { BadProof, verifyReadProof, type ProvenValues } from '../../../shared/trie';
import { blake2_256 } from '../../../shared/trie/codec';
import { hash32, type Hash } from '../../../shared/types';
import { decodeVersionedAuthorityList, type AuthoritySet } from './authority-set';
import { scheduledChangeOf } from './consensus-log';
import { refuse } from './errors';
import { decodeEvents, eventsType } from './events';
import { checkBody, decodeBody } from './extrinsics';
import { decodeHeader, type Header } from './header';
import { verifyJustification } from './justification';
import { ledgerInputs, type LedgerInputs } from './ledger-inputs';
import { decodeMetadata, type RuntimeMetadata } from './metadata';
import type { LightClientState } from './state';
import { GRANDPA_AUTHORITIES_KEY, GRANDPA_SET_ID_KEY, SYSTEM_EVENTS_KEY } from './storage-keys';
import { decodeOrRefuse } from './scale';
import { ValueDecoder } from './value';

export interface LightClientConfig {
  genesisHash: Uint8Array;
  /** blake2-256 of the SCALE runtime metadata (`state_getMetadata`) the events are decoded with. */
  metadataHash: Uint8Array;
  /** Further storage keys (hex) to prove in every block, e.g. the contract's PhalaModule entries. */
  storageKeys?: readonly string[];
}

/** One block as the host fetched it: `chain_getBlock`'s header and extrinsics, its FRNK justification, a read proof. */
export interface BlockInput {
  header: Uint8Array;
  /** Required on the last block of a run and on a block that enacts an authority-set change. */
  justification: Uint8Array | null;
  extrinsics: readonly Uint8Array[];
  /** `state_getReadProof([System.Events, ...storageKeys], hash)` nodes. */
  proof: readonly Uint8Array[];
}

export interface VerifiedBlock {
  number: number;
  hash: Hash;
  inputs: LedgerInputs;
  /** The proven values of `storageKeys` (`null` when absent). */
  storage: ProvenValues;
}


function proveStorage(header: Header, proof: readonly Uint8Array[], keys: readonly string[]): ProvenValues {
  try {
    return verifyReadProof(header.stateRoot, proof, keys);
  } catch (e) {
    if (e instanceof BadProof) throw refuse('BadProof', `A read proof does not prove its keys against block ${header.number}'s state root (${e.reason}).`);
    throw e;
  }
}

export class LightClient {
  readonly #config: LightClientConfig;
  readonly #metadata: RuntimeMetadata;
  readonly #values: ValueDecoder;
  readonly #eventsType: number;
  readonly #keys: string[];

  /** `metadata` is untrusted bytes from the host: it must hash to the configured `metadataHash`. */
  constructor(config: LightClientConfig, metadata: Uint8Array) {
    if (config.genesisHash.length !== 32 || config.metadataHash.length !== 32) throw refuse('BadConfig', 'The genesis and metadata hashes are 32 bytes.');
    if (!equalBytes(blake2_256(metadata), config.metadataHash)) throw refuse('BadConfig', 'The runtime metadata is not the one the configuration pins.');
    this.#config = config;
    this.#metadata = decodeMetadata(metadata);
    this.#values = new ValueDecoder(this.#metadata);
    this.#eventsType = eventsType(this.#metadata);
    this.#keys = [SYSTEM_EVENTS_KEY, ...(config.storageKeys ?? [])];
  }

  /**
   * The starting state: the genesis header (it must hash to the configured genesis hash) and a read
   * proof of `:grandpa_authorities` and `Grandpa::CurrentSetId` (absent means set 0) against its state root.
   */
  genesis(headerBytes: Uint8Array, proof: readonly Uint8Array[]): LightClientState {
    const header = decodeHeader(headerBytes);
    if (header.number !== 0 || !equalBytes(header.hash, this.#config.genesisHash)) throw refuse('BadConfig', 'The genesis header does not hash to the configured genesis hash.');
    const values = proveStorage(header, proof, [GRANDPA_AUTHORITIES_KEY, GRANDPA_SET_ID_KEY]);
    const list = values.get(GRANDPA_AUTHORITIES_KEY);
    if (!list) throw refuse('BadConfig', 'The genesis state holds no GRANDPA authority set.');
    const setIdBytes = values.get(GRANDPA_SET_ID_KEY);
    const setId = setIdBytes ? decodeOrRefuse('BadConfig', 'Grandpa.CurrentSetId', setIdBytes, (r) => r.u64()) : 0n;
    const set: AuthoritySet = { setId, authorities: decodeVersionedAuthorityList(list, 'BadConfig') };
    return { lastHash: header.hash, lastNumber: 0, set, pending: null };
  }

  /**
   * Storage at the last accepted (finalized) block: `header` must hash to `state.lastHash` and
   * `proof` must prove `keys` against its state root. What the host says about the chain's current
   * state is believed only this way (DESIGN.md §11: a keyholder checks a handover recipient so).
   */
  proveAt(state: LightClientState, headerBytes: Uint8Array, proof: readonly Uint8Array[], keys: readonly string[]): ProvenValues {
    const header = decodeHeader(headerBytes);
    if (header.number !== state.lastNumber || !equalBytes(header.hash, state.lastHash)) {
      throw refuse('BadProof', `The header given is not the last accepted block ${state.lastNumber}.`);
    }
    return proveStorage(header, proof, keys);
  }

  /** Verifies a run of consecutive blocks after `state`; returns the state after them and what they hold. */
  ingest(state: LightClientState, blocks: readonly BlockInput[]): { state: LightClientState; blocks: VerifiedBlock[] } {
    if (blocks.length === 0) return { state, blocks: [] };
    if (blocks[blocks.length - 1].justification === null) throw refuse('NotFinalized', 'The last block of a run carries no GRANDPA justification.');
    let { lastHash, lastNumber, set, pending } = state;
    const verified: VerifiedBlock[] = [];
    for (const block of blocks) {
      const header = decodeHeader(block.header);
      if (!equalBytes(header.parentHash, lastHash)) throw refuse('BrokenParentLink', `Block ${header.number}'s parent is not the last accepted block.`);
      if (header.number !== lastNumber + 1) throw refuse('BadHeader', `A block numbered ${header.number} follows block ${lastNumber}.`);
      if (header.digest.some((d) => d.kind === 'runtimeEnvironmentUpdated')) throw refuse('RuntimeUpgraded', 'The runtime changed: the enclave must be configured with the new metadata.');

      const change = scheduledChangeOf(header);
      if (change !== null) {
        if (pending !== null) throw refuse('UnsupportedAuthorityChange', 'A GRANDPA change is scheduled while another is pending.');
        pending = { enactAt: header.number + change.delay, nextAuthorities: change.nextAuthorities };
      }
      const enacts = pending !== null && pending.enactAt === header.number;
      if (enacts && block.justification === null) throw refuse('NotFinalized', 'A block that enacts an authority-set change carries no justification.');
      if (block.justification !== null) verifyJustification(block.justification, set, header.hash, header.number);
      if (enacts) {
        set = { setId: set.setId + 1n, authorities: pending!.nextAuthorities };
        pending = null;
      }

      checkBody(header, block.extrinsics);
      const storage = proveStorage(header, block.proof, this.#keys);
      const events = decodeEvents(storage.get(SYSTEM_EVENTS_KEY) ?? null, this.#eventsType, this.#values);
      const inputs = ledgerInputs(decodeBody(block.extrinsics, this.#metadata, this.#values), events);
      storage.delete(SYSTEM_EVENTS_KEY);
      verified.push({ number: header.number, hash: hash32(header.hash), inputs, storage });
      lastHash = header.hash;
      lastNumber = header.number;
    }
    return { state: { lastHash, lastNumber, set, pending }, blocks: verified };
  }
}

