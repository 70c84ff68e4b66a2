/**
 * What the host persists after every block, in ONE atomic file so a crash can never separate them:
 * the enclave's sealed state and the withdraw receipts not yet seen paid on chain. Receipts hold only
 * what `transferToChain` publishes anyway (dest, amount, seq) plus the enclave's signature.
 */
import { ProtocolError } from '../../shared/errors';
import { readReceipt, writeReceipt } from '../../shared/protocol/ledger';
import { decodeExact, encodeWith } from '../../shared/protocol/scale';
import type { SignedReceipt } from '../enclave';

const VERSION = 1;
const MAX_SEALED = 1 << 30;
const MAX_PENDING = 1 << 20;

export interface Snapshot {
  sealed: Uint8Array;
  pending: SignedReceipt[];
}

export const encodeSnapshot = (s: Snapshot): Uint8Array =>
  encodeWith(s, (w, v) => {
    w.u8(VERSION).bytes(v.sealed, MAX_SEALED);
    w.vec(v.pending, MAX_PENDING, (w2, r) => {
      writeReceipt(w2, r.receipt);
      w2.fixed(r.signature, 64);
    });
  }, s.sealed.length + 16 + s.pending.length * 128);

export const decodeSnapshot = (b: Uint8Array): Snapshot =>
  decodeExact(b, (r) => {
    if (r.u8() !== VERSION) throw new ProtocolError('BadVersion', 'Unknown worker snapshot version.');
    return { sealed: r.bytesVec(MAX_SEALED), pending: r.vec(MAX_PENDING, (r2) => ({ receipt: readReceipt(r2), signature: r2.fixed(64) })) };
  });
