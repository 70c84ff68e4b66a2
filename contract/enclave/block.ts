/**
 * One finalized block into the ledger, in two steps:
 * - `prepareBlock` (async, reads no state): checks the host's items, hashes their refs and opens every
 *   command envelope of the block at once. WebCrypto ECDH runs on libuv's thread pool, so opening a
 *   block's envelopes together is ~2× faster on 2 cores than one after another (TOOLCHAIN.md).
 * - `applyBlock` (sync): applies the items in chain order and closes the block. Nothing can await
 *   between its first apply and `endBlock`, so queries and sealing never see a half-applied block.
 * A bad block is refused whole by `prepareBlock`, before anything is applied.
 */
import { blake2AsU8a } from '@polkadot/util-crypto';
import { ProtocolError } from '../../shared/errors';
import { openCommand, type ContractKey } from '../../shared/crypto/envelope';
import type { SecretCommand } from '../../shared/protocol/command';
import type { WithdrawReceipt } from '../../shared/protocol/ledger';
import { depositRef } from '../../shared/protocol/refs';
import { U128_MAX, U32_MAX, hash32, type AccountId, type Amount, type ContractId, type Hash } from '../../shared/types';
import type { ItemContext, Ledger } from '../ledger';
import { EnclaveError } from './errors';

/** What the host extracts from a finalized block, in extrinsic order (see contract/host/block-items.ts). */
export type BlockItem =
  | { kind: 'command'; index: number; sender: AccountId; contractId: number; payload: Uint8Array }
  | { kind: 'deposit'; index: number; contractId: number; who: AccountId; amount: Amount };

export type PreparedItem =
  | { kind: 'command'; ctx: ItemContext; sender: AccountId; command: SecretCommand | null }
  | { kind: 'deposit'; ctx: ItemContext; who: AccountId; amount: Amount };

/** The chain, contract and key a worker opens commands for. */
export interface BlockScope {
  genesisHash: Uint8Array;
  contractId: ContractId;
  contractKey: ContractKey;
}

export interface AppliedBlock {
  receipts: WithdrawReceipt[];
  touched: AccountId[];
}

const HEX32 = /^0x[0-9a-f]{64}$/;
const isU32 = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= U32_MAX;
const badBlock = (why: string) => new EnclaveError('BadBlock', `The host handed in a malformed block: ${why}.`);

/** The block hash as a Hash; accepts any hex case because hosts print hashes differently. */
export function blockHashOf(hash: string): Hash {
  const h = typeof hash === 'string' ? hash.toLowerCase() : '';
  if (!HEX32.test(h)) throw badBlock('the block hash is not 32 bytes of hex');
  return h as Hash;
}

export function checkBlockNumber(number: number): void {
  if (!isU32(number)) throw badBlock('the block number is not a u32');
}

function checkItems(items: readonly BlockItem[]): void {
  if (!Array.isArray(items)) throw badBlock('items is not a list');
  let last = 0;
  for (const it of items as readonly unknown[]) {
    const item = it as Partial<Record<string, unknown>>;
    // Several deposits can come from one extrinsic, so positions only never decrease.
    if (!isU32(item.index) || item.index < last) throw badBlock('item positions are not in block order');
    last = item.index;
    if (item.kind === 'command') {
      if (typeof item.sender !== 'string' || !HEX32.test(item.sender)) throw badBlock('a command sender is not an AccountId');
      if (!Number.isInteger(item.contractId)) throw badBlock('a command has no contract id');
      if (!(item.payload instanceof Uint8Array)) throw badBlock('a command payload is not bytes');
    } else if (item.kind === 'deposit') {
      if (!Number.isInteger(item.contractId)) throw badBlock('a deposit has no contract id');
      if (typeof item.who !== 'string' || !HEX32.test(item.who)) throw badBlock('a depositor is not an AccountId');
      if (typeof item.amount !== 'bigint' || item.amount < 0n || item.amount > U128_MAX) throw badBlock('a deposit amount is not a u128');
    } else {
      throw badBlock('an item has an unknown kind');
    }
  }
}

/** @polkadot's wasm blake2 (ready once the enclave awaited cryptoWaitReady): ~7× noble's JS on 201 bytes. */
const blake256 = (bytes: Uint8Array): Hash => hash32(blake2AsU8a(bytes, 256));
/**
 * An envelope that does not open or decode is the sender's failed command, decided by the bytes alone.
 * Any other error (the runtime's crypto failing) is not a property of the command: it aborts the block
 * so that every worker still reaches the same state, and the host retries.
 */
async function openOrNull(scope: BlockScope, sender: AccountId, payload: Uint8Array): Promise<SecretCommand | null> {
  try {
    return await openCommand(scope.contractKey, { genesisHash: scope.genesisHash, contractId: scope.contractId, signer: sender }, payload);
  } catch (e) {
    if (e instanceof ProtocolError) return null;
    throw e;
  }
}

/**
 * Commands and deposits addressed to other contracts are dropped here: they are not ours to apply or
 * to fail, and a deposit into another contract's custody must never become secret balance here.
 */
export async function prepareBlock(scope: BlockScope, number: number, blockHash: Hash, items: readonly BlockItem[]): Promise<PreparedItem[]> {
  checkItems(items);
  return Promise.all(
    items
      .filter((it) => it.contractId === scope.contractId)
      .map(async (it): Promise<PreparedItem> => {
        if (it.kind === 'deposit') {
          return { kind: 'deposit', ctx: { block: number, index: it.index, ref: depositRef(blockHash, it.index, it.who, it.amount) }, who: it.who, amount: it.amount };
        }
        const ctx = { block: number, index: it.index, ref: blake256(it.payload) };
        return { kind: 'command', ctx, sender: it.sender, command: await openOrNull(scope, it.sender, it.payload) };
      }),
  );
}

/**
 * Applies a prepared block and closes it. `touched` lists only accounts whose part in the block is
 * already public on chain (extrinsic signers, depositors): naming the recipients of secret transfers
 * would hand the untrusted host the transfer graph the ciphertexts hide.
 */
export function applyBlock(ledger: Ledger, number: number, prepared: readonly PreparedItem[]): AppliedBlock {
  const receipts: WithdrawReceipt[] = [];
  const touched = new Set<AccountId>();
  for (const it of prepared) {
    if (it.kind === 'deposit') {
      ledger.deposit(it.ctx, it.who, it.amount);
      touched.add(it.who);
    } else {
      const { receipt } = ledger.apply(it.ctx, it.sender, it.command);
      if (receipt !== null) receipts.push(receipt);
      touched.add(it.sender);
    }
  }
  ledger.endBlock(number);
  return { receipts, touched: [...touched] };
}
