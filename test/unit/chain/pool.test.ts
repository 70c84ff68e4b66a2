/**
 * The pool hands a block only what the block can take: signatures are verified in parallel and can
 * finish out of order, and a sender's later nonce must not go into a block before an earlier one
 * (the block would refuse it, and every nonce after it with it).
 */
import { TxPool } from '../../../contract/chain/node/pool';
import type { CheckedTx } from '../../../contract/chain/runtime/extrinsic';
import { accountId, type AccountId } from '../../../shared/types';

const ALICE = accountId(new Uint8Array(32).fill(1));
const BOB = accountId(new Uint8Array(32).fill(2));

function tx(signer: AccountId, nonce: number): CheckedTx {
  // The pool reads only the signer, nonce, hash and bytes; the call is never looked at.
  return { bytes: new Uint8Array([nonce]), hash: `${signer}/${nonce}`, call: null as never, signer, nonce, tip: 0n, death: Infinity, proof: null };
}

test("a sender's transactions wait behind its first one still being verified; other senders go ahead", () => {
  const pool = new TxPool();
  const [a0, a1, a2, b0] = [tx(ALICE, 0), tx(ALICE, 1), tx(ALICE, 2), tx(BOB, 0)];
  pool.add(a0, true);
  pool.add(a1, false); // still being verified
  pool.add(a2, true); // verified first: must wait for a1
  pool.add(b0, true);
  expect(pool.ready).toBe(3);
  expect(pool.drain()).toEqual([a0, b0]);
  expect(pool.ready).toBe(1); // a2: verified, waiting
  expect(pool.nextNonce(ALICE, 1)).toBe(3); // a1 and a2 still hold their nonces
  pool.verified(a1);
  expect(pool.drain()).toEqual([a1, a2]);
  expect(pool.ready).toBe(0);
  expect(pool.pending()).toEqual([]);
});

test('a transaction whose signature fails frees its place and the ready count stays true', () => {
  const pool = new TxPool();
  const [a0, a1] = [tx(ALICE, 0), tx(ALICE, 1)];
  pool.add(a0, false);
  pool.add(a1, true);
  expect(pool.drain()).toEqual([]);
  pool.remove(a0);
  expect(pool.ready).toBe(1);
  expect(pool.drain()).toEqual([a1]); // the block refuses it (nonce gap), as a node would
  expect(pool.ready).toBe(0);
});
