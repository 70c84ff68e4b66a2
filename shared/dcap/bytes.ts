/** Byte helpers for the DCAP verifier (kept local: shared/types pulls in @polkadot/util-crypto). */
export const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** Lowercase hex without a prefix, as Intel's JSON writes identifiers. */
export const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
