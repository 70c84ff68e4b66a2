/**
 * Secret-asset failures as sentences people can act on. SDK errors (`ClientError`) become typed
 * `WalletError`s, keeping the SDK's sentence (shared/client/reasons.ts) unless the extension has a
 * better one (settings to change, a pin to review). No sentence quotes an amount, an address or any
 * other input.
 */
import { ClientError, type ClientErrorCode } from '../../../shared/client/errors';
import { ledgerReason } from '../../../shared/client/reasons';
import { WalletError } from '../../messages/errors';

/** SDK refusals made before anything was signed: the input cannot work, nothing was sent. */
const REFUSED_BEFORE_SIGNING: readonly ClientErrorCode[] = ['BelowMinimum', 'InvalidSymbol', 'InsufficientFunds', 'InsufficientBalance', 'UnknownAsset'];

/** Why the worker cannot be trusted, as the SDK found it ("no worker is registered for contract 1."). */
function untrustedDetail(e: ClientError): string {
  const why = e.message.replace(/^The contract's key cannot be trusted:\s*/, '').trim();
  return why ? ` (${why.replace(/\.$/, '')})` : '';
}

export function untrustedWorker(detail = ''): WalletError {
  return new WalletError('UntrustedWorker',
    `Dark Wallet does not trust the confidential worker's key${detail}, so it sends nothing to it: secret assets stay unavailable until an attested worker is registered on this chain.`);
}

export function contractKeyChanged(): WalletError {
  return new WalletError('ContractKeyChanged',
    "The secret-asset contract's key is not the one Dark Wallet verified when you first used it on this chain, so it seals and sends nothing. Open Dark Wallet to see the change; accept the new key only if you expected it.");
}

export function measurementRevoked(): WalletError {
  return new WalletError('MeasurementRevoked',
    "The chain's governance no longer allows the code that holds the secret-asset contract's key, so Dark Wallet seals and sends nothing until it is allowed again.");
}

/** A refusal because of the contract pin (changed key, revoked measurement): nothing waits it out. */
export const isPinRefusal = (e: WalletError): boolean => e.code === 'ContractKeyChanged' || e.code === 'MeasurementRevoked';

/** `endpoint`: the pinned worker, or '' when the wallet asks every worker the chain names. */
export function workerUnavailable(endpoint: string): WalletError {
  return new WalletError('WorkerUnavailable', endpoint
    ? `The confidential worker at ${endpoint} is not reachable. Check that it is running, or change the worker endpoint in Settings.`
    : "None of the contract's confidential workers on this chain is reachable. Check your connection, or pin a worker endpoint in Settings.");
}

/**
 * The network's relayer did not take the operation. It is never sent directly instead: that would put
 * the account on chain, which is what the user chose the relayer to avoid.
 */
export function relayUnavailable(endpoint: string, refusal?: string): WalletError {
  const what = refusal ? `refused the operation (${refusal})` : 'is not reachable';
  return new WalletError('RelayUnavailable',
    `The relayer at ${endpoint} ${what}, so nothing was sent. Dark Wallet does not send it from your account instead, which would show the account on chain: try again later, check the relayer in Settings, or clear it there to send directly.`);
}

/** The endpoints sentences name. */
export interface ErrorEndpoints {
  workerEndpoint: string;
  relayEndpoint: string | null;
}

/**
 * Any failure from the SDK or the chain, as a `WalletError`, naming the worker or relayer concerned.
 * Errors that are already `WalletError`s (locked, chain unreachable) pass through unchanged.
 */
export function secretError(e: unknown, at: ErrorEndpoints): WalletError {
  if (e instanceof WalletError) return e;
  if (e instanceof ClientError) {
    switch (e.code) {
      case 'UntrustedWorker':
        return untrustedWorker(untrustedDetail(e));
      case 'WorkerUnavailable':
        return workerUnavailable(at.workerEndpoint);
      case 'RelayUnavailable':
        return relayUnavailable(at.relayEndpoint ?? 'the configured address', e.reason);
      case 'UntrustedRelayer':
        return relayUnavailable(at.relayEndpoint ?? 'the configured address', 'its fee quote cannot be read');
      case 'WorkerRejected':
        return new WalletError('WorkerUnavailable', 'The confidential worker refused the query. Try again in a moment; if it keeps happening, check the worker endpoint in Settings.');
      case 'ChainRejected':
        return new WalletError('TransactionFailed', e.message); // already the sentence (shared/client/reasons.ts)
      case 'Timeout':
        return new WalletError('TransactionFailed', 'The chain or the worker did not confirm the operation in time. Check your secret history before trying again.');
      case 'CommandFailed':
        return new WalletError('TransactionFailed', ledgerReason(e.reason ?? ''));
      default:
        // Codes added to the SDK later (its messages are sentences without secrets): a refusal to act.
        return new WalletError(REFUSED_BEFORE_SIGNING.includes(e.code) ? 'InvalidInput' : 'TransactionFailed', e.message);
    }
  }
  return new WalletError('ChainUnavailable', 'Dark Wallet lost its connection to the chain while doing this. Check the chain endpoint in Settings and try again.');
}
