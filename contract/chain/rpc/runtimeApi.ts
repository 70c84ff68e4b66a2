/**
 * `state_call`: the runtime APIs listed in RUNTIME_VERSION.apis, SCALE in and out with the
 * encodings polkadot-js expects for the listed API versions.
 */
import type { Call } from '@polkadot/types/interfaces';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { accountIdFromBytes } from '../../../shared/types';
import { RUNTIME_VERSION } from '../config';
import type { RuntimeMetadata } from '../metadata/build';
import { decodeExtrinsic } from '../runtime/extrinsic';
import type { Runtime } from '../runtime/runtime';
import type { Storage } from '../runtime/storage';
import { nonceOf } from '../runtime/pallets/system';
import { RpcError, invalidParams } from './server';

/**
 * Weight, class and fee of an encoded (length-prefixed) extrinsic of `len` bytes; unsigned ones
 * pay nothing, as in Substrate. The signature is not checked: wallets ask with a fake one.
 */
export function paymentInfo(rt: Runtime, bytes: Uint8Array, len = bytes.length) {
  const ext = decodeExtrinsic(rt.codec, bytes);
  const info = rt.dispatchInfo(ext.method as Call, len);
  return { ...info, fee: ext.isSigned ? info.fee : null };
}

export function stateCall(rt: Runtime, meta: RuntimeMetadata, storage: Storage, method: string, data: string): string {
  const reg = rt.codec.registry;
  const input = hexToU8a(data);
  // SCALE as hex (a number's `toHex()` would be its big-endian value, not its encoding).
  const out = (type: string, value: unknown) => u8aToHex(reg.createType(type, value).toU8a());
  // Hex: @polkadot/types reads a Uint8Array given for Bytes as already length-prefixed.
  const served: Record<number, string> = { 14: u8aToHex(meta.bytes), 15: u8aToHex(meta.v15) };
  switch (method) {
    case 'Core_version':
      return out('RuntimeVersion', RUNTIME_VERSION);
    case 'Metadata_metadata':
      return out('Bytes', served[14]);
    case 'Metadata_metadata_versions':
      return out('Vec<u32>', Object.keys(served).map(Number));
    case 'Metadata_metadata_at_version':
      return out('Option<Bytes>', served[reg.createType('u32', input).toNumber()] ?? null);
    case 'AccountNonceApi_account_nonce':
      if (input.length !== 32) throw invalidParams('expected a 32-byte account id');
      return out('u32', nonceOf(storage, accountIdFromBytes(input)));
    case 'TransactionPaymentApi_query_info':
    case 'TransactionPaymentApi_query_fee_details': {
      // (uxt: Extrinsic, len: u32); an encoded Extrinsic is length-prefixed, like Bytes.
      const [uxt, len] = reg.createType('(Bytes, u32)', input);
      const { refTime, class: cls, fee } = paymentInfo(rt, uxt.toU8a(), len.toNumber());
      if (method === 'TransactionPaymentApi_query_info') {
        return out('RuntimeDispatchInfo', { weight: { refTime, proofSize: 0 }, class: cls, partialFee: fee?.partialFee ?? 0n });
      }
      return out('FeeDetails', { inclusionFee: fee, tip: 0 });
    }
    default:
      throw new RpcError(-32000, `Runtime API ${method} is not provided by this chain`);
  }
}
