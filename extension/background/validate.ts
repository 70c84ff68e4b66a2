/**
 * Guards for request bodies. `pub(*)` bodies come from arbitrary web pages, so every handler checks
 * its input here before touching it; a failed check is an `InvalidInput` sentence for the dApp developer.
 */
import { WalletError } from '../messages/errors';
import { isRecord } from './storage/store';

export function invalid(message: string): WalletError {
  return new WalletError('InvalidInput', message);
}

export function record(x: unknown, what: string): Record<string, unknown> {
  if (!isRecord(x)) throw invalid(`Send ${what} as an object.`);
  return x;
}

export function string(x: unknown, field: string, max = 1024): string {
  if (typeof x !== 'string' || x.length > max) throw invalid(`Send "${field}" as a string of at most ${max} characters.`);
  return x;
}

const HEX = /^0x(?:[0-9a-fA-F]{2})*$/;

export function hex(x: unknown, field: string, max = 1024 * 1024): `0x${string}` {
  if (typeof x !== 'string' || x.length > max || !HEX.test(x)) throw invalid(`Send "${field}" as 0x-prefixed hex.`);
  return x as `0x${string}`;
}

export function integer(x: unknown, field: string, min: number, max: number): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) {
    throw invalid(`Send "${field}" as a whole number from ${min} to ${max}.`);
  }
  return x;
}

export function stringList(x: unknown, field: string, maxItems = 256): string[] {
  if (!Array.isArray(x) || x.length > maxItems || !x.every((s) => typeof s === 'string' && s.length <= 256)) {
    throw invalid(`Send "${field}" as a list of strings.`);
  }
  return x;
}

/** A decimal string of a non-negative integer (amounts travel this way). */
export function decimal(x: unknown, field: string): string {
  if (typeof x !== 'string' || !/^\d{1,40}$/.test(x)) throw invalid(`Send "${field}" as a whole number in the smallest unit, as a decimal string.`);
  return x;
}
