/**
 * Typed errors that cross the message path. Code branches on `code`; people read `message`, which is
 * always a sentence saying what to do. Messages never carry secrets.
 */
import { DarkWalletError } from '../../shared/errors';

export const WALLET_ERROR_CODES = [
  'Locked', // the operation needs unlocked keys
  'WrongPassword',
  'NotAuthorized', // the origin has not been granted access (or not to this account)
  'Blocked', // the user rejected this origin earlier; the block is remembered
  'Rejected', // the user rejected this request
  'Cancelled', // the request ended without a decision (window closed, tab closed, cancel)
  'UnknownAccount',
  'UnknownRequest',
  'InvalidInput',
  'TooManyRequests',
  'NotAvailable', // the feature exists in the API but not yet in this build
  'ChainUnavailable',
  'TransactionFailed',
  'WorkerUnavailable', // the confidential worker did not answer (or refused the query)
  'UntrustedWorker', // the contract key on chain is missing or its attestation does not verify
  'ContractKeyChanged', // the chain names another contract key than the one pinned on first use
  'MeasurementRevoked', // governance removed the measurement of the code holding the pinned key
  'RelayUnavailable', // the network's command relayer did not answer or refused; nothing was sent directly
  'Internal',
] as const;
export type WalletErrorCode = (typeof WALLET_ERROR_CODES)[number];

export class WalletError extends DarkWalletError {
  declare readonly code: WalletErrorCode;
  constructor(code: WalletErrorCode, message: string) {
    super(code, message);
  }
}

/** What an error looks like on the wire (ports and `postMessage` only carry plain data). */
export interface WireError {
  code: WalletErrorCode;
  message: string;
}

const KNOWN = new Set<string>(WALLET_ERROR_CODES);

/** Unknown failures become `Internal` with a generic sentence: library messages may echo inputs. */
export function toWireError(e: unknown): WireError {
  if (e instanceof WalletError) return { code: e.code, message: e.message };
  return { code: 'Internal', message: 'Something went wrong in Dark Wallet. Try again, and restart the browser if it keeps happening.' };
}

export function fromWireError(w: unknown): WalletError {
  const o = (typeof w === 'object' && w !== null ? w : {}) as Partial<Record<keyof WireError, unknown>>;
  const code = typeof o.code === 'string' && KNOWN.has(o.code) ? (o.code as WalletErrorCode) : 'Internal';
  const message = typeof o.message === 'string' ? o.message : 'Dark Wallet could not complete the request. Try again.';
  return new WalletError(code, message);
}
