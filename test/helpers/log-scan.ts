/**
 * Log-leak scanning: every rendering of a secret a log line might carry (amounts in base units,
 * token units, hex and SCALE; accounts as hex and ss58; keys as hex and base64; mnemonic words as
 * whole words) and a scanner for lines. Used by the process log scan and the browser console scan.
 */
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToHex } from '@polkadot/util';
import { encodeAddress, mnemonicGenerate } from '@polkadot/util-crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatUnits } from '../../shared/units';
import { u128Le } from '../integration/helpers/leak-scan';
import { ROOT } from './root';

export interface Needle {
  label: string;
  text: string;
  /** Whole word, any case (mnemonic words). */
  word?: boolean;
  /** Case matters (base64). Otherwise any case (hex, addresses are compared as printed). */
  exactCase?: boolean;
}

export interface Hit {
  label: string;
  line: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function scanLines(lines: readonly string[], needles: readonly Needle[]): Hit[] {
  const hits: Hit[] = [];
  const words = needles.filter((n) => n.word).map((n) => ({ n, re: new RegExp(`(^|[^a-z])${escape(n.text.toLowerCase())}([^a-z]|$)`, 'i') }));
  for (const line of lines) {
    const lower = line.toLowerCase();
    for (const n of needles) {
      if (n.word) continue;
      if (n.exactCase ? line.includes(n.text) : lower.includes(n.text.toLowerCase())) hits.push({ label: n.label, line });
    }
    for (const { n, re } of words) if (re.test(line)) hits.push({ label: n.label, line });
  }
  return hits;
}

/** An amount as a log line might print it: base units, grouped, in units of the token, hex, SCALE bytes. */
export function amountNeedles(label: string, value: bigint, decimals: number): Needle[] {
  const le = u8aToHex(u128Le(value)).slice(2);
  const out: Needle[] = [
    { label: `${label} (base units)`, text: value.toString() },
    { label: `${label} (grouped base units)`, text: value.toLocaleString('en-US') },
    { label: `${label} (token units)`, text: formatUnits(value, decimals) },
    { label: `${label} (hex)`, text: value.toString(16) },
    { label: `${label} (SCALE u128)`, text: le },
    { label: `${label} (SCALE u128, trailing zero bytes dropped)`, text: le.replace(/(00)+$/, '') },
  ];
  const [whole, frac] = formatUnits(value, decimals).split('.');
  out.push({ label: `${label} (grouped token units)`, text: `${BigInt(whole).toLocaleString('en-US')}${frac ? `.${frac}` : ''}` });
  return dedupe(out);
}

export function accountNeedles(label: string, pair: KeyringPair): Needle[] {
  return dedupe([
    { label: `${label} (hex account id)`, text: u8aToHex(pair.publicKey).slice(2) },
    { label: `${label} (ss58, dev prefix 42)`, text: encodeAddress(pair.publicKey, 42), exactCase: true },
    { label: `${label} (ss58, Polkadot prefix 0)`, text: encodeAddress(pair.publicKey, 0), exactCase: true },
    { label: `${label} (ss58, Kusama prefix 2)`, text: encodeAddress(pair.publicKey, 2), exactCase: true },
  ]);
}

export function bytesNeedles(label: string, bytes: Uint8Array): Needle[] {
  const b = Buffer.from(bytes);
  return [
    { label: `${label} (hex)`, text: b.toString('hex') },
    { label: `${label} (base64)`, text: b.toString('base64').replace(/=+$/, ''), exactCase: true },
    { label: `${label} (base64url)`, text: b.toString('base64url'), exactCase: true },
  ];
}

function dedupe(ns: Needle[]): Needle[] {
  const seen = new Set<string>();
  return ns.filter((n) => !seen.has(n.text) && seen.add(n.text));
}

/**
 * Every lowercase word of the source of what prints the logs (our `dirs`, and the polkadot-js
 * packages whose messages end up in them, e.g. "RPC-CORE: … disconnected …"): words a log line
 * may contain by design.
 */
export function sourceVocabulary(dirs: readonly string[], polkadotPackages: readonly string[]): Set<string> {
  const words = new Set<string>();
  const walk = (dir: string, ext: string) => {
    for (const name of readdirSync(dir)) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p, ext);
      else if (name.endsWith(ext)) for (const w of readFileSync(p, 'utf8').toLowerCase().match(/[a-z]+/g) ?? []) words.add(w);
    }
  };
  for (const dir of dirs) walk(join(ROOT, dir), '.ts');
  for (const pkg of polkadotPackages) walk(join(ROOT, 'node_modules/@polkadot', pkg, 'cjs'), '.js');
  return words;
}

/**
 * A fresh 12-word mnemonic none of whose words occurs in the processes' own source: then any of its
 * words in a log line can only have come from the mnemonic. (Words like "block" or "state" are
 * BIP-39 words and also what every worker log line says.)
 */
export function mnemonicOutside(vocabulary: Set<string>): string {
  for (;;) {
    const m = mnemonicGenerate(12);
    if (m.split(' ').every((w) => !vocabulary.has(w))) return m;
  }
}

