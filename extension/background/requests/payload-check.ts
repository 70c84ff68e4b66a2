/**
 * What `signPayload` may sign: a transaction of a chain we know, whose call decodes under that chain's
 * metadata and whose signed extensions are the chain's own — shown to the user decoded (pallet,
 * method, named arguments, amounts in the chain's units, the chain's name), as polkadot-js and
 * Talisman do. Anything else is refused before it is queued: with `signedExtensions: []` and a
 * page-chosen `method`, a "payload" is just page-chosen bytes, and no user can judge hex.
 */
import type { Call } from '@polkadot/types/interfaces';
import type { Codec, Registry, SignerPayloadJSON } from '@polkadot/types/types';
import { hexToNumber, hexToU8a } from '@polkadot/util';
import { WalletError } from '../../messages/errors';
import type { DecodedCall, MetadataHashView } from '../../messages/types';
import type { ChainAccess } from '../chain/client';
import type { MetadataStore } from '../metadata/store';
import { metadataHashPlan } from './metadata-mode';
import { inChainUnits, metadataRegistry } from './signing';

/** A chain we can decode for: its registry (metadata, properties) and name. */
export interface KnownChain {
  registry: Registry;
  chain: string;
}

const refuse = (message: string) => new WalletError('InvalidInput', message);

/**
 * The payload's own network, at its spec version: metadata a dApp provided for exactly that version
 * first, else the chain Dark Wallet is connected to when it is that network, else that network's
 * newest provided metadata. Never another network's.
 */
export async function knownChain(genesisHash: string, specVersion: number, metadata: MetadataStore, chain: ChainAccess): Promise<KnownChain | null> {
  const exact = await metadata.exact(genesisHash, specVersion);
  if (exact) return { registry: metadataRegistry(exact), chain: exact.chain };
  const connected = await chain.registryFor(genesisHash);
  if (connected) return connected;
  const def = await metadata.get(genesisHash);
  return def ? { registry: metadataRegistry(def), chain: def.chain } : null;
}

/** What Dark Wallet will sign of a payload it may sign. */
export interface CheckedPayload {
  known: KnownChain;
  call: DecodedCall;
  metadataHash: MetadataHashView;
}

/**
 * The decoded call of a payload Dark Wallet may sign, and how it commits to the metadata; a typed
 * refusal (a sentence for the dApp) otherwise.
 */
export async function checkPayload(payload: SignerPayloadJSON, metadata: MetadataStore, chain: ChainAccess): Promise<CheckedPayload> {
  const known = await knownChain(payload.genesisHash, hexToNumber(payload.specVersion), metadata, chain);
  if (!known) {
    throw refuse('Dark Wallet does not know the chain of this transaction (its genesis hash), so it cannot show what it does. Add the chain\'s metadata first (metadata.provide), or connect Dark Wallet to that chain.');
  }
  const expected = known.registry.signedExtensions;
  if (payload.signedExtensions.length !== expected.length || payload.signedExtensions.some((e, i) => e !== expected[i])) {
    throw refuse(`The transaction's signed extensions do not match ${known.chain}'s metadata (${expected.join(', ')}), so Dark Wallet will not sign it.`);
  }
  const call = decodeCall(known.registry, payload.method, known.chain);
  return { known, call, metadataHash: await metadataHashPlan(payload, chain) };
}

function decodeCall(registry: Registry, method: string, chainName: string): DecodedCall {
  const call = exactCall(registry, method);
  if (!call) {
    throw refuse(`This transaction's call does not decode under ${chainName}'s metadata, so nobody could check what it does. Dark Wallet will not sign it.`);
  }
  return {
    section: call.section,
    method: call.method,
    args: call.meta.args.map((a, i) => ({
      name: a.name.toString(),
      value: isBalance(a.typeName.toString()) ? inChainUnits(registry, BigInt(call.args[i].toString())) : readable(call.args[i]),
    })),
  };
}

/** The call `method` encodes, or null; trailing bytes would be signed but never shown, so they fail too. */
function exactCall(registry: Registry, method: string): Call | null {
  try {
    const call = registry.createType('Call', method);
    return call.encodedLength === hexToU8a(method).length ? call : null;
  } catch {
    return null;
  }
}

/** Balance-typed arguments by their metadata type name: `Balance`, `T::Balance`, `BalanceOf<T>`. */
const isBalance = (typeName: string): boolean => /(^|::)Balance(Of<.*>)?$/.test(typeName);

function readable(arg: Codec): string {
  const human = arg.toHuman();
  if (typeof human === 'string') return human;
  // A MultiAddress shows as {Id: address}: the address is what people recognise.
  if (human && typeof human === 'object' && !Array.isArray(human) && Object.keys(human).length === 1 && 'Id' in human && typeof human.Id === 'string') return human.Id;
  return JSON.stringify(human, null, 2);
}
