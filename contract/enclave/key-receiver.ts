/**
 * A joining worker before its handover (DESIGN.md §11): it holds only its own keys, follows the
 * chain with the light client (verifying finality from genesis, applying nothing) and looks for a
 * handover stored on chain for its identity. It opens one only from storage proven at its last
 * verified block, and takes the keys only if they are the contract's key on chain; a handover it
 * refuses leaves it waiting, with nothing used. With the keys, the host creates the `Enclave` and
 * replays the contract from genesis (the ledger is deterministic).
 */
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { blake2_256 } from '../../shared/trie/codec';
import { HANDOVER_SEALED_BYTES, handoverAad } from '../../shared/protocol/handover';
import { decodeExact } from '../../shared/protocol/scale';
import type { AttestationReport } from '../../shared/protocol/attestation';
import { attestWorker, type AttestationProvider } from './attestation';
import type { CreateConfig } from './enclave';
import { EnclaveError } from './errors';
import { contractKeysKey, contractPubOf, handedOverKey, HandoverRefused } from './handover';
import { LightClient, type BlockInput, type LightClientState } from './light-client';
import type { EnclaveSecret, WorkerKeys } from './secret';
import { ProtocolError } from '../../shared/errors';

export type JoinConfig = Pick<CreateConfig, 'genesisHash' | 'contractId' | 'metadata' | 'genesis'>;

export class KeyReceiver {
  readonly #secret: EnclaveSecret;
  readonly #keys: WorkerKeys;
  readonly #config: JoinConfig;
  readonly #client: LightClient;
  #state: LightClientState;

  private constructor(secret: EnclaveSecret, keys: WorkerKeys, config: JoinConfig, client: LightClient, state: LightClientState) {
    this.#secret = secret;
    this.#keys = keys;
    this.#config = config;
    this.#client = client;
    this.#state = state;
  }

  static async create(secret: EnclaveSecret, config: JoinConfig): Promise<KeyReceiver> {
    if (secret.hasContractKeys) throw new EnclaveError('BadConfig', 'This worker already holds the contract keys.');
    const client = new LightClient({ genesisHash: config.genesisHash, metadataHash: blake2_256(config.metadata) }, config.metadata);
    const state = client.genesis(config.genesis.header, config.genesis.proof);
    const [keys] = await Promise.all([secret.workerKeys(), cryptoWaitReady()]);
    return new KeyReceiver(secret, keys, config, client, state);
  }

  get identityPub(): Uint8Array {
    return this.#keys.identity.publicKey.slice();
  }

  get lastBlock(): number {
    return this.#state.lastNumber;
  }

  /** The report to register with: `contractPub` is the contract's key on chain, which this worker asks for. */
  attest(provider: AttestationProvider, contractPub: Uint8Array, now: number): Promise<AttestationReport> {
    return attestWorker(provider, this.#config.contractId, this.#keys, contractPub, now);
  }

  /** Verifies finalized blocks as `Enclave.ingest` does (LightClientError on a refusal, nothing changed). */
  async ingest(blocks: readonly BlockInput[]): Promise<void> {
    this.#state = this.#client.ingest(this.#state, blocks).state;
  }

  /** The last verified block's hash (its header is what `receive` is proven against). */
  get lastBlockHash(): Uint8Array {
    return this.#state.lastHash.slice();
  }

  /** The proof keys `receive` needs at the last verified block. */
  proofKeys(): string[] {
    return [handedOverKey(this.identityPub), contractKeysKey(this.#config.contractId)];
  }

  /**
   * The secret with the contract keys, from the handover the chain holds for this worker at the last
   * verified block (`header`, `proof` of `proofKeys()`); null while there is none. A handover that
   * does not open or is not the contract's keys throws `HandoverRefused('WrongKeys')`.
   */
  async receive(header: Uint8Array, proof: readonly Uint8Array[]): Promise<EnclaveSecret | null> {
    const [handedKey, contractKey] = this.proofKeys();
    const values = this.#client.proveAt(this.#state, header, proof, [handedKey, contractKey]);
    const stored = values.get(handedKey);
    const keys = values.get(contractKey);
    if (!stored || !keys) return null;
    const { genesisHash, contractId } = this.#config;
    try {
      const sealed = decodeExact(stored, (r) => r.bytesVec(HANDOVER_SEALED_BYTES)); // SCALE Bytes
      return await this.#secret.acceptHandover(sealed, handoverAad(genesisHash, contractId, this.identityPub), contractPubOf(keys));
    } catch (e) {
      if (e instanceof ProtocolError || (e instanceof EnclaveError && e.code === 'HandoverRefused')) {
        throw new HandoverRefused('WrongKeys', 'The handover on chain does not hold this contract\'s keys for this worker: not used.');
      }
      throw e;
    }
  }
}
