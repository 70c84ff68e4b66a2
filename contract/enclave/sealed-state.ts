/**
 * The snapshot the host persists after each block (DESIGN.md §6), sealed under the enclave's sealing key:
 *   box(domain "dark-wallet/v1/sealed-state", version 1, context = contractId u32 | genesis 32,
 *       plaintext = Option<Hash> lastBlockHash | canonical ledger bytes to the end)
 * The ledger bytes already carry the last block number and the receipt list (so a receipt seq can
 * never be issued twice after a restore). Query sessions are deliberately not persisted: they are
 * re-opened by clients, and a restored session would restart its reply counters.
 * Binding contract and chain in the AAD makes a blob of another contract or chain fail as DecryptFailed.
 */
import type { ContractId, Hash } from '../../shared/types';
import { readHash, writeHash } from '../../shared/protocol/primitives';
import { ScaleReader, encodeWith } from '../../shared/protocol/scale';
import type { BoxFormat } from './sealed-box';
import type { Sealer } from './secret';

const SEALED_STATE: BoxFormat = { domain: 'dark-wallet/v1/sealed-state', version: 1 };

export interface StateBinding {
  genesisHash: Uint8Array;
  contractId: ContractId;
}

export interface Snapshot {
  lastBlockHash: Hash | null;
  /** `Ledger.encode()` output. */
  ledger: Uint8Array;
}

function contextOf(b: StateBinding): Uint8Array {
  const ctx = new Uint8Array(4 + 32);
  new DataView(ctx.buffer).setUint32(0, b.contractId, true);
  ctx.set(b.genesisHash, 4);
  return ctx;
}

export function sealSnapshot(sealer: Sealer, binding: StateBinding, s: Snapshot): Uint8Array {
  const head = encodeWith(s.lastBlockHash, (w, h) => w.option(h, writeHash), 33);
  const plain = new Uint8Array(head.length + s.ledger.length);
  plain.set(head);
  plain.set(s.ledger, head.length);
  return sealer.seal(SEALED_STATE, contextOf(binding), plain);
}

export function unsealSnapshot(sealer: Sealer, binding: StateBinding, blob: Uint8Array): Snapshot {
  const plain = sealer.open(SEALED_STATE, contextOf(binding), blob);
  const r = new ScaleReader(plain);
  const lastBlockHash = r.option(readHash);
  return { lastBlockHash, ledger: plain.subarray(plain.length - r.remaining) };
}
