/**
 * What the quoted enclave or TD was started with: a debug enclave or TD lets the host read and
 * change its memory, and a TD must not let the host turn its accesses to pending pages into #VE
 * (SEPT_VE_DISABLE), nor set attribute bits this code does not know. Pure checks on a parsed body.
 */
import { DcapError } from './errors';
import type { QuoteBody } from './quote';

/** SGX ATTRIBUTES.DEBUG (byte 0, bit 1). */
const SGX_DEBUG = 0x02;

/** TDATTRIBUTES as a little-endian u64 (Intel TDX module ABI, TD_PARAMS.ATTRIBUTES). */
const TD_DEBUG = 1n; // TUD bit 0
const TD_SEPT_VE_DISABLE = 1n << 28n; // SEC bit 28
/** TUD bits 1-7, SEC bits 8-27 and 29, OTHER bits 32-62: reserved, must be zero. PKS (30), KL (31) and PERFMON (63) are allowed. */
const TD_RESERVED = 0x7fff_ffff_2fff_fffen;

export function checkTeeAttributes(body: QuoteBody): void {
  if (body.tee === 'sgx') {
    if (body.report.attributes[0] & SGX_DEBUG) throw new DcapError('DebugEnclave', 'The quote is from a debug enclave, whose memory the host can read.');
    return;
  }
  const a = body.report.tdAttributes;
  const attributes = new DataView(a.buffer, a.byteOffset, a.byteLength).getBigUint64(0, true);
  if (attributes & TD_DEBUG) throw new DcapError('DebugEnclave', 'The quote is from a debug trust domain, whose memory the host can read.');
  if (attributes & TD_RESERVED) throw new DcapError('ReservedAttributeSet', 'The trust domain was started with reserved attribute bits set.');
  if (!(attributes & TD_SEPT_VE_DISABLE)) {
    throw new DcapError('SeptVeNotDisabled', 'The trust domain lets the host raise #VE on its pending pages (SEPT_VE_DISABLE is off).');
  }
}
