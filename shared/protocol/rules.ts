/**
 * The protocol's limits and the symbol rule of Issue, declared once for every side: the ledger
 * enforces them, the SDK, CLI and extension check them before anything is sealed, and the popup shows
 * them as field hints. No imports, so the popup bundle can use them without any crypto library.
 */

/** Widths of the wire format's integers: asset ids, block numbers and list lengths are u32, amounts u128. */
export const U32_MAX = 0xffff_ffff;
export const U64_MAX = (1n << 64n) - 1n;
export const U128_MAX = (1n << 128n) - 1n;

/** A token's metadata on the wire (`Issue`, `AssetInfo`). */
export const MAX_SYMBOL_BYTES = 12;
export const MAX_NAME_BYTES = 32;
/** u128 holds 38 full decimal digits. */
export const MAX_DECIMALS = 38;

/**
 * The symbol rule of Issue: 1 to 12 ASCII letters and digits, the first a letter ("GOLD", "vDOT",
 * "USDt", "Q1"). No other script, no punctuation, no spaces: a look-alike from another script
 * (Cyrillic "РНА" for "PHA"), or "PHA." or "PHA_", cannot pass for another token's symbol, and no
 * symbol reads as part of an amount ("5 000"). Uniqueness ignores ASCII case (`symbolKey`), so "Gold"
 * can never stand beside "GOLD".
 *
 * The wire format is not narrowed: it still carries any UTF-8 of up to 12 bytes, so old commands and
 * assets issued before this rule keep decoding (and the chain's own native symbol is never judged by
 * it). The ledger refuses an Issue breaking the rule with `InvalidSymbol`; clients check it before
 * they seal, so an honest user never pays a fee for that refusal.
 */
export const ISSUABLE_SYMBOL = new RegExp(`^[A-Za-z][A-Za-z0-9]{0,${MAX_SYMBOL_BYTES - 1}}$`);
export const isIssuableSymbol = (symbol: unknown): symbol is string => typeof symbol === 'string' && ISSUABLE_SYMBOL.test(symbol);
/** The rule in words, for the sentences and field hints clients show. */
export const SYMBOL_RULE_TEXT = `1 to ${MAX_SYMBOL_BYTES} ASCII letters and digits, starting with a letter`;

/**
 * The key symbols are unique under: ASCII case folded, nothing else. Full Unicode case mapping depends
 * on the ICU version of the runtime, and workers on different Node versions must reach the same state
 * root; clients use the same key to refuse a taken symbol before a fee is paid.
 */
export const symbolKey = (symbol: string): string => symbol.replace(/[A-Z]+/g, (m) => m.toLowerCase());
