/**
 * The enclave's secret material and the keys derived from it.
 *
 * - root secret (32 random bytes, one per enclave install): HKDF-SHA256 derives the ed25519 identity
 *   seed (signs receipts, named in the attestation) and the sealing key. A sealed state therefore opens
 *   only in the enclave that sealed it.
 * - contract secret (32 random bytes, X25519): the key every command and query is sealed to. All
 *   workers of one contract share it, so a second worker can serve the same users.
 *
 * Both are drawn from the CSPRNG per install, never constants (the original dev key was 0x1). The host
 * only ever holds an opaque `EnclaveSecret` and blobs wrapped by it: raw bytes never leave this module.
 * (A second development worker is provisioned by handing the contract secret *in*.)
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { ProtocolError } from '../../shared/errors';
import { contractKeyFromSecret, type ContractKey } from '../../shared/crypto/envelope';
import { identityFromSeed, type IdentityKey } from '../../shared/crypto/identity';
import { randomSecret } from '../../shared/crypto/x25519';
import { openBox, sealBox, type BoxFormat } from './sealed-box';

const KEY_BYTES = 32;
const utf8 = new TextEncoder();
const derive = (root: Uint8Array, purpose: string) => hkdf(sha256, root, undefined, utf8.encode(`dark-wallet/v1/${purpose}`), KEY_BYTES);

/** Seals and opens blobs under the sealing key without ever handing the key out. */
export interface Sealer {
  seal(format: BoxFormat, context: Uint8Array, plaintext: Uint8Array): Uint8Array;
  open(format: BoxFormat, context: Uint8Array, blob: Uint8Array): Uint8Array;
}

export interface EnclaveKeys {
  identity: IdentityKey;
  contract: ContractKey;
  sealer: Sealer;
}

const DEV_WRAP: BoxFormat = { domain: 'dark-wallet/v1/enclave-secret', version: 1 };
const NO_CONTEXT = new Uint8Array(0);

function checkKey(bytes: Uint8Array, what: string): Uint8Array {
  if (!(bytes instanceof Uint8Array) || bytes.length !== KEY_BYTES) throw new ProtocolError('BadLength', `${what} is ${KEY_BYTES} bytes.`);
  return bytes.slice();
}

export class EnclaveSecret {
  readonly #root: Uint8Array;
  readonly #contract: Uint8Array;

  private constructor(root: Uint8Array, contract: Uint8Array) {
    this.#root = root;
    this.#contract = contract;
  }

  /** A fresh install: new root secret and new contract key. */
  static generate(): EnclaveSecret {
    return new EnclaveSecret(randomSecret(), randomSecret());
  }

  /**
   * DEVELOPMENT / TESTS ONLY: a second worker of an existing contract — its own root secret (so its
   * own identity and sealing key) but the contract key exported from the first. A hardware deployment
   * would hand the contract key over between mutually attested enclaves instead.
   */
  static devOnlyWithContractSecret(contractSecret: Uint8Array): EnclaveSecret {
    return new EnclaveSecret(randomSecret(), checkKey(contractSecret, 'A contract secret'));
  }

  /** A random key for the dev key file that wraps the secret at rest. */
  static newDevKeyFile(): Uint8Array {
    return randomSecret();
  }

  /**
   * Wraps the secret for the host to store. DEVELOPMENT ONLY: the wrapping key is a file the host
   * keeps, so anyone who can read the host's disk can unwrap it — without TEE hardware nothing here
   * is hardware protected. A hardware provider seals to the CPU's key instead.
   */
  wrapForDev(keyFile: Uint8Array): Uint8Array {
    const plain = new Uint8Array(2 * KEY_BYTES);
    plain.set(this.#root);
    plain.set(this.#contract, KEY_BYTES);
    return sealBox(checkKey(keyFile, 'A dev key file'), DEV_WRAP, NO_CONTEXT, plain);
  }

  static unwrapForDev(blob: Uint8Array, keyFile: Uint8Array): EnclaveSecret {
    const plain = openBox(checkKey(keyFile, 'A dev key file'), DEV_WRAP, NO_CONTEXT, blob);
    if (plain.length !== 2 * KEY_BYTES) throw new ProtocolError('BadLength', 'The wrapped enclave secret has the wrong size.');
    return new EnclaveSecret(plain.slice(0, KEY_BYTES), plain.slice(KEY_BYTES));
  }

  /** The working keys. Secret bytes stay inside closures; only public keys are readable. */
  async deriveKeys(): Promise<EnclaveKeys> {
    const sealingKey = derive(this.#root, 'sealing');
    const sealer: Sealer = {
      seal: (format, context, plaintext) => sealBox(sealingKey, format, context, plaintext),
      open: (format, context, blob) => openBox(sealingKey, format, context, blob),
    };
    return {
      identity: identityFromSeed(derive(this.#root, 'identity')),
      contract: await contractKeyFromSecret(this.#contract),
      sealer,
    };
  }
}
