/**
 * PEM certificate chains exactly as Intel's PCS and quoting enclaves write them: blocks of 64-column
 * base64 separated by single newlines. Parsing is strict (canonical base64, no stray characters) so
 * that a changed byte anywhere in a chain changes a certificate or fails.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

/** Canonical base64 only: padding as required and zero unused bits. */
export function base64Strict(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new RangeError('base64: length is not a multiple of 4');
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const v = [0, 1, 2, 3].map((k) => {
      const c = text.charCodeAt(i + k);
      if (last && c === 61 && k >= 4 - pad) return 0;
      const x = VALUE[c] ?? -1;
      if (x < 0) throw new RangeError('base64: invalid character');
      return x;
    });
    const n = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    if (last && pad === 2 && (n & 0xffff) !== 0) throw new RangeError('base64: unused bits set');
    if (last && pad === 1 && (n & 0xff) !== 0) throw new RangeError('base64: unused bits set');
    const bytes = [n >> 16, (n >> 8) & 0xff, n & 0xff];
    for (let k = 0; k < 3 && o < out.length; k++) out[o++] = bytes[k];
  }
  return out;
}

const BLOCK = /-----BEGIN CERTIFICATE-----\n((?:[A-Za-z0-9+/]{64}\n)*[A-Za-z0-9+/=]{1,64}\n)-----END CERTIFICATE-----\n/y;

/** DER certificates of a PEM chain, leaf first; only NUL padding may follow the last block. */
export function pemCertificates(text: string): Uint8Array[] {
  const block = new RegExp(BLOCK);
  const out: Uint8Array[] = [];
  let at = 0;
  for (;;) {
    block.lastIndex = at;
    const m = block.exec(text);
    if (!m) break;
    out.push(base64Strict(m[1].replace(/\n/g, '')));
    at = block.lastIndex;
  }
  if (out.length === 0 || !/^\0*$/.test(text.slice(at))) throw new RangeError('PEM: not a certificate chain');
  return out;
}
