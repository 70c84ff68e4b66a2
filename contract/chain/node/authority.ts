/**
 * The dev attestation authority: an ed25519 key generated randomly for each chain (never a
 * constant — the original dark wallet's dev key was 0x1 and anyone could forge reports). Its public
 * key goes into genesis; its seed is written next to the chain data so the local worker can sign
 * its dev attestation report with it.
 */
import { existsSync, readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { generateIdentitySeed, identityFromSeed } from '../../../shared/crypto/identity';
import { fromHex, toHex } from '../../../shared/types';
import { AUTHORITY_SEED_FILE } from '../config';

export interface Authority {
  publicKey: Uint8Array;
  seedPath: string;
}

/** Reads the base path's authority seed, creating it (mode 0600, atomically) on first start. */
export function loadOrCreateAuthority(basePath: string): Authority {
  const seedPath = join(basePath, AUTHORITY_SEED_FILE);
  if (!existsSync(seedPath)) {
    const tmp = `${seedPath}.tmp`;
    writeFileSync(tmp, `${toHex(generateIdentitySeed())}\n`, { mode: 0o600 });
    const fd = openSync(tmp, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, seedPath);
  }
  const seed = fromHex(readFileSync(seedPath, 'utf8').trim());
  if (seed.length !== 32) throw new Error(`${seedPath} does not hold a 32-byte hex seed.`);
  return { publicKey: identityFromSeed(seed).publicKey, seedPath };
}
