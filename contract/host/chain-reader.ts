/**
 * Reads what the enclave's light client verifies, as raw bytes through the chain's JSON-RPC: headers,
 * FRNK justifications, bodies, read proofs and the runtime metadata. The host believes none of it and
 * interprets none of it; it only turns the JSON back into the SCALE bytes the chain committed to.
 */
import { GRANDPA_AUTHORITIES_KEY, GRANDPA_SET_ID_KEY, SYSTEM_EVENTS_KEY, type BlockInput } from '../enclave';
import { ScaleWriter } from '../../shared/protocol/scale';
import { fromHex } from '../../shared/types';
import { WorkerError } from './errors';

/** One JSON-RPC call (the worker's WebSocket provider, or plain HTTP in tests). */
export type RpcSend = (method: string, params: unknown[]) => Promise<unknown>;

export interface HeaderJson {
  parentHash: string;
  number: string;
  stateRoot: string;
  extrinsicsRoot: string;
  digest: { logs: string[] };
}

interface SignedBlockJson {
  block: { header: HeaderJson; extrinsics: string[] };
  justifications: [string, string][] | null;
}

/** GRANDPA's engine id `FRNK` as the RPC prints it. */
const FRNK = '0x46524e4b';

/** The SCALE header from its JSON form (each digest log is already a SCALE DigestItem). */
export function headerBytes(h: HeaderJson): Uint8Array {
  const w = new ScaleWriter(256).fixed(fromHex(h.parentHash), 32).compact(Number(h.number)).fixed(fromHex(h.stateRoot), 32).fixed(fromHex(h.extrinsicsRoot), 32);
  w.compact(h.digest.logs.length);
  for (const log of h.digest.logs) {
    const bytes = fromHex(log);
    w.fixed(bytes, bytes.length);
  }
  return w.finish();
}

export class ChainReader {
  constructor(private readonly send: RpcSend) {}

  async #call<T>(method: string, params: unknown[]): Promise<T> {
    return (await this.send(method, params)) as T;
  }

  /** The finalized head's number. */
  async finalizedNumber(): Promise<number> {
    const hash = await this.#call<string>('chain_getFinalizedHead', []);
    return Number((await this.#call<HeaderJson>('chain_getHeader', [hash])).number);
  }

  /** Genesis header, the GRANDPA set's read proof at genesis, and the runtime metadata. */
  async genesis(): Promise<{ header: Uint8Array; proof: Uint8Array[]; metadata: Uint8Array }> {
    const hash = await this.#call<string>('chain_getBlockHash', [0]);
    const [header, proof, metadata] = await Promise.all([
      this.#call<HeaderJson>('chain_getHeader', [hash]),
      this.#call<{ proof: string[] }>('state_getReadProof', [[GRANDPA_AUTHORITIES_KEY, GRANDPA_SET_ID_KEY], hash]),
      this.#call<string>('state_getMetadata', [hash]),
    ]);
    return { header: headerBytes(header), proof: proof.proof.map(fromHex), metadata: fromHex(metadata) };
  }

  /** The SCALE header of block `hash` and a read proof of `keys` at it: what the enclave proves storage with. */
  async storageAt(hash: string, keys: readonly string[]): Promise<{ header: Uint8Array; proof: Uint8Array[] }> {
    const [header, proof] = await Promise.all([
      this.#call<HeaderJson | null>('chain_getHeader', [hash]),
      this.#call<{ proof: string[] }>('state_getReadProof', [keys, hash]),
    ]);
    if (header === null) throw new WorkerError('BlockMissing', 'The chain has no header for that block.');
    return { header: headerBytes(header), proof: proof.proof.map(fromHex) };
  }

  /** Block `number` of the canonical chain: header, body, FRNK justification (if stored) and System.Events proof. */
  async block(number: number): Promise<BlockInput> {
    const hash = await this.#call<string | null>('chain_getBlockHash', [number]);
    if (hash === null) throw new WorkerError('BlockMissing', `The chain has no block ${number} yet.`);
    const [signed, proof] = await Promise.all([
      this.#call<SignedBlockJson | null>('chain_getBlock', [hash]),
      this.#call<{ proof: string[] }>('state_getReadProof', [[SYSTEM_EVENTS_KEY], hash]),
    ]);
    if (signed === null) throw new WorkerError('BlockMissing', `The chain has no body for block ${number}.`);
    const frnk = signed.justifications?.find(([engine]) => engine === FRNK);
    return {
      header: headerBytes(signed.block.header),
      justification: frnk ? fromHex(frnk[1]) : null,
      extrinsics: signed.block.extrinsics.map(fromHex),
      proof: proof.proof.map(fromHex),
    };
  }
}

