/**
 * A small strict DER reader: exactly what X.509 certificates and CRLs from Intel need. Every
 * element must fill its parent exactly and use minimal definite lengths, so no byte of a
 * certificate or CRL can change without changing what it says or failing to parse.
 */

export const TAG = {
  BOOLEAN: 0x01, INTEGER: 0x02, BIT_STRING: 0x03, OCTET_STRING: 0x04, NULL: 0x05, OID: 0x06,
  ENUMERATED: 0x0a, UTC_TIME: 0x17, GENERALIZED_TIME: 0x18, SEQUENCE: 0x30, SET: 0x31,
} as const;

export interface DerElement {
  tag: number;
  /** The whole element, header included (what a signature covers). */
  raw: Uint8Array;
  /** The content octets. */
  body: Uint8Array;
}

/** Reads consecutive elements of one constructed body (or of a whole document). */
export class DerReader {
  #pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.#pos === this.bytes.length;
  }

  peekTag(): number | undefined {
    return this.done ? undefined : this.bytes[this.#pos];
  }

  next(expectedTag?: number): DerElement {
    const b = this.bytes;
    const start = this.#pos;
    if (start + 2 > b.length) throw new RangeError('DER: truncated header');
    const tag = b[start];
    if ((tag & 0x1f) === 0x1f) throw new RangeError('DER: high tag numbers are not used here');
    if (expectedTag !== undefined && tag !== expectedTag) throw new RangeError(`DER: expected tag ${expectedTag}, found ${tag}`);
    let len = b[start + 1];
    let headerLen = 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 3) throw new RangeError('DER: indefinite or oversized length');
      if (start + 2 + n > b.length) throw new RangeError('DER: truncated length');
      len = 0;
      for (let i = 0; i < n; i++) len = (len << 8) | b[start + 2 + i];
      if (b[start + 2] === 0 || len < 0x80) throw new RangeError('DER: non-minimal length');
      headerLen += n;
    }
    const end = start + headerLen + len;
    if (end > b.length) throw new RangeError('DER: element overruns its parent');
    this.#pos = end;
    return { tag, raw: b.subarray(start, end), body: b.subarray(start + headerLen, end) };
  }

  /** The next element if it has this tag (OPTIONAL / DEFAULT fields), else nothing is consumed. */
  optional(tag: number): DerElement | undefined {
    return this.peekTag() === tag ? this.next(tag) : undefined;
  }

  end(): void {
    if (!this.done) throw new RangeError('DER: trailing bytes inside an element');
  }
}

/** The single element that makes up `bytes`, nothing before or after it. */
export function derDocument(bytes: Uint8Array, tag: number): DerElement {
  const r = new DerReader(bytes);
  const el = r.next(tag);
  r.end();
  return el;
}

export const children = (el: DerElement): DerReader => new DerReader(el.body);

/** Non-negative INTEGER as bigint (serial numbers, SVNs); minimal encoding required. */
export function derUint(el: DerElement): bigint {
  const b = el.body;
  if (el.tag !== TAG.INTEGER && el.tag !== TAG.ENUMERATED) throw new RangeError('DER: not an integer');
  if (b.length === 0 || (b[0] & 0x80) !== 0) throw new RangeError('DER: negative or empty integer');
  if (b.length > 1 && b[0] === 0 && (b[1] & 0x80) === 0) throw new RangeError('DER: non-minimal integer');
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

/** Dotted OBJECT IDENTIFIER text. */
export function derOid(el: DerElement): string {
  if (el.tag !== TAG.OID || el.body.length === 0) throw new RangeError('DER: not an OID');
  const arcs: number[] = [];
  let v = 0;
  for (let i = 0; i < el.body.length; i++) {
    const x = el.body[i];
    if (v === 0 && x === 0x80) throw new RangeError('DER: non-minimal OID arc');
    v = v * 128 + (x & 0x7f);
    if (!(x & 0x80)) {
      arcs.push(v);
      v = 0;
    } else if (i === el.body.length - 1) throw new RangeError('DER: truncated OID');
  }
  const first = Math.min(2, Math.floor(arcs[0] / 40));
  return [first, arcs[0] - first * 40, ...arcs.slice(1)].join('.');
}

/** BIT STRING content with no unused bits (keys and signatures are whole bytes). */
export function derBits(el: DerElement): Uint8Array {
  if (el.tag !== TAG.BIT_STRING || el.body.length === 0 || el.body[0] !== 0) throw new RangeError('DER: not a whole-byte BIT STRING');
  return el.body.subarray(1);
}

/** UTCTime (YYMMDDHHMMSSZ) or GeneralizedTime (YYYYMMDDHHMMSSZ) as milliseconds since the epoch. */
export function derTime(el: DerElement): number {
  const s = new TextDecoder().decode(el.body);
  const m = el.tag === TAG.UTC_TIME ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s)
    : el.tag === TAG.GENERALIZED_TIME ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s) : null;
  if (!m) throw new RangeError('DER: not a UTC time');
  let year = Number(m[1]);
  if (el.tag === TAG.UTC_TIME) year += year < 50 ? 2000 : 1900; // RFC 5280 §4.1.2.5.1
  const [mo, d, h, mi, se] = m.slice(2).map(Number);
  const t = Date.UTC(year, mo - 1, d, h, mi, se);
  const check = new Date(t);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || se > 59) throw new RangeError('DER: impossible date');
  return t;
}
