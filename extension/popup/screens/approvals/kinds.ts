import type { RequestKind } from '../../../shared-messages/types';

/** Route names of approval views (`#/${kind}/${id}`), the same strings as the request kinds. */
export const KIND_LABEL: Record<RequestKind, string> = {
  authorize: 'Connection request',
  signRaw: 'Sign a message',
  signPayload: 'Sign a transaction',
  metadata: 'Update chain metadata',
};

export const REQUEST_KINDS: readonly string[] = Object.keys(KIND_LABEL);
