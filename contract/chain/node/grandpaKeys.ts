/**
 * GRANDPA authority keys of the dev node. The genesis set is created on first start (fresh random
 * ed25519 keys, one by default) and named in `grandpa-genesis-authorities`, so every restart builds
 * the same genesis; the seeds live in `grandpa-keys/`, like Substrate's keystore, and more may be
 * added there (or passed in) for authorities of a later set.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generateIdentitySeed, identityFromSeed, type IdentityKey } from '../../../shared/crypto/identity';
import { fromHex, toHex } from '../../../shared/types';
import { GRANDPA_GENESIS_FILE, GRANDPA_KEY_DIR } from '../config';
import type { GrandpaAuthority } from '../runtime/pallets/grandpa';
import { readSeedFile } from './authority';
import { writeFileDurably } from './durableFile';

const SEED_SUFFIX = '.seed';

/** Writes a seed into a key directory as `<public key hex>.seed` (mode 0600); returns its public key. */
export function addGrandpaSeed(keyDir: string, seed: Uint8Array): Uint8Array {
  const key = identityFromSeed(seed);
  mkdirSync(keyDir, { recursive: true, mode: 0o700 });
  writeFileDurably(join(keyDir, `${toHex(key.publicKey).slice(2)}${SEED_SUFFIX}`), `${toHex(seed)}\n`, 0o600);
  return key.publicKey;
}

/**
 * The base path's genesis authority set, created with `count` fresh keys on first start. A base path
 * keeps its set: asking for a different count there is an error, not a silent new chain.
 */
export function loadOrCreateGrandpaGenesis(basePath: string, count?: number): GrandpaAuthority[] {
  const file = join(basePath, GRANDPA_GENESIS_FILE);
  if (!existsSync(file)) {
    const n = count ?? 1;
    if (!Number.isInteger(n) || n < 1 || n > 100) throw new Error('The number of GRANDPA authorities must be 1 to 100.');
    const keyDir = join(basePath, GRANDPA_KEY_DIR);
    const ids = Array.from({ length: n }, () => addGrandpaSeed(keyDir, generateIdentitySeed()));
    writeFileDurably(file, ids.map((id) => `${toHex(id)}\n`).join(''), 0o644);
  }
  const ids = readFileSync(file, 'utf8').split('\n').filter((line) => line.trim()).map((line) => fromHex(line.trim()));
  if (!ids.length || ids.some((id) => id.length !== 32)) throw new Error(`${file} does not list 32-byte hex public keys.`);
  if (count !== undefined && count !== ids.length) {
    throw new Error(`${basePath} was created with ${ids.length} GRANDPA authorities, not ${count}; use a fresh base path.`);
  }
  return ids.map((id) => ({ id, weight: 1n }));
}

/** The seeds the node holds, by public key hex: the key directory's, re-read when it changes, plus any passed in. */
export class GrandpaKeystore {
  readonly #given = new Map<string, IdentityKey>();
  #fromDir = new Map<string, IdentityKey>();
  #dirStamp = -1;

  constructor(
    private readonly keyDir: string | null,
    seeds: Uint8Array[] = [],
  ) {
    for (const seed of seeds) {
      const key = identityFromSeed(seed);
      this.#given.set(toHex(key.publicKey), key);
    }
    this.#scan(true);
  }

  signer(publicKey: Uint8Array): IdentityKey | null {
    const id = toHex(publicKey);
    return this.#given.get(id) ?? this.#scan().get(id) ?? null;
  }

  /**
   * Re-reads the key directory only when its modification time moved (a key was added or removed).
   * A malformed seed file stops the node at start; one appearing later is skipped (it cannot sign)
   * rather than failing block production.
   */
  #scan(strict = false): Map<string, IdentityKey> {
    if (!this.keyDir || !existsSync(this.keyDir)) return this.#fromDir;
    const stamp = statSync(this.keyDir).mtimeMs;
    if (stamp === this.#dirStamp) return this.#fromDir;
    const keys = new Map<string, IdentityKey>();
    for (const name of readdirSync(this.keyDir)) {
      if (!name.endsWith(SEED_SUFFIX)) continue;
      let key: IdentityKey;
      try {
        key = readSeedFile(join(this.keyDir, name));
      } catch (e) {
        if (strict) throw e;
        continue;
      }
      keys.set(toHex(key.publicKey), key);
    }
    this.#fromDir = keys;
    this.#dirStamp = stamp;
    return keys;
  }
}
