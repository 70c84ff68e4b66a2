/** Substrate's base-16 Patricia-Merkle trie (blake2-256): roots, a persistent trie, read proofs. */
export { blake2_256, EMPTY_NODE, type Hasher, type TrieVersion } from './codec';
export { BadProof, type BadProofReason } from './errors';
export { proofFromHex, verifyReadProof, type ProvenValues } from './proof';
export { compactIndexKey, orderedTrieRoot, trieRoot } from './root';
export { Trie, type TrieChanges } from './trie';
