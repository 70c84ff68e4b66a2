import { ProtocolError, type ProtocolErrorCode } from '../../../shared/errors';

/** Runs `fn` and returns what it threw (undefined when it did not throw). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

export async function rejected(p: () => Promise<unknown>): Promise<unknown> {
  try {
    await p();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** Asserts a ProtocolError (of one of `codes`, when given) and nothing else. */
export function expectProtocolError(e: unknown, ...codes: ProtocolErrorCode[]): asserts e is ProtocolError {
  if (!(e instanceof ProtocolError)) {
    throw new Error(`expected a ProtocolError${codes.length ? ` (${codes.join('|')})` : ''}, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  if (codes.length && !codes.includes(e.code)) {
    throw new Error(`expected ProtocolError ${codes.join('|')}, got ${e.code}: ${e.message}`);
  }
}

export const expectThrows = (fn: () => unknown, ...codes: ProtocolErrorCode[]) => expectProtocolError(thrown(fn), ...codes);
export const expectRejects = async (p: () => Promise<unknown>, ...codes: ProtocolErrorCode[]) =>
  expectProtocolError(await rejected(p), ...codes);
