/**
 * The dev attestation authority: an ed25519 key generated randomly for each chain (never a
 * constant — the original dark wallet's dev key was 0x1 and anyone could forge reports). Its public
 * key goes into genesis; its seed is written next to the chain data so the local worker can sign
 * its dev attestation report with it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateIdentitySeed, identityFromSeed, type IdentityKey } from '../../../shared/crypto/identity';
import { fromHex, toHex } from '../../../shared/types';
import { AUTHORITY_SEED_FILE } from '../config';
import { writeFileDurably } from './durableFile';

export interface Authority {
  publicKey: Uint8Array;
  seedPath: string;
}

/** Reads the base path's authority seed, creating it (mode 0600, atomically) on first start. */
export function loadOrCreateAuthority(basePath: string): Authority {
  const seedPath = join(basePath, AUTHORITY_SEED_FILE);
  if (!existsSync(seedPath)) writeFileDurably(seedPath, `${toHex(generateIdentitySeed())}\n`, 0o600);
  return { publicKey: readSeedFile(seedPath).publicKey, seedPath };
}

/** The ed25519 key whose hex seed a file holds. */
export function readSeedFile(path: string): IdentityKey {
  const seed = fromHex(readFileSync(path, 'utf8').trim());
  if (seed.length !== 32) throw new Error(`${path} does not hold a 32-byte hex seed.`);
  return identityFromSeed(seed);
}
