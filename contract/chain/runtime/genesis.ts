/**
 * Genesis state: funded dev accounts (Alice is sudo), the custody account kept alive with the
 * existential deposit, the chain's dev attestation authority, the dev enclave measurement and the
 * genesis GRANDPA authority set.
 */
import { Keyring } from '@polkadot/keyring';
import { DEV_MEASUREMENT } from '../../../shared/protocol/attestation';
import { accountIdFromBytes, type AccountId } from '../../../shared/types';
import { DEV_ACCOUNTS, EXISTENTIAL_DEPOSIT, GENESIS_BALANCE, SUDO_ACCOUNT } from '../config';
import { mint } from './pallets/balances';
import { grandpaGenesis, type GrandpaAuthority } from './pallets/grandpa';
import { CUSTODY, phalaGenesis } from './pallets/phala';
import type { Runtime } from './runtime';
import type { Changes } from './state';
import { Storage } from './storage';

/** `//Name` sr25519 dev account (needs `cryptoWaitReady`). */
export function devAccount(name: string): AccountId {
  return accountIdFromBytes(new Keyring({ type: 'sr25519' }).addFromUri(`//${name}`).publicKey);
}

export function genesisChanges(rt: Runtime, authorityPub: Uint8Array, grandpaAuthorities: GrandpaAuthority[]): Changes {
  const st = Storage.over(rt.codec, { get: () => null });
  const noEvents = () => undefined; // genesis has no block to carry events
  for (const name of DEV_ACCOUNTS) mint(st, noEvents, devAccount(name), GENESIS_BALANCE);
  mint(st, noEvents, CUSTODY, EXISTENTIAL_DEPOSIT);
  st.put('sudo', 'key', [], devAccount(SUDO_ACCOUNT));
  phalaGenesis(st, authorityPub, [DEV_MEASUREMENT]);
  grandpaGenesis(st, grandpaAuthorities);
  return st.kv.changes;
}
