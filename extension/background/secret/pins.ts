/**
 * Contract keys pinned on first use, per (genesis hash, contract id), in `storage.local` so a
 * restarted service worker still knows them. What a pin holds was verified when it was stored: the
 * contract key, its code measurement, the attestation report that vouched for them and the worker
 * identities the chain named. Nothing secret is stored here.
 */
import { isRecord, isStringArray, Store, type StorageArea } from '../storage/store';

export interface ContractPin {
  genesisHash: string;
  contractId: number;
  ecdhPub: string;
  identityPub: string;
  measurement: string;
  /** The SCALE attestation report that was verified before the key was pinned (hex). */
  attestation: string;
  workers: string[];
  pinnedAt: number;
}

const PINS_KEY = 'contractPins';
const isHex = (x: unknown): x is string => typeof x === 'string' && /^0x[0-9a-f]*$/.test(x);

function parsePin(x: unknown): ContractPin | null {
  if (!isRecord(x)) return null;
  const { genesisHash, contractId, ecdhPub, identityPub, measurement, attestation, workers, pinnedAt } = x;
  if (![genesisHash, ecdhPub, identityPub, measurement, attestation].every(isHex)) return null;
  if (typeof contractId !== 'number' || !Number.isInteger(contractId) || typeof pinnedAt !== 'number' || !isStringArray(workers)) return null;
  return { genesisHash, contractId, ecdhPub, identityPub, measurement, attestation, workers, pinnedAt } as ContractPin;
}

/** An unreadable entry is dropped rather than trusted: the next use verifies and pins afresh. */
function parsePins(raw: unknown): Record<string, ContractPin> {
  const out: Record<string, ContractPin> = {};
  if (!isRecord(raw)) return out;
  for (const [key, value] of Object.entries(raw)) {
    const pin = parsePin(value);
    if (pin && key === pinKey(pin.genesisHash, pin.contractId)) out[key] = pin;
  }
  return out;
}

const pinKey = (genesisHash: string, contractId: number): string => `${genesisHash}/${contractId}`;

export class PinStore {
  readonly #store: Store<Record<string, ContractPin>>;

  constructor(local: StorageArea) {
    this.#store = new Store(local, PINS_KEY, parsePins);
  }

  async get(genesisHash: string, contractId: number): Promise<ContractPin | null> {
    return (await this.#store.get())[pinKey(genesisHash, contractId)] ?? null;
  }

  async put(pin: ContractPin): Promise<void> {
    await this.#store.update((all) => ({ ...all, [pinKey(pin.genesisHash, pin.contractId)]: pin }));
  }
}
