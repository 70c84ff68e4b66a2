// @noble/* and @scure/* v2, @polkadot-api/* (merkleize-metadata) and qr ship ESM only, so jest must transform them too.
const swc = ['@swc/jest', {
  jsc: {
    parser: { syntax: 'typescript', tsx: true },
    target: 'es2022',
    transform: { react: { runtime: 'automatic', importSource: 'preact' } },
  },
  module: { type: 'commonjs' },
}];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  testPathIgnorePatterns: ['/node_modules/'],
  transform: { '^.+\\.(t|j)sx?$': swc, '^.+\\.mjs$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@noble|@scure|@polkadot-api|scale-ts|qr)/)'],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json'],
  testTimeout: 60_000,
  // Two suites at a time even on a 2-core runner (jest's default there is one): most suites wait on
  // real block times, browsers and child processes rather than compute, so the pair overlaps waiting.
  maxWorkers: 2,
};
