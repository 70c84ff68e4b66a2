import { SECRET_OPS, secretRequestKind, type RequestKind, type SecretRequestKind } from '../../../messages/types';
import { OP_TITLE } from '../../secret/format';

/** A secret operation's approval is titled as the operation is everywhere in the popup. */
const SECRET_LABEL = Object.fromEntries(SECRET_OPS.map((op) => [secretRequestKind(op), OP_TITLE[op]])) as Record<SecretRequestKind, string>;

/** Route names of approval views (`#/${kind}/${id}`), the same strings as the request kinds. */
export const KIND_LABEL: Record<RequestKind, string> = {
  authorize: 'Connection request',
  signRaw: 'Sign a message',
  signPayload: 'Sign a transaction',
  metadata: 'Update chain metadata',
  ...SECRET_LABEL,
};

export const REQUEST_KINDS: readonly string[] = Object.keys(KIND_LABEL);
