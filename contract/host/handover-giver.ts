/**
 * The keyholder's side of the key handover (DESIGN.md §11), in the worker host. After each verified
 * run of blocks it looks (through the RPC: only a cue) for registered workers of its contract that
 * hold no keys yet, fetches the last verified header and a read proof of what the enclave checks, and
 * lets the enclave decide: the enclave believes only the proof (registration finalized, measurement
 * allowed, attestation verified with the shared verifier, a handover key attested). A handover it
 * makes goes on chain unsigned as `phalaModule.handoverKey`; the chain keeps the first valid one
 * per recipient, so several keyholders racing cost nothing. Logs name workers by a short key prefix.
 */
import type { ApiPromise } from '@polkadot/api';
import { DarkWalletError } from '../../shared/errors';
import { submitAndWatch } from '../../shared/client/submit';
import { fromHex, toHex } from '../../shared/types';
import { allowedMeasurementKey, HandoverRefused, recipientKeys, type Enclave } from '../enclave';
import type { ChainReader } from './chain-reader';

const short = (key: Uint8Array | string) => `${(typeof key === 'string' ? key : toHex(key)).slice(0, 10)}…`;

export class HandoverGiver {
  #busy = false;
  /** The last refusal logged per recipient, so a refused worker is not logged at every block. */
  readonly #refused = new Map<string, string>();

  constructor(
    private readonly api: ApiPromise,
    private readonly reader: ChainReader,
    private readonly enclave: Enclave,
    private readonly contractId: number,
    private readonly log: (line: string) => void,
  ) {}

  /** Called after each verified run; one pass at a time, never throws. */
  poke(): void {
    if (this.#busy) return;
    this.#busy = true;
    this.#pass().catch((e: unknown) => {
      this.log(`key handover pass failed: ${e instanceof DarkWalletError ? e.code : e instanceof Error ? e.name : 'error'}; tried again after the next block`);
    }).finally(() => { this.#busy = false; });
  }

  async #pass(): Promise<void> {
    const me = toHex(this.enclave.identityPub);
    const [workers, keys] = await Promise.all([
      this.api.query.phalaModule.contractWorkers(this.contractId),
      this.api.query.phalaModule.contractKeys(this.contractId),
    ]);
    const first = keys.isSome ? keys.unwrap().identityPub.toHex() : null;
    for (const w of workers.map((x) => x.toHex())) {
      if (w === me || w === first || (await this.api.query.phalaModule.handedOverKeys(w)).isSome) continue;
      await this.#handOverTo(fromHex(w));
    }
  }

  async #handOverTo(recipient: Uint8Array): Promise<void> {
    const info = await this.api.query.phalaModule.workers(recipient);
    // The host names the measurement key to prove; the enclave proves it is the registered one's.
    const measurement = info.isSome ? info.unwrap().measurement.toU8a() : new Uint8Array(32);
    const at = this.enclave.lastBlockHash;
    const { header, proof } = await this.reader.storageAt(at, [...Object.values(recipientKeys(recipient)), allowedMeasurementKey(measurement)]);
    try {
      const h = await this.enclave.handOver(recipient, header, proof);
      await submitAndWatch(this.api, this.api.tx.phalaModule.handoverKey(this.contractId, h.recipient, h.sender, toHex(h.sealedKeys), h.signature), null);
      this.log(`handed the contract keys to worker ${short(recipient)}`);
    } catch (e) {
      if (!(e instanceof HandoverRefused)) throw e;
      const key = toHex(recipient);
      if (this.#refused.get(key) !== e.reason) this.log(`no key handover to worker ${short(recipient)}: ${e.reason}`);
      this.#refused.set(key, e.reason);
    }
  }
}
