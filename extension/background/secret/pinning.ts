/**
 * What the extension believes about a contract (DESIGN.md §9): the key and attestation it verified
 * and pinned on first use. Every state an RPC endpoint reports is judged against that pin here, pure:
 * the same key whose measurement is still allowed and whose report verifies is trusted; another key
 * is a change the user must see; a removed measurement is a revocation nobody can accept.
 */
import { contractKeyAllowed, trustContract, type ContractState, type TrustedContract } from '../../../shared/client/contract';
import { trustWorkers } from '../../../shared/client/worker-set';
import { encodeAttestation } from '../../../shared/protocol/attestation';
import { fromHex, toHex } from '../../../shared/types';
import type { ContractPin } from './pins';

/** A contract key as shown to the user. */
export interface SeenKey {
  ecdhPub: string;
  identityPub: string;
  measurement: string;
}

export type ContractVerdict =
  | { kind: 'trusted'; contract: TrustedContract; pin: ContractPin }
  /** Nothing pinned yet for this chain and contract: `pin` is what to store. */
  | { kind: 'firstUse'; contract: TrustedContract; pin: ContractPin }
  /** The endpoint names another key than the pinned one. */
  | { kind: 'keyChanged'; pinned: ContractPin; seen: SeenKey }
  | { kind: 'revoked'; pinned: ContractPin };

/** The state's key as hex, the form pins keep. */
export function seenKey(state: ContractState): SeenKey | null {
  return state.key && { ecdhPub: toHex(state.key.ecdhPub), identityPub: toHex(state.key.identityPub), measurement: toHex(state.key.measurement) };
}

export const sameKey = (pin: ContractPin, key: SeenKey): boolean =>
  pin.ecdhPub === key.ecdhPub && pin.identityPub === key.identityPub && pin.measurement === key.measurement;

/** Identities of the workers whose own attestation and endpoint verified just now (worker-set.ts). */
const verifiedWorkers = (contract: TrustedContract, state: ContractState): string[] =>
  trustWorkers(state, contract).trusted.map((w) => toHex(w.identityPub));

/** The pin for a contract whose state verified (first use, or a change the user accepted). */
export function pinOf(contract: TrustedContract, state: ContractState, now: number): ContractPin {
  return {
    genesisHash: toHex(contract.genesisHash), contractId: contract.contractId,
    ecdhPub: toHex(contract.contractPub), identityPub: toHex(contract.identityPub), measurement: toHex(fromHex(contract.report.measurement)),
    attestation: toHex(encodeAttestation(contract.report)), workers: verifiedWorkers(contract, state), pinnedAt: now,
  };
}

/**
 * Judges `state` against `pinned`. Throws `ClientError('UntrustedWorker')` when the pinned key's
 * report no longer verifies, or when there is no pin and the state does not verify.
 */
export function judgeContract(state: ContractState, pinned: ContractPin | null, now: number): ContractVerdict {
  const seen = seenKey(state);
  if (pinned === null || seen === null) {
    const contract = trustContract(state); // no key at all is refused as unregistered, pinned or not
    return { kind: 'firstUse', contract, pin: pinOf(contract, state, now) };
  }
  if (!sameKey(pinned, seen)) return { kind: 'keyChanged', pinned, seen };
  if (!contractKeyAllowed(state, now)) return { kind: 'revoked', pinned };
  const contract = trustContract(state);
  // A worker the chain adds later joins the pin once its own attestation verifies here, for the pinned key.
  return { kind: 'trusted', contract, pin: { ...pinned, workers: [...new Set([...pinned.workers, ...verifiedWorkers(contract, state)])] } };
}
