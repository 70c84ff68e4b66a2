/**
 * Substrate's own trie (smoldot's, compiled to wasm in @acala-network/chopsticks-executor), typed:
 * the independent reference the shared trie is tested against. Works offline.
 */
import * as executor from '@acala-network/chopsticks-executor';
import type { TrieVersion } from '../../shared/trie';

const hex = (b: Uint8Array): string => `0x${Buffer.from(b).toString('hex')}`;
const bytes = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h.slice(2), 'hex'));

function isHexList(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string' && x.startsWith('0x'));
}

/** Substrate's `trie_root` of `entries` in layout `version`. */
export async function referenceRoot(entries: Iterable<readonly [string, Uint8Array]>, version: TrieVersion): Promise<string> {
  const root: unknown = await executor.calculate_state_root([...entries].map(([k, v]) => [k, hex(v)]), version);
  if (typeof root !== 'string') throw new Error('calculate_state_root returned no hash');
  return root;
}

/** The trie of `entries` (values inline, as layout 0 does) as a proof of all of them: its root and nodes. */
export async function referenceProof(entries: Iterable<readonly [string, Uint8Array]>): Promise<{ root: Uint8Array; nodes: Uint8Array[] }> {
  const out: unknown = await executor.create_proof([], [...entries].map(([k, v]) => [k, hex(v)]));
  if (!Array.isArray(out) || typeof out[0] !== 'string' || !isHexList(out[1])) throw new Error('create_proof returned an unexpected shape');
  return { root: bytes(out[0]), nodes: out[1].map(bytes) };
}

/** The values a proof holds against `root`, by key, as smoldot's proof decoder reads them. */
export async function referenceDecode(root: Uint8Array, nodes: Uint8Array[]): Promise<Map<string, string>> {
  const out: unknown = await executor.decode_proof(hex(root), nodes.map(hex));
  if (!Array.isArray(out) || !out.every((e): e is [string, string] => Array.isArray(e) && isHexList(e) && e.length === 2)) {
    throw new Error('decode_proof returned an unexpected shape');
  }
  return new Map(out);
}
