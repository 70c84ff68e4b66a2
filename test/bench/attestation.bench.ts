/**
 * `npm run bench -- attestation`: DCAP quotes verified per second (the real SGX and TDX fixtures,
 * alternately, each at a time inside its collateral window), against the bound of the P-256 ECDSA
 * verifies a quote needs: one bare @noble/curves verify, timed in the same run, times the number of
 * verifies `verifyQuote` reports it performed. Goal ≥ 0.5: parsing, chain walking, JSON and TCB
 * matching may at most double the signature cost.
 *
 * The cores are shared, so the two sides are timed alternately (one quote, then its verifies) and
 * each rate is taken at the median latency. Also printed: the extension service worker bundle's
 * growth from the verifier (esbuild, minified, as scripts/build.ts bundles it).
 */
import { p256 } from '@noble/curves/nist.js';
import * as esbuild from 'esbuild';
import { join } from 'node:path';
import * as dcap from '../../shared/dcap';
import { readQuote, verifyQuote } from '../../shared/dcap';
import { SGX, TDX } from '../helpers/dcap-fixtures';
import { ROOT } from '../helpers/root';
import { report } from './lib';

const ROUNDS = 60;
const GOAL = 0.5;
const fixtures = [SGX, TDX];

const counts = fixtures.map((f) => verifyQuote(f.quote, f.collateral, f.inside).ecdsaVerifies);
if (counts[0] !== counts[1]) throw new Error(`SGX and TDX quotes need different verify counts (${counts.join(' vs ')})`);
const verifiesPerQuote = counts[0];

// A real verify of the same shape: the TDX quote's signature over its signed bytes by its attestation key.
const q = readQuote(TDX.quote);
const attestationKey = new Uint8Array([4, ...q.attestationKey]);
const bareVerify = () => {
  if (!p256.verify(q.signature, q.signed, attestationKey, { lowS: false })) throw new Error('the bare verify failed');
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const timed = (fn: () => void) => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};

for (let i = 0; i < 5; i++) { // warm-up: JIT and noble's precomputed tables
  verifyQuote(fixtures[i % 2].quote, fixtures[i % 2].collateral, fixtures[i % 2].inside);
  bareVerify();
}
const quoteMs: number[] = [];
const boundMs: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const f = fixtures[i % 2];
  quoteMs.push(timed(() => verifyQuote(f.quote, f.collateral, f.inside)));
  boundMs.push(timed(() => {
    for (let k = 0; k < verifiesPerQuote; k++) bareVerify();
  }));
}

/** Minified background bundle size, with the verifier in it or stubbed out. */
async function backgroundBytes(withVerifier: boolean): Promise<number> {
  const stub: esbuild.Plugin = {
    name: 'stub-dcap',
    setup(b) {
      b.onResolve({ filter: /(^|\/)dcap(\/index)?$/ }, () => ({ path: 'dcap-stub', namespace: 'stub' }));
      b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
        // Every name the real module exports, each bound to one small throwing function: the bundle builds
        // whatever the verifier exports, and only the verifier's own code is left out of the measure.
        contents: `const no = () => { throw new Error("no verifier"); }; ${Object.keys(dcap).map((n) => `export const ${n} = no;`).join(' ')}`,
        loader: 'js',
      }));
    },
  };
  const entry = withVerifier
    ? "import './extension/background/index.ts'; import { verifyHardwareAttestation } from './shared/crypto/attestation'; globalThis.__dcap = verifyHardwareAttestation;"
    : "import './extension/background/index.ts';";
  const out = await esbuild.build({
    stdin: { contents: entry, resolveDir: ROOT, loader: 'ts' },
    bundle: true, write: false, format: 'esm', platform: 'browser', target: ['chrome111'], minify: true, legalComments: 'none',
    define: { DARK_WALLET_VERSION: '"bench"' }, logLevel: 'error', plugins: withVerifier ? [] : [stub],
    absWorkingDir: join(ROOT),
  });
  return out.outputFiles[0].contents.length;
}
const [without, withVerifier] = [await backgroundBytes(false), await backgroundBytes(true)];

const quoteMedian = median(quoteMs);
const boundMedian = median(boundMs);
console.log(`verifyQuote median ${quoteMedian.toFixed(2)} ms; ${verifiesPerQuote} bare P-256 verifies median ${boundMedian.toFixed(2)} ms (${(boundMedian / verifiesPerQuote).toFixed(2)} ms each)`);
console.log(`service worker bundle: ${(without / 1024).toFixed(1)} KB without the verifier, ${(withVerifier / 1024).toFixed(1)} KB with it`);
report({
  name: 'attestation',
  value: 1000 / quoteMedian,
  unit: 'quotes/s',
  bound: 1000 / boundMedian,
  goal: GOAL,
  verifiesPerQuote,
  swBundleKB: Math.round(withVerifier / 102.4) / 10,
  swGrowthKB: Math.round((withVerifier - without) / 102.4) / 10,
});
