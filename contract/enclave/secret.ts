/**
 * The enclave's secret material and the keys derived from it (DESIGN.md §11).
 *
 * - worker root secret (32 random bytes, one per enclave install): HKDF-SHA256 derives this worker's
 *   own keys — the ed25519 identity (signs receipts, named in the attestation) and the X25519
 *   handover key (named in the attestation; keyholders seal the contract keys to it).
 * - contract seed (32 random bytes, created once by the first worker of a new contract and handed
 *   over to every later one): it is the X25519 secret every command and query is sealed to, and
 *   HKDF derives the contract's sealing key from it. So a sealed state opens in any worker of the
 *   contract, and the contract's public envelope key on chain commits to the sealing key too: a
 *   recipient that checks the handed-over seed against `contractKeys` has checked both.
 *
 * Both are drawn from the CSPRNG per install, never constants. The host only ever holds an opaque
 * `EnclaveSecret` and blobs wrapped by it: raw bytes never leave this module (and handover-box.ts,
 * which it alone calls).
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { ProtocolError } from '../../shared/errors';
import { contractKeyFromSecret, type ContractKey } from '../../shared/crypto/envelope';
import { identityFromSeed, type IdentityKey } from '../../shared/crypto/identity';
import { randomSecret } from '../../shared/crypto/x25519';
import { openHandoverBox, sealHandoverBox } from './handover-box';
import { EnclaveError } from './errors';
import { openBox, sealBox, type BoxFormat } from './sealed-box';

const KEY_BYTES = 32;
const utf8 = new TextEncoder();
const derive = (root: Uint8Array, purpose: string) => hkdf(sha256, root, undefined, utf8.encode(`dark-wallet/v1/${purpose}`), KEY_BYTES);

/** Seals and opens blobs under the sealing key without ever handing the key out. */
export interface Sealer {
  seal(format: BoxFormat, context: Uint8Array, plaintext: Uint8Array): Uint8Array;
  open(format: BoxFormat, context: Uint8Array, blob: Uint8Array): Uint8Array;
}

/** This worker's own keys: it has them from its first start, before any handover. */
export interface WorkerKeys {
  identity: IdentityKey;
  /** X25519: keyholders seal the contract keys to its public key. */
  handover: ContractKey;
}

export interface EnclaveKeys extends WorkerKeys {
  contract: ContractKey;
  sealer: Sealer;
  /** The contract seed sealed to another worker's handover key (handover-box.ts); for `Enclave.handOver` only. */
  sealContractKeysTo(recipientHandoverPub: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
}

const DEV_WRAP: BoxFormat = { domain: 'dark-wallet/v1/enclave-secret', version: 1 };
const NO_CONTEXT = new Uint8Array(0);

function checkKey(bytes: Uint8Array, what: string): Uint8Array {
  if (!(bytes instanceof Uint8Array) || bytes.length !== KEY_BYTES) throw new ProtocolError('BadLength', `${what} is ${KEY_BYTES} bytes.`);
  return bytes.slice();
}

function sealerOf(key: Uint8Array, fallback?: Uint8Array): Sealer {
  return {
    seal: (format, context, plaintext) => sealBox(key, format, context, plaintext),
    open: (format, context, blob) => {
      try {
        return openBox(key, format, context, blob);
      } catch (e) {
        // A state sealed before contract sealing keys existed was sealed to this worker's own key.
        if (fallback && e instanceof ProtocolError && e.code === 'DecryptFailed') return openBox(fallback, format, context, blob);
        throw e;
      }
    },
  };
}

export class EnclaveSecret {
  readonly #root: Uint8Array;
  readonly #contract: Uint8Array | null;

  private constructor(root: Uint8Array, contract: Uint8Array | null) {
    this.#root = root;
    this.#contract = contract;
  }

  /** The first worker of a new contract: new worker keys and new contract keys. */
  static generate(): EnclaveSecret {
    return new EnclaveSecret(randomSecret(), randomSecret());
  }

  /** A worker joining an existing contract: its own keys only, until a keyholder hands the contract keys over. */
  static generateJoiner(): EnclaveSecret {
    return new EnclaveSecret(randomSecret(), null);
  }

  /**
   * DEVELOPMENT / TESTS ONLY: a second worker of an existing contract — its own root secret (so its
   * own identity and handover key) but the contract seed exported from the first, instead of the
   * attested handover (`acceptHandover`).
   */
  static devOnlyWithContractSecret(contractSecret: Uint8Array): EnclaveSecret {
    return new EnclaveSecret(randomSecret(), checkKey(contractSecret, 'A contract secret'));
  }

  /** A random key for the dev key file that wraps the secret at rest. */
  static newDevKeyFile(): Uint8Array {
    return randomSecret();
  }

  /** False for a joining worker that has not received the contract keys yet. */
  get hasContractKeys(): boolean {
    return this.#contract !== null;
  }

  /**
   * Wraps the secret for the host to store. DEVELOPMENT ONLY: the wrapping key is a file the host
   * keeps, so anyone who can read the host's disk can unwrap it — without TEE hardware nothing here
   * is hardware protected. A hardware provider seals to the CPU's key instead.
   * Plaintext: root 32 [| contract seed 32] (a joiner before its handover has no seed).
   */
  wrapForDev(keyFile: Uint8Array): Uint8Array {
    const plain = new Uint8Array(this.#contract ? 2 * KEY_BYTES : KEY_BYTES);
    plain.set(this.#root);
    if (this.#contract) plain.set(this.#contract, KEY_BYTES);
    return sealBox(checkKey(keyFile, 'A dev key file'), DEV_WRAP, NO_CONTEXT, plain);
  }

  static unwrapForDev(blob: Uint8Array, keyFile: Uint8Array): EnclaveSecret {
    const plain = openBox(checkKey(keyFile, 'A dev key file'), DEV_WRAP, NO_CONTEXT, blob);
    if (plain.length !== KEY_BYTES && plain.length !== 2 * KEY_BYTES) throw new ProtocolError('BadLength', 'The wrapped enclave secret has the wrong size.');
    return new EnclaveSecret(plain.slice(0, KEY_BYTES), plain.length === KEY_BYTES ? null : plain.slice(KEY_BYTES));
  }

  /** This worker's identity and handover keys (a joiner has them before it has the contract keys). */
  async workerKeys(): Promise<WorkerKeys> {
    return { identity: identityFromSeed(derive(this.#root, 'identity')), handover: await contractKeyFromSecret(derive(this.#root, 'handover')) };
  }

  /** The working keys. Secret bytes stay inside closures; only public keys are readable. */
  async deriveKeys(): Promise<EnclaveKeys> {
    if (!this.#contract) throw new EnclaveError('NoContractKeys', 'This worker has not received the contract keys yet.');
    const seed = this.#contract;
    const [worker, contract] = await Promise.all([this.workerKeys(), contractKeyFromSecret(seed)]);
    return {
      ...worker, contract,
      sealer: sealerOf(derive(seed, 'contract-sealing'), derive(this.#root, 'sealing')),
      sealContractKeysTo: (pub, aad) => sealHandoverBox(pub, aad, seed),
    };
  }

  /**
   * This worker with the contract keys a keyholder sealed to its handover key, once they match
   * `expectedContractPub` (the contract's key on chain, proven by the light client). Anything else —
   * sealed to another key, bound to another chain, contract or worker, or keys that are not the
   * contract's — throws, and nothing is kept.
   */
  async acceptHandover(sealed: Uint8Array, aad: Uint8Array, expectedContractPub: Uint8Array): Promise<EnclaveSecret> {
    const seed = await openHandoverBox(derive(this.#root, 'handover'), aad, sealed);
    const pub = (await contractKeyFromSecret(seed)).publicKey;
    if (pub.length !== expectedContractPub.length || pub.some((b, i) => b !== expectedContractPub[i])) {
      throw new EnclaveError('HandoverRefused', 'The handed-over keys are not the contract keys registered on chain.');
    }
    return new EnclaveSecret(this.#root, seed);
  }
}
