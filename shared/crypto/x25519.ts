/**
 * X25519 through WebCrypto where the runtime has it (Node ≥ 20, Chromium ≥ 133: ~17× faster here),
 * @noble/curves otherwise. Both produce the same bytes; tests hold them to that.
 */
import { x25519 as noble } from '@noble/curves/ed25519.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { ProtocolError } from '../errors';

export interface X25519Backend {
  readonly name: 'webcrypto' | 'noble';
  publicKey(secret: Uint8Array): Promise<Uint8Array>;
  /** A secret key prepared once (imported) for many agreements, as the enclave does per block. */
  prepare(secret: Uint8Array): Promise<(peerPub: Uint8Array) => Promise<Uint8Array>>;
  /** A fresh key pair whose secret never leaves the backend (one per envelope or session). */
  ephemeral(): Promise<Ephemeral>;
}

export interface Ephemeral {
  publicKey: Uint8Array;
  agree(peerPub: Uint8Array): Promise<Uint8Array>;
}

// PKCS#8 wrapping of a raw X25519 secret: WebCrypto cannot import raw private keys.
const PKCS8_PREFIX = new Uint8Array([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20]);
const ALG = { name: 'X25519' } as const;

function checkLengths(bytes: Uint8Array, what: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 32) throw new ProtocolError('BadKey', `An X25519 ${what} is 32 bytes.`);
}

/** Low-order peer keys yield an all-zero secret; refusing them keeps the key contributory. */
function contributory(shared: Uint8Array): Uint8Array {
  let acc = 0;
  for (let i = 0; i < shared.length; i++) acc |= shared[i];
  if (acc === 0) throw new ProtocolError('BadKey', 'The peer public key is not a valid X25519 key.');
  return shared;
}

export const nobleX25519: X25519Backend = {
  name: 'noble',
  async ephemeral() {
    const secret = randomBytes(32);
    const [publicKey, agree] = await Promise.all([this.publicKey(secret), this.prepare(secret)]);
    return { publicKey, agree };
  },
  async publicKey(secret) {
    checkLengths(secret, 'secret key');
    return noble.getPublicKey(secret);
  },
  async prepare(secret) {
    checkLengths(secret, 'secret key');
    const s = secret.slice();
    return async (peer) => {
      checkLengths(peer, 'public key');
      try {
        return contributory(noble.getSharedSecret(s, peer));
      } catch (e) {
        if (e instanceof ProtocolError) throw e;
        throw new ProtocolError('BadKey', 'The peer public key is not a valid X25519 key.');
      }
    };
  },
};

function webCryptoBackend(subtle: SubtleCrypto): X25519Backend {
  // Extractable only where the public key must be read back out; the agreement key never is.
  const importSecret = (secret: Uint8Array, extractable: boolean) => {
    const pkcs8 = new Uint8Array(48);
    pkcs8.set(PKCS8_PREFIX);
    pkcs8.set(secret, 16);
    return subtle.importKey('pkcs8', pkcs8, ALG, extractable, ['deriveBits']);
  };
  const agreeWith = (key: CryptoKey) => async (peer: Uint8Array) => {
    checkLengths(peer, 'public key');
    let bits: ArrayBuffer;
    try {
      const pub = await subtle.importKey('raw', new Uint8Array(peer), ALG, false, []);
      bits = await subtle.deriveBits({ name: 'X25519', public: pub }, key, 256);
    } catch {
      throw new ProtocolError('BadKey', 'The peer public key is not a valid X25519 key.');
    }
    return contributory(new Uint8Array(bits));
  };
  return {
    name: 'webcrypto',
    async ephemeral() {
      const pair = (await subtle.generateKey(ALG, false, ['deriveBits'])) as CryptoKeyPair;
      return { publicKey: new Uint8Array(await subtle.exportKey('raw', pair.publicKey)), agree: agreeWith(pair.privateKey) };
    },
    async publicKey(secret) {
      checkLengths(secret, 'secret key');
      const key = await importSecret(secret, true);
      const jwk = await subtle.exportKey('jwk', key);
      return base64UrlDecode(jwk.x!);
    },
    async prepare(secret) {
      checkLengths(secret, 'secret key');
      return agreeWith(await importSecret(secret, false));
    },
  };
}

function base64UrlDecode(s: string): Uint8Array {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

let detected: Promise<X25519Backend> | undefined;

/** Picks WebCrypto when it really performs X25519 here (checked once against noble), else noble. */
export function x25519Backend(): Promise<X25519Backend> {
  detected ??= (async () => {
    const subtle = globalThis.crypto?.subtle;
    if (!subtle) return nobleX25519;
    try {
      const web = webCryptoBackend(subtle);
      const a = randomBytes(32);
      const b = randomBytes(32);
      const [pubB, derive] = await Promise.all([nobleX25519.publicKey(b), web.prepare(a)]);
      const viaWeb = await derive(pubB);
      const viaNoble = noble.getSharedSecret(a, pubB);
      return viaWeb.every((x, i) => x === viaNoble[i]) ? web : nobleX25519;
    } catch {
      return nobleX25519;
    }
  })();
  return detected;
}

export const webCryptoX25519 = (): X25519Backend | null =>
  globalThis.crypto?.subtle ? webCryptoBackend(globalThis.crypto.subtle) : null;

export const randomSecret = (): Uint8Array => randomBytes(32);
