/**
 * One name per secret operation, and the one table of what each side calls it.
 *
 * The name (the key below) is used unchanged by the SDK (`DarkClient.<name>`), the page API
 * (`darkWallet.<name>`), the extension's messages (`pub(dark.<name>)`, `pri(dark.<name>)`), its
 * intents (`op`) and approval requests (`dark<Name>`). The ledger's words are older and part of the
 * wire format (enum tags in test/vectors/protocol.json), so they stay, mapped here: converting to
 * public is the ledger's `Withdraw`, and converting to secret is no command at all but the chain's
 * `transferToTee`, which the ledger records as a `Deposit`.
 *
 * Type-only imports: the popup bundle can read the table without pulling in any codec.
 */
import type { CommandKind } from './command';
import type { HistoryKind } from './ledger';

interface OperationNames {
  /** The `SecretCommand` sealed for it; null when it is a plain extrinsic (no command). */
  command: CommandKind | null;
  /** The kind of the sender's history entry the ledger records for it. */
  history: HistoryKind;
  /** The extrinsic that carries it. */
  extrinsic: 'phalaModule.transferToTee' | 'phalaModule.pushCommand';
}

export const SECRET_OPERATIONS = {
  convertToSecret: { command: null, history: 'Deposit', extrinsic: 'phalaModule.transferToTee' },
  convertToPublic: { command: 'Withdraw', history: 'Withdraw', extrinsic: 'phalaModule.pushCommand' },
  transfer: { command: 'Transfer', history: 'Transfer', extrinsic: 'phalaModule.pushCommand' },
  issue: { command: 'Issue', history: 'Issue', extrinsic: 'phalaModule.pushCommand' },
  mint: { command: 'Mint', history: 'Mint', extrinsic: 'phalaModule.pushCommand' },
  burn: { command: 'Burn', history: 'Burn', extrinsic: 'phalaModule.pushCommand' },
} as const satisfies Record<string, OperationNames>;

export type SecretOperation = keyof typeof SECRET_OPERATIONS;

/** True for operations that are a deposit on chain (no command, no payload hash to follow by). */
export const isDeposit = (op: SecretOperation): boolean => SECRET_OPERATIONS[op].command === null;
