/**
 * Hostile input: every decoder meets random bytes, mutated valid encodings and hand-made malformed
 * structures. The only thing allowed to escape is a typed ProtocolError; whatever does decode is canonical.
 */
import fc from 'fast-check';
import { ProtocolError } from '../../../shared/errors';
import {
  COMMAND_BUCKET, decodeCommand, encodeCommand, padCommand, unpadCommand, type SecretCommand,
} from '../../../shared/protocol/command';
import { MAX_DECIMALS, MAX_NAME_BYTES, MAX_SYMBOL_BYTES } from '../../../shared/protocol/rules';
import {
  Directions, HistoryKinds, LedgerErrorCodes, decodeHistoryEntry, decodeReceipt, encodeAssetInfo, encodeHistoryEntry,
  encodeReceipt, decodeAssetInfo, type HistoryEntry,
} from '../../../shared/protocol/ledger';
import {
  MAX_HISTORY_PAGE, QueryErrorCodes, QueryKinds, QueryRequestKinds, QueryResponseKinds, SignatureSchemes,
  decodeQuery, decodeQueryRequest, decodeQueryResponse, encodeQuery, encodeQueryRequest, encodeQueryResponse,
} from '../../../shared/protocol/query';
import { AttestationProviders, decodeAttestation, encodeAttestation } from '../../../shared/protocol/attestation';
import { ScaleReader, ScaleWriter } from '../../../shared/protocol/scale';
import { CommandKinds } from '../../../shared/protocol/command';
import { U128_MAX, U32_MAX, U64_MAX, accountIdFromBytes, type AccountId, type Amount, type AssetId, type Hash } from '../../../shared/types';
import { commandArb, historyEntryArb } from './arbitraries';
import { CODECS, DECODERS, concat } from './codecs';
import { expectProtocolError, expectThrows, thrown } from './expect-error';

const w = () => new ScaleWriter();
const acct = (fill: number) => accountIdFromBytes(new Uint8Array(32).fill(fill));
const dest: AccountId = acct(0x11);
const issue = (symbol: string, name: string, decimals = 12): SecretCommand =>
  ({ kind: 'Issue', symbol, name, decimals, supply: 1000n as Amount });
/** Issue with raw symbol/name bytes and decimals, bypassing the encoder's checks. */
const rawIssue = (symbol: Uint8Array, name: Uint8Array, decimals: number) =>
  w().u8(CommandKinds.tagOf('Issue')).bytes(symbol, 1 << 20).bytes(name, 1 << 20).u8(decimals).u128(1n).finish();
const utf8 = (s: string) => new TextEncoder().encode(s);

/** Decodes or throws a ProtocolError; whatever decodes re-encodes to exactly the same bytes. */
function decodesCanonicallyOrRejects(codec: { decode(b: Uint8Array): unknown; encode(v: unknown): Uint8Array }, bytes: Uint8Array) {
  let value: unknown;
  try {
    value = codec.decode(bytes);
  } catch (e) {
    expectProtocolError(e);
    return;
  }
  expect(codec.encode(value)).toStrictEqual(bytes);
}

describe('random bytes into every decoder', () => {
  test.each(DECODERS)('$name: only ProtocolError escapes', ({ decode }) => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (b) => {
      const e = thrown(() => decode(b));
      if (e !== undefined) expectProtocolError(e);
    }), { numRuns: 2000 });
  });

  test.each(DECODERS)('$name: a valid-looking tag followed by random bytes', ({ decode }) => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 8 }), fc.uint8Array({ maxLength: 300 }), (tag, tail) => {
      const e = thrown(() => decode(concat(Uint8Array.of(tag), tail)));
      if (e !== undefined) expectProtocolError(e);
    }), { numRuns: 2000 });
  });

  test('unpadCommand of any 128 bytes: a command or a ProtocolError', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 5 }), fc.uint8Array({ minLength: 127, maxLength: 127 }), (tag, rest) => {
      const bucket = concat(Uint8Array.of(tag), rest);
      let c: SecretCommand;
      try {
        c = unpadCommand(bucket);
      } catch (e) {
        expectProtocolError(e);
        return;
      }
      expect(padCommand(c)).toStrictEqual(bucket);
    }), { numRuns: 2000 });
  });
});

describe('mutated valid encodings: rejected with ProtocolError, or decode canonically', () => {
  const mutation = fc.oneof(
    fc.record({ op: fc.constant('set' as const), at: fc.nat(), v: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ op: fc.constant('insert' as const), at: fc.nat(), v: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ op: fc.constant('delete' as const), at: fc.nat(), v: fc.constant(0) }),
  );
  function mutate(bytes: Uint8Array, ms: { op: 'set' | 'insert' | 'delete'; at: number; v: number }[]): Uint8Array {
    let b: Uint8Array = bytes.slice();
    for (const m of ms) {
      const at = b.length ? m.at % b.length : 0;
      if (m.op === 'set' && b.length) b[at] = m.v;
      else if (m.op === 'insert') b = concat(b.subarray(0, at), Uint8Array.of(m.v), b.subarray(at));
      else if (m.op === 'delete') b = concat(b.subarray(0, at), b.subarray(at + 1));
    }
    return b;
  }
  test.each(CODECS)('$name', (codec) => {
    fc.assert(fc.property(codec.arb, fc.array(mutation, { minLength: 1, maxLength: 3 }), (x, ms) => {
      decodesCanonicallyOrRejects(codec, mutate(codec.encode(x), ms));
    }), { numRuns: 300 });
  });
});

describe('compact lengths', () => {
  test('any byte string either decodes as a compact that re-encodes to exactly the bytes read, or is a ProtocolError', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 0, maxLength: 6 }), (b) => {
      const r = new ScaleReader(b);
      let v: number;
      try {
        v = r.compact();
      } catch (e) {
        expectProtocolError(e, 'Truncated', 'OutOfRange');
        return;
      }
      expect(w().compact(v).finish()).toStrictEqual(b.subarray(0, b.length - r.remaining));
    }), { numRuns: 3000 });
  });

  test.each([
    ['2-byte form for 3', [0x0d, 0x00]],
    ['4-byte form for 3', [0x0e, 0x00, 0x00, 0x00]],
    ['4-byte form for 63', [0xfe, 0x00, 0x00, 0x00]],
    ['big-integer form for 3', [0x03, 0x03, 0x00, 0x00, 0x00]],
  ])('non-canonical %s is OutOfRange', (_label, prefix) => {
    const symbol = Uint8Array.of(...prefix, 0x41, 0x42, 0x43);
    const bytes = concat(Uint8Array.of(CommandKinds.tagOf('Issue')), symbol, w().str('Name', 32).u8(2).u128(1n).finish());
    expectThrows(() => decodeCommand(bytes), 'OutOfRange');
  });

  test('a compact longer than u32 (5+ byte big-integer form) is OutOfRange', () => {
    const bytes = Uint8Array.of(QueryResponseKinds.tagOf('Balances'), 0x07, 1, 0, 0, 0, 0);
    expectThrows(() => decodeQueryResponse(bytes), 'OutOfRange');
  });

  test('the canonical 2-byte form is accepted (64 balances)', () => {
    const balances = Array.from({ length: 64 }, (_, i) => ({ asset: i as AssetId, amount: BigInt(i) as Amount }));
    const bytes = encodeQueryResponse({ kind: 'Balances', balances });
    expect([...bytes.subarray(1, 3)]).toEqual([0x01, 0x01]);
    expect(decodeQueryResponse(bytes)).toStrictEqual({ kind: 'Balances', balances });
  });
});

describe('string and number limits', () => {
  test(`symbol over ${MAX_SYMBOL_BYTES} bytes is FieldTooLong on encode and decode, counted in UTF-8 bytes`, () => {
    for (const symbol of ['ABCDEFGHIJKLM', '~'.repeat(40)]) expectThrows(() => encodeCommand(issue(symbol, 'Name')), 'FieldTooLong');
    for (const symbol of ['ABCDEFGHIJKLM', '€€€€a', '😀😀😀a']) {
      expect(symbol.length).toBeLessThanOrEqual(MAX_SYMBOL_BYTES + 1);
      expectThrows(() => decodeCommand(rawIssue(utf8(symbol), utf8('Name'), 2)), 'FieldTooLong');
      expectThrows(() => encodeAssetInfo({ id: 3 as AssetId, symbol, name: 'N', decimals: 2, issuer: null }), 'FieldTooLong');
    }
  });

  test(`name over ${MAX_NAME_BYTES} bytes is FieldTooLong on encode and decode`, () => {
    for (const name of ['n'.repeat(33), 'ü'.repeat(16) + 'x', '😀'.repeat(8) + 'x']) {
      expectThrows(() => encodeCommand(issue('SYM', name)), 'FieldTooLong');
      expectThrows(() => decodeCommand(rawIssue(utf8('SYM'), utf8(name), 2)), 'FieldTooLong');
    }
  });

  test('empty symbol or name is refused both ways', () => {
    expectThrows(() => encodeCommand(issue('', 'Name')), 'OutOfRange');
    expectThrows(() => encodeCommand(issue('SYM', '')), 'OutOfRange');
    expectThrows(() => decodeCommand(rawIssue(new Uint8Array(0), utf8('Name'), 2)), 'OutOfRange');
    expectThrows(() => decodeCommand(rawIssue(utf8('SYM'), new Uint8Array(0), 2)), 'OutOfRange');
  });

  test(`decimals above ${MAX_DECIMALS} are OutOfRange on encode and decode`, () => {
    for (const d of [MAX_DECIMALS + 1, 255]) {
      expectThrows(() => encodeCommand(issue('SYM', 'Name', d)), 'OutOfRange');
      expectThrows(() => decodeCommand(rawIssue(utf8('SYM'), utf8('Name'), d)), 'OutOfRange');
    }
    for (const d of [-1, 1.5, 256, Number.NaN]) expectThrows(() => encodeCommand(issue('SYM', 'Name', d)), 'OutOfRange');
    expect(decodeCommand(rawIssue(utf8('SYM'), utf8('Name'), MAX_DECIMALS))).toMatchObject({ decimals: MAX_DECIMALS });
  });

  test.each([
    ['a lone continuation byte', [0x80]],
    ['0xff', [0xff]],
    ['an overlong NUL', [0xc0, 0x80]],
    ['an overlong slash', [0xe0, 0x80, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a cut 3-byte sequence', [0xe2, 0x82]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ])('invalid UTF-8 (%s) is OutOfRange, in commands and asset info', (_label, bad) => {
    const b = Uint8Array.of(0x41, ...bad);
    expectThrows(() => decodeCommand(rawIssue(b, utf8('Name'), 2)), 'OutOfRange');
    expectThrows(() => decodeCommand(rawIssue(utf8('SYM'), b, 2)), 'OutOfRange');
    const info = w().u32(1).bytes(b, 12).str('Name', 32).u8(2).u8(0).finish();
    expectThrows(() => decodeAssetInfo(info), 'OutOfRange');
  });

  test('a leading byte-order mark is content: kept on decode, distinct from the string without it', () => {
    for (const name of ['\uFEFF', '\uFEFFDark', '\uFEFF\uFEFF']) {
      const withBom = issue('PHA', name);
      expect(decodeCommand(encodeCommand(withBom))).toStrictEqual(withBom);
      expect(encodeCommand(withBom)).not.toStrictEqual(encodeCommand(issue('PHA', name.slice(1) || 'x')));
    }
    const info = { id: 2 as AssetId, symbol: 'PHA', name: '\uFEFFPhala', decimals: 12, issuer: null };
    expect(decodeAssetInfo(encodeAssetInfo(info))).toStrictEqual(info);
  });

  test('a string with a lone surrogate cannot be encoded (it has no UTF-8 form)', () => {
    for (const s of ['A\uD800', '\uDFFFB', 'x\uDC00\uD800']) {
      expectThrows(() => encodeCommand(issue(s, 'Name')), 'OutOfRange');
      expectThrows(() => encodeCommand(issue('SYM', s)), 'OutOfRange');
    }
    expect(decodeCommand(encodeCommand(issue('G', '𝄞😀')))).toStrictEqual(issue('G', '𝄞😀'));
  });

  test('numbers outside their type are OutOfRange on encode', () => {
    const cases: SecretCommand[] = [
      { kind: 'Transfer', asset: 0 as AssetId, dest, amount: (U128_MAX + 1n) as Amount },
      { kind: 'Transfer', asset: 0 as AssetId, dest, amount: -1n as Amount },
      { kind: 'Withdraw', dest, amount: (1n << 200n) as Amount },
      { kind: 'Mint', asset: (U32_MAX + 1) as AssetId, amount: 1n as Amount },
      { kind: 'Burn', asset: -1 as AssetId, amount: 1n as Amount },
      { kind: 'Burn', asset: 1.5 as AssetId, amount: 1n as Amount },
      { kind: 'Mint', asset: 1 as AssetId, amount: 1 as unknown as Amount },
      { kind: 'Issue', symbol: 'SYM', name: 'Name', decimals: 2, supply: (U128_MAX + 1n) as Amount },
    ];
    for (const c of cases) expectThrows(() => encodeCommand(c), 'OutOfRange');
    expectThrows(() => encodeReceipt({ contractId: 1 as never, seq: U64_MAX + 1n, dest, amount: 1n as Amount }), 'OutOfRange');
    expectThrows(() => encodeQuery({ kind: 'History', from: 0, limit: 0x1_0000 }), 'OutOfRange');
    expectThrows(() => encodeQuery({ kind: 'Receipt', seq: -1n }), 'OutOfRange');
  });

  test('fixed-size fields of the wrong size are BadLength on encode', () => {
    const sig = { scheme: 'Sr25519' as const, bytes: new Uint8Array(64) };
    expectThrows(() => encodeQueryRequest({ kind: 'OpenSession', account: dest, sessionPub: new Uint8Array(31), expiresAt: 1n, signature: sig }), 'BadLength');
    expectThrows(() => encodeQueryRequest({ kind: 'Signed', account: dest, issuedAt: 1n, query: { kind: 'Balances' }, signature: { ...sig, bytes: new Uint8Array(65) } }), 'BadLength');
    expectThrows(() => encodeQueryResponse({ kind: 'Session', sessionId: new Uint8Array(15), salt: new Uint8Array(32), expiresAt: 1n }), 'BadLength');
    expectThrows(() => encodeQueryResponse({ kind: 'Receipt', receipt: null, signature: new Uint8Array(63) }), 'BadLength');
    expectThrows(() => encodeCommand({ kind: 'Withdraw', dest: `0x${'ab'.repeat(31)}` as AccountId, amount: 1n as Amount }), 'BadLength');
    expectThrows(() => encodeHistoryEntry({ ...sampleEntry(), ref: '0x1234' as Hash }), 'BadLength');
  });

  test(`a history page over ${MAX_HISTORY_PAGE} entries and evidence over 16 KiB are FieldTooLong both ways`, () => {
    const entry = sampleEntry();
    const page = (n: number) => ({ kind: 'History' as const, total: n, entries: Array<HistoryEntry>(n).fill(entry) });
    expectThrows(() => encodeQueryResponse(page(MAX_HISTORY_PAGE + 1)), 'FieldTooLong');
    const crafted = w().u8(QueryResponseKinds.tagOf('History')).u32(101).compact(101);
    for (let i = 0; i < 101; i++) crafted.fixed(encodeHistoryEntry(entry), encodeHistoryEntry(entry).length);
    expectThrows(() => decodeQueryResponse(crafted.finish()), 'FieldTooLong');

    const report = {
      provider: 'Dev' as const, contractId: 1 as never, measurement: `0x${'11'.repeat(32)}` as Hash,
      identityPub: new Uint8Array(32), ecdhPub: new Uint8Array(32), issuedAt: 1n, signature: new Uint8Array(16 * 1024 + 1),
    };
    expectThrows(() => encodeAttestation(report), 'FieldTooLong');
    const body = encodeAttestation({ ...report, signature: new Uint8Array(0) });
    const forged = concat(body.subarray(0, body.length - 1), w().compact(16 * 1024 + 1).finish(), new Uint8Array(16 * 1024 + 1));
    expectThrows(() => decodeAttestation(forged), 'FieldTooLong');
  });

  test('a huge declared list length with no bytes behind it is Truncated, not an allocation', () => {
    const bytes = concat(Uint8Array.of(QueryResponseKinds.tagOf('Assets')), w().compact(65_536).finish());
    expectThrows(() => decodeQueryResponse(bytes), 'Truncated');
    expectThrows(() => decodeQueryResponse(concat(Uint8Array.of(QueryResponseKinds.tagOf('Assets')), w().compact(65_537).finish())), 'FieldTooLong');
  });
});

function sampleEntry(): HistoryEntry {
  return fc.sample(historyEntryArb(), { numRuns: 1, seed: 42 })[0];
}

describe('unknown enum tags are UnknownVariant', () => {
  const entryBytes = () => encodeHistoryEntry({ ...sampleEntry(), counterparty: null, outcome: { ok: false, error: 'Overflow' } });
  // HistoryEntry layout: block 4 | index 4 | kind 1 | direction 1 | asset 4 | counterparty option …
  const historyAt = (offset: number, v: number) => {
    const b = entryBytes();
    b[offset] = v;
    return b;
  };
  const cases: [string, () => Uint8Array, (b: Uint8Array) => unknown][] = [
    ['command kind', () => concat(Uint8Array.of(CommandKinds.names.length), new Uint8Array(52)), decodeCommand],
    ['command kind 255', () => concat(Uint8Array.of(255), new Uint8Array(52)), decodeCommand],
    ['history kind', () => historyAt(8, HistoryKinds.names.length), decodeHistoryEntry],
    ['history direction', () => historyAt(9, Directions.names.length), decodeHistoryEntry],
    ['history counterparty option tag', () => historyAt(14, 2), decodeHistoryEntry],
    ['history outcome tag', () => historyAt(14 + 1 + 16, 2), decodeHistoryEntry],
    ['ledger error code', () => historyAt(14 + 1 + 16 + 1, LedgerErrorCodes.names.length), decodeHistoryEntry],
    ['asset issuer option tag', () => concat(encodeAssetInfo({ id: 1 as AssetId, symbol: 'A', name: 'B', decimals: 0, issuer: null }).subarray(0, -1), Uint8Array.of(2)), decodeAssetInfo],
    ['query kind', () => Uint8Array.of(QueryKinds.names.length), decodeQuery],
    ['query request kind', () => Uint8Array.of(QueryRequestKinds.names.length, 0), decodeQueryRequest],
    ['signature scheme', () => {
      const b = encodeQueryRequest({ kind: 'Signed', account: dest, issuedAt: 1n, query: { kind: 'Balances' }, signature: { scheme: 'Ed25519', bytes: new Uint8Array(64) } });
      b[b.length - 65] = SignatureSchemes.names.length;
      return b;
    }, decodeQueryRequest],
    ['query response kind', () => Uint8Array.of(QueryResponseKinds.names.length), decodeQueryResponse],
    ['query error code', () => Uint8Array.of(QueryResponseKinds.tagOf('Error'), QueryErrorCodes.names.length), decodeQueryResponse],
    ['receipt option tag', () => Uint8Array.of(QueryResponseKinds.tagOf('Receipt'), 2, 0), decodeQueryResponse],
    ['attestation provider', () => {
      const b = encodeAttestation({ provider: 'Dev', contractId: 1 as never, measurement: `0x${'11'.repeat(32)}` as Hash, identityPub: new Uint8Array(32), ecdhPub: new Uint8Array(32), issuedAt: 1n, signature: new Uint8Array(64) });
      b[0] = AttestationProviders.names.length;
      return b;
    }, decodeAttestation],
  ];
  test.each(cases)('%s', (_label, make, decode) => {
    expectThrows(() => decode(make()), 'UnknownVariant');
  });

  test('the tags just below the limits still decode (the cases above test the boundary)', () => {
    expect(decodeHistoryEntry(historyAt(8, HistoryKinds.names.length - 1)).kind).toBe('RelayFee');
    expect(decodeHistoryEntry(historyAt(14 + 1 + 16 + 1, LedgerErrorCodes.names.length - 1)).outcome).toEqual({ ok: false, error: 'FeeUnpaid' });
    expect(decodeQueryResponse(Uint8Array.of(QueryResponseKinds.tagOf('Error'), QueryErrorCodes.names.length - 1))).toEqual({ kind: 'Error', code: 'NotGranted' });
  });

  test('an unknown kind on encode is UnknownVariant', () => {
    expectThrows(() => encodeCommand({ kind: 'SetViewingKey' } as unknown as SecretCommand), 'UnknownVariant');
    expectThrows(() => encodeQuery({ kind: 'Everything' } as never), 'UnknownVariant');
  });
});

test('padded plaintext of every command kind is the same size, and the command never fills it by accident', () => {
  fc.assert(fc.property(commandArb(), (c) => {
    expect(padCommand(c).length).toBe(COMMAND_BUCKET);
    expect(encodeCommand(c).length).toBeLessThan(COMMAND_BUCKET);
  }), { numRuns: 300 });
});

test('ProtocolError is what escapes, with a readable sentence', () => {
  const e = thrown(() => decodeReceipt(new Uint8Array(3)));
  expect(e).toBeInstanceOf(ProtocolError);
  expect((e as ProtocolError).message).toMatch(/\w+ \w+/);
});
