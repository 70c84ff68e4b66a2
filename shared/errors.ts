/**
 * Typed errors shared by every component. `code` is what code branches on; `message` is a sentence
 * for people. Messages never carry secrets (amounts, addresses of secret operations, keys, plaintext).
 */
export type ProtocolErrorCode =
  | 'Truncated' // input ended before the structure did
  | 'TrailingBytes' // input continued after the structure
  | 'BadVersion' // unknown envelope / sealed-state version
  | 'UnknownVariant' // enum tag out of range
  | 'FieldTooLong' // string or vector over its limit
  | 'OutOfRange' // number outside its type (u32, u128, decimals…)
  | 'BadLength' // fixed-size field or envelope of the wrong size
  | 'BadPadding' // plaintext bucket padding is not zero
  | 'DecryptFailed' // AEAD tag mismatch: tampered, or bound to another signer / contract / chain
  | 'BadKey' // invalid or low-order public key
  | 'BadSignature'
  | 'Expired' // signed query or session too old / past expiry
  | 'Replay' // session counter did not grow
  | 'UnknownSession'
  | 'NotAuthorized' // asked for data that is not the signer's own
  | 'BadEndpoint'; // a worker endpoint that is not a plain http(s) URL

export class DarkWalletError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ProtocolError extends DarkWalletError {
  declare readonly code: ProtocolErrorCode;
  constructor(code: ProtocolErrorCode, message: string) {
    super(code, message);
  }
}

export const isProtocolError = (e: unknown, code?: ProtocolErrorCode): e is ProtocolError =>
  e instanceof ProtocolError && (code === undefined || e.code === code);
