/** MultiAddress → AccountId. Only the forms that carry the account id itself: this runtime has no indices. */
import type { Codec } from '@polkadot/types/types';
import { accountIdFromBytes, type AccountId } from '../../../shared/types';

/** Read through `type`/`value`: lookup-built enums do not always carry `isId`-style getters. */
interface EnumCodec extends Codec {
  type: string;
  value: Codec;
}

export function addressToAccount(address: Codec): AccountId | null {
  const { type, value } = address as EnumCodec;
  return type === 'Id' || type === 'Address32' ? accountIdFromBytes(value.toU8a()) : null;
}
