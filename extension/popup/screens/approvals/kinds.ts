import type { RequestKind } from '../../../messages/types';

/** Route names of approval views (`#/${kind}/${id}`), the same strings as the request kinds. */
export const KIND_LABEL: Record<RequestKind, string> = {
  authorize: 'Connection request',
  signRaw: 'Sign a message',
  signPayload: 'Sign a transaction',
  metadata: 'Update chain metadata',
  darkTransfer: 'Secret transfer',
  darkConvertToSecret: 'Convert to secret',
  darkConvertToPublic: 'Convert to public',
  darkIssue: 'Issue a secret token',
};

export const REQUEST_KINDS: readonly string[] = Object.keys(KIND_LABEL);
