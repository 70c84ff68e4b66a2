/** Round trips of every wire structure: decode(encode(x)) = x and re-encoding is byte-identical. */
import fc from 'fast-check';
import {
  COMMAND_BUCKET, decodeCommand, encodeCommand, padCommand, unpadCommand, type SecretCommand,
} from '../../../shared/protocol/command';
import { MAX_DECIMALS } from '../../../shared/protocol/rules';
import { encodeQueryResponse, decodeQueryResponse, MAX_HISTORY_PAGE } from '../../../shared/protocol/query';
import { decodeAttestation, encodeAttestation } from '../../../shared/protocol/attestation';
import { U128_MAX, accountIdFromBytes, amount, assetId, type Amount } from '../../../shared/types';
import { accountArb, commandArb, historyEntryArb } from './arbitraries';
import { CODECS, concat } from './codecs';
import { expectThrows } from './expect-error';

const RUNS = { numRuns: 300 };

describe.each(CODECS)('$name', ({ arb, encode, decode }) => {
  test('decode(encode(x)) equals x', () => {
    fc.assert(fc.property(arb, (x) => {
      expect(decode(encode(x))).toStrictEqual(x);
    }), RUNS);
  });

  test('decode then encode reproduces the same bytes', () => {
    fc.assert(fc.property(arb, (x) => {
      const bytes = encode(x);
      expect(encode(decode(bytes))).toStrictEqual(bytes);
    }), RUNS);
  });

  test('every proper prefix is Truncated, any extra byte is TrailingBytes', () => {
    fc.assert(fc.property(arb, fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 }), (x, cut, extra) => {
      const bytes = encode(x);
      expectThrows(() => decode(bytes.subarray(0, cut % bytes.length)), 'Truncated');
      expectThrows(() => decode(concat(bytes, extra)), 'TrailingBytes');
    }), { numRuns: 100 });
  });
});

describe('SecretCommand padding', () => {
  test('pad gives the command bucket: SCALE bytes then zeros; unpad inverts it', () => {
    fc.assert(fc.property(commandArb(), (c) => {
      const enc = encodeCommand(c);
      const padded = padCommand(c);
      expect(padded.length).toBe(COMMAND_BUCKET);
      expect(padded.subarray(0, enc.length)).toStrictEqual(enc);
      expect(padded.subarray(enc.length).every((b) => b === 0)).toBe(true);
      expect(unpadCommand(padded)).toStrictEqual(c);
    }), RUNS);
  });

  test('the largest command (12-byte symbol, 32-byte name of 4-byte characters) still fits the bucket', () => {
    const c: SecretCommand = {
      kind: 'Issue', symbol: 'ABCDEFGHIJKL', name: '😀'.repeat(8), decimals: MAX_DECIMALS, supply: U128_MAX as Amount,
    };
    expect(encodeCommand(c).length).toBeLessThanOrEqual(COMMAND_BUCKET);
    expect(unpadCommand(padCommand(c))).toStrictEqual(c);
  });

  test('a non-zero byte anywhere in the padding is BadPadding', () => {
    fc.assert(fc.property(commandArb(), fc.nat(), fc.integer({ min: 1, max: 255 }), (c, at, v) => {
      const padded = padCommand(c);
      const used = encodeCommand(c).length;
      const pos = used + (at % (COMMAND_BUCKET - used));
      padded[pos] = v;
      expectThrows(() => unpadCommand(padded), 'BadPadding');
    }), RUNS);
  });

  test('a bucket of the wrong size is BadLength', () => {
    fc.assert(fc.property(commandArb(), fc.integer({ min: -5, max: 5 }).filter((d) => d !== 0), (c, d) => {
      const padded = padCommand(c);
      const other = d < 0 ? padded.subarray(0, COMMAND_BUCKET + d) : concat(padded, new Uint8Array(d));
      expectThrows(() => unpadCommand(other), 'BadLength');
    }), { numRuns: 50 });
  });

  test('padding is not part of the command: the unpadded SCALE bytes alone decode to the same command', () => {
    fc.assert(fc.property(commandArb(), (c) => {
      expect(decodeCommand(encodeCommand(c))).toStrictEqual(unpadCommand(padCommand(c)));
    }), { numRuns: 100 });
  });
});

describe('limits are inclusive', () => {
  const dest = accountIdFromBytes(new Uint8Array(32).fill(0xab));

  test('symbol of exactly 12 bytes and name of exactly 32 bytes (multi-byte included) are accepted', () => {
    for (const [symbol, name] of [['ABCDEFGHIJKL', 'n'.repeat(32)], ['~!@#$%^&*()_', 'ü'.repeat(16)], ['X', '中'.repeat(10) + 'xx'], ['Y', '𝄞'.repeat(8)]]) {
      const c: SecretCommand = { kind: 'Issue', symbol, name, decimals: 0, supply: amount(1) };
      expect(decodeCommand(encodeCommand(c))).toStrictEqual(c);
    }
  });

  test('u128 and u32 extremes survive', () => {
    for (const v of [0n, U128_MAX]) {
      const c: SecretCommand = { kind: 'Transfer', asset: assetId(0xffff_ffff), dest, amount: v as Amount };
      expect(decodeCommand(encodeCommand(c))).toStrictEqual(c);
    }
  });

  test(`a history page of ${MAX_HISTORY_PAGE} entries round-trips`, () => {
    const [entry] = fc.sample(historyEntryArb(), { numRuns: 1, seed: 7 });
    const r = { kind: 'History' as const, total: MAX_HISTORY_PAGE, entries: Array(MAX_HISTORY_PAGE).fill(entry) };
    expect(decodeQueryResponse(encodeQueryResponse(r))).toStrictEqual(r);
  });

  test('attestation evidence of exactly 16 KiB round-trips', () => {
    const report = {
      provider: 'Dev' as const, contractId: 1 as never, measurement: fc.sample(accountArb(), 1)[0] as never,
      identityPub: new Uint8Array(32), ecdhPub: new Uint8Array(32).fill(9), issuedAt: 5n, signature: new Uint8Array(16 * 1024).fill(3),
    };
    expect(decodeAttestation(encodeAttestation(report))).toStrictEqual(report);
  });
});
