/** Replaced at build time with the version in package.json (esbuild `define`). */
declare const DARK_WALLET_VERSION: string;
