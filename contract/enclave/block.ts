/**
 * One verified block into the ledger, in two steps:
 * - `prepareBlock` (async, reads no state): takes this contract's commands and deposits from what the
 *   light client verified (never from the host), hashes their refs and opens every command envelope of
 *   the block at once. WebCrypto ECDH runs on libuv's thread pool, so opening a block's envelopes
 *   together is ~2× faster on 2 cores than one after another (TOOLCHAIN.md).
 * - `applyBlock` (sync): applies the items in chain order and closes the block. Nothing can await
 *   between its first apply and `endBlock`, so queries and sealing never see a half-applied block.
 */
import { blake2AsU8a } from '@polkadot/util-crypto';
import { ProtocolError } from '../../shared/errors';
import { verifyAccountSignature } from '../../shared/crypto/account-signature';
import { openBody, type ContractKey } from '../../shared/crypto/envelope';
import type { SecretCommand } from '../../shared/protocol/command';
import { relayMessage, type EnvelopeBody } from '../../shared/protocol/relay';
import type { WithdrawReceipt } from '../../shared/protocol/ledger';
import { depositRef } from '../../shared/protocol/refs';
import { hash32, type AccountId, type Amount, type ContractId, type Hash } from '../../shared/types';
import type { ItemContext, Ledger, RelayedItem } from '../ledger';
import type { LedgerInputs } from './light-client';

/**
 * `command` null: the envelope did not open or decode, or a relayed command's user signature did not
 * verify (the submitter's failure: nobody else can be named). A dummy is kept only so that counts
 * the host sees do not tell dummies from commands; it applies nothing.
 */
export type PreparedItem =
  | { kind: 'command'; ctx: ItemContext; sender: AccountId; command: SecretCommand | null }
  | { kind: 'relayed'; ctx: ItemContext; relayer: AccountId; relayed: RelayedItem }
  | { kind: 'dummy'; ctx: ItemContext; sender: AccountId }
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

/** @polkadot's wasm blake2 (ready once the enclave awaited cryptoWaitReady): ~7× noble's JS on 329 bytes. */
const blake256 = (bytes: Uint8Array): Hash => hash32(blake2AsU8a(bytes, 256));

/**
 * An envelope that does not open or decode is the sender's failed command, decided by the bytes alone.
 * Any other error (the runtime's crypto failing) is not a property of the command: it aborts the block
 * so that every worker still reaches the same state, and the host retries.
 */
async function openOrNull(scope: BlockScope, sender: AccountId, payload: Uint8Array): Promise<EnvelopeBody | null> {
  try {
    return await openBody(scope.contractKey, { genesisHash: scope.genesisHash, contractId: scope.contractId, signer: sender }, payload);
  } catch (e) {
    if (e instanceof ProtocolError) return null;
    throw e;
  }
}

/** What one opened envelope becomes: the relayer is the verified extrinsic signer the user signed for. */
function itemOf(scope: BlockScope, ctx: ItemContext, sender: AccountId, body: EnvelopeBody | null): PreparedItem {
  if (body === null) return { kind: 'command', ctx, sender, command: null };
  switch (body.kind) {
    case 'Direct':
      return { kind: 'command', ctx, sender, command: body.command };
    case 'Dummy':
      return { kind: 'dummy', ctx, sender };
    case 'Relayed': {
      const { user, nonce, fee, command, signature } = body.relayed;
      const message = relayMessage({ genesisHash: scope.genesisHash, contractId: scope.contractId, relayer: sender }, nonce, fee, command);
      return verifyAccountSignature(user, signature, message)
        ? { kind: 'relayed', ctx, relayer: sender, relayed: { user, nonce, fee, command } }
        : { kind: 'command', ctx, sender, command: null };
    }
  }
}

/**
 * This contract's successful `pushCommand`s and its `TransferToTee` deposits, in extrinsic order.
 * Commands that failed on chain (the pallet refused them) and items of other contracts are dropped:
 * they are not ours to apply or to fail, and a deposit into another contract's custody must never
 * become secret balance here.
 */
export async function prepareBlock(scope: BlockScope, number: number, blockHash: Hash, inputs: LedgerInputs): Promise<PreparedItem[]> {
  const deposits = inputs.deposits
    .filter((d) => d.contractId === scope.contractId)
    .map((d): PreparedItem => ({ kind: 'deposit', ctx: { block: number, index: d.index, ref: depositRef(blockHash, d.index, d.who, d.amount) }, who: d.who, amount: d.amount }));
  const commands = await Promise.all(inputs.commands
    .filter((c) => c.success && c.contractId === scope.contractId)
    .map(async (c): Promise<PreparedItem> =>
      itemOf(scope, { block: number, index: c.index, ref: blake256(c.payload) }, c.sender, await openOrNull(scope, c.sender, c.payload))));
  // Stable: several deposits of one extrinsic keep their event order.
  return [...commands, ...deposits].sort((a, b) => a.ctx.index - b.ctx.index);
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
    } else if (it.kind === 'dummy') {
      touched.add(it.sender);
    } else {
      // A relayed command's user is not public on chain: only its relayer is touched.
      const { receipt } = it.kind === 'relayed' ? ledger.applyRelayed(it.ctx, it.relayer, it.relayed) : ledger.apply(it.ctx, it.sender, it.command);
      if (receipt !== null) receipts.push(receipt);
      touched.add(it.kind === 'relayed' ? it.relayer : it.sender);
    }
  }
  ledger.endBlock(number);
  return { receipts, touched: [...touched] };
}
