/**
 * SCALE pieces the chain's formats need beyond shared/protocol/scale: compact integers wider than a
 * u32 (block weights, balances), and exact decoding whose failure is the light client's own refusal.
 */
import { ProtocolError } from '../../../shared/errors';
import { decodeExact, type ScaleReader } from '../../../shared/protocol/scale';
import { LightClientError, refuse, type LightClientErrorCode } from './errors';

/** A SCALE compact integer of any width (modes 0–3), refusing non-canonical encodings. */
export function readCompactBig(r: ScaleReader): bigint {
  const first = r.u8();
  const mode = first & 3;
  if (mode === 0) return BigInt(first >>> 2);
  if (mode === 1) {
    const v = (first | (r.u8() << 8)) >>> 2;
    if (v < 1 << 6) throw new ProtocolError('OutOfRange', 'Non-canonical compact integer.');
    return BigInt(v);
  }
  if (mode === 2) {
    const v = ((first | (r.u8() << 8) | (r.u8() << 16) | (r.u8() << 24)) >>> 0) >>> 2;
    if (v < 1 << 14) throw new ProtocolError('OutOfRange', 'Non-canonical compact integer.');
    return BigInt(v);
  }
  const len = (first >>> 2) + 4;
  const bytes = r.fixed(len);
  let v = 0n;
  for (let i = len - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  if (bytes[len - 1] === 0 || v < 1n << 30n) throw new ProtocolError('OutOfRange', 'Non-canonical compact integer.');
  return v;
}

/** `decodeExact`, with any malformation refused as `code`: the host's bytes are hostile input. */
export function decodeOrRefuse<T>(code: LightClientErrorCode, what: string, bytes: Uint8Array, read: (r: ScaleReader) => T): T {
  try {
    return decodeExact(bytes, read);
  } catch (e) {
    if (e instanceof LightClientError) throw e;
    if (e instanceof ProtocolError) throw refuse(code, `${what} is not well-formed SCALE (${e.code}).`);
    throw e;
  }
}
